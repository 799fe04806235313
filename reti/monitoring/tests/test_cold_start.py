"""A cold web worker loads the URL configuration without the heavy statistics libraries.

scipy, scikit-learn and statsmodels take seconds to import; only the pages that compute a
funnel, a suppression audit or the added value need them, and import them when they run.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("scipy", "sklearn", "statsmodels", "pandas")
PROBE = f"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
import django
django.setup()
import reti.urls  # noqa: F401
from django.urls import get_resolver
get_resolver().url_patterns  # the whole URL tree, as the first request resolves it
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}} & set({HEAVY!r}))))
"""


def test_importing_the_urls_imports_no_statistics_library():
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "RETI_LOCAL": "1"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == []


def test_the_statistics_still_load_where_they_are_used():
    """The lazy imports resolve: the funnel limits and the matching run as before."""
    import numpy as np

    from reti.monitoring.analytics import fair

    low, high = fair.limits(np.array([100]), 0.3, 0.95)
    assert 0 < low[0] < 0.3 < high[0] < 1
    assert fair.band(100, 60, 0.3) == "high_998"
