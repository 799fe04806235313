"""The CSR benchmark (bench/csr.py) runs, small, so that it cannot rot: its figures are
measured by `make bench`, not here."""

import pytest

from bench import csr as bench

pytestmark = pytest.mark.django_db


def test_the_benchmark_runs_on_a_small_size(settings):
    settings.DEBUG = False
    figures = bench.measure(assessments=60, iterations=5)
    assert figures["assessments"] == 60
    assert figures["random_companies"]["calls"] == 5
    assert figures["largest_group_company"]["wall_ms"]["p95"] > 0
    assert figures["largest_group"] >= 1
