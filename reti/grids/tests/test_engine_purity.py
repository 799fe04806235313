"""The engine stays pure: importing it loads no Django module."""

import subprocess
import sys


def test_the_engine_imports_no_django():
    code = (
        "import sys, reti.grids.engine\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
