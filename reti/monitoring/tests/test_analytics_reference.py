"""The engine against the plain-pandas reference, and the cube against one pass."""

import pytest

from reti.monitoring import synthetic
from reti.monitoring.analytics import engine
from reti.monitoring.analytics.definitions import PARTICIPANT_INDICATORS
from reti.monitoring.analytics.snapshot import Snapshot
from reti.monitoring.tests import reference


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    return synthetic.write_snapshot(tmp_path_factory.mktemp("ref"), None, 40_000, seed=21)


def test_engine_agrees_with_the_pandas_reference(directory):
    expected = reference.indicators_by_region_and_gender(directory)
    got = engine.compute(Snapshot(directory), ("region", "gender"), one_pass=True)
    assert len(got) == len(expected) > 40
    for row in got:
        want = expected.loc[(row["region"], row["gender"])]
        for ind in PARTICIPANT_INDICATORS:
            assert row[ind.code] == want[ind.code], (row["region"], row["gender"], ind.code)
    assert sum(r["EECR05"] for r in got) > 0 and sum(r["CR09"] for r in got) > 0


@pytest.mark.parametrize(
    "by, filters",
    [
        (("region", "gender"), None),
        (("network", "period"), {"gender": ["female"]}),
        (("target_group",), {"region": ["09", "15"], "instrument": ["sovvenzione_globale"]}),
        (("macro_area", "project"), {"period": ["2014-2020"], "target_group": ["youth"]}),
    ],
)
def test_the_cube_gives_what_one_pass_gives(directory, by, filters):
    snapshot = Snapshot(directory)
    assert engine.compute(snapshot, by, filters) == engine.compute(
        snapshot, by, filters, one_pass=True
    )
