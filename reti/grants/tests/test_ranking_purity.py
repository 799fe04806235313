"""The ranking, the replay and the efficiency measures stay pure: importing them loads no
Django module."""

import subprocess
import sys


def test_ranking_replay_and_efficiency_import_no_django():
    code = (
        "import sys, reti.grants.ranking, reti.grants.replay, reti.grants.efficiency\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_financial_state_and_agreement_filling_import_no_django():
    code = (
        "import sys, reti.grants.finance, reti.grants.agreement\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
