"""The grants benchmark (bench/grants.py) runs, small, so that it cannot rot: its figures are
measured by `make bench`, not here. The last-second race needs concurrent connections
(PostgreSQL), as tests/test_concurrency.py."""

import pytest
from django.db import connection

from bench import grants as bench


def test_the_ranking_figure_runs_on_a_small_call():
    figures = bench.measure_ranking(300)
    assert figures["applications"] == 300
    assert figures["funded_first"] > 0 and figures["funded_after_scroll"] > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_the_last_second_race_keeps_every_rule(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    figures = bench.measure_last_second(6)
    assert figures["racers"] == 6
    assert figures["passed"], figures["checks"]


def test_the_efficiency_figure_runs_on_a_few_grants():
    figures = bench.measure_efficiency(200)
    assert figures["grants"] == 200 and figures["funded"] == 200
