"""The README is true: its addresses open pages, `make run` follows ADDR, the data's place."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text()


def test_every_local_address_in_the_readme_is_a_page():
    """Issue 15 §7: the README pointed to /it/monitoraggio/, then a 404."""
    paths = set(re.findall(r"http://127\.0\.0\.1:8000(/[^\s)`]*)", README))
    paths |= set(re.findall(r"`(/(?:it|en|api)/[^\s`]*)`", README))
    assert "/it/monitoraggio/" in paths and len(paths) > 15
    missing = []
    for path in sorted(paths):
        with translation.override(path.split("/")[1] if path.startswith("/en/") else "it"):
            try:
                resolve(path)
            except Resolver404:
                missing.append(path)
    assert missing == []


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_serves_and_prints_the_address_addr_names():
    """Issue 15 §7: `make run` printed port 8000 whatever ADDR said."""
    plan = subprocess.run(
        ["make", "-n", "run", "ADDR=0.0.0.0:8080"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Serving http://0.0.0.0:8080/it/" in plan
    assert "reti serve 0.0.0.0:8080" in plan
    assert "--url http://0.0.0.0:8080/it/admin/" in plan
    assert "8000" not in plan


def test_the_readme_says_what_addr_is_where_the_data_live_and_how_to_reset():
    assert "`make run ADDR=0.0.0.0:8080`" in README and "`ADDR` is `host:port`" in README
    assert "lives in `var/`" in README and "`make reset` deletes `var/`" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^reset:\n\trm -rf var/$", makefile, re.MULTILINE)
