"""The grids benchmark (bench/grids.py) runs, small, so that it cannot rot: its figures are
measured by `make bench`, not here."""

import pytest

from bench import grids as bench

pytestmark = pytest.mark.django_db


def test_the_benchmark_runs_on_a_small_size(settings):
    settings.DEBUG = False
    figures = bench.measure(assessments=50, subjects=200, iterations=3)
    assert figures["recompute"]["assessments"] == 50
    assert figures["recompute"]["nodes"] == 60
    assert figures["recompute"]["differing"] == 0  # stored results replay exactly
    assert figures["rank"]["subjects"] == 200
    for page in ("scoring_form", "evaluation_sheet", "csr_sheet_with_chart"):
        assert figures["pages"][page]["requests"] == 3
        assert figures["pages"][page]["wall_ms"]["p95"] > 0
