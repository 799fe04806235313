"""The cube counted at refresh time and kept beside the snapshot: same answers, never stale."""

import shutil

import pytest

from reti.monitoring import snapshot as records_snapshot
from reti.monitoring.analytics import engine
from reti.monitoring.analytics.snapshot import Snapshot, persist_cube
from reti.monitoring.synthetic import write_snapshot

from .importing_helpers import csv_bytes, row, upload

BREAKDOWNS = [
    ("region", "gender"),
    ("macro_area",),
    ("period", "instrument"),
    ("target_group", "gender"),
    ("network",),
]


@pytest.fixture
def synthetic_dir(tmp_path):
    return write_snapshot(tmp_path / "snapshot", None, 4_000, seed=3, chunk=2_000)


def test_a_persisted_cube_gives_the_counted_answers(synthetic_dir):
    counted = Snapshot(synthetic_dir, persisted=False)
    persist_cube(synthetic_dir)
    read = Snapshot(synthetic_dir)
    assert counted.cube_file is None
    assert read.cube_file is not None and read.cube_file.parent == synthetic_dir
    for by in BREAKDOWNS:
        assert engine.compute(read, by) == engine.compute(counted, by)
    filters = {"region": ["09", "12"], "gender": ["female"], "target_group": ["youth"]}
    assert engine.compute(read, ("period",), filters) == engine.compute(
        counted, ("period",), filters
    )
    assert engine.compute(read, ("region",)) == engine.compute(read, ("region",), one_pass=True)


def test_a_cube_of_other_files_is_not_read(synthetic_dir, tmp_path):
    persist_cube(synthetic_dir)
    before = engine.compute(Snapshot(synthetic_dir), ("region",))
    other = write_snapshot(tmp_path / "other", None, 2_000, seed=4, chunk=2_000)
    shutil.copy(other / "participants.parquet", synthetic_dir / "participants.parquet")
    reopened = Snapshot(synthetic_dir)
    assert reopened.cube_file is None  # the files changed since the cube was counted
    after = engine.compute(reopened, ("region",))
    assert after == engine.compute(reopened, ("region",), one_pass=True)
    assert sum(r["EECO01"] + r["CO01"] for r in after) != sum(
        r["EECO01"] + r["CO01"] for r in before
    )


@pytest.mark.django_db
def test_each_refresh_replaces_the_persisted_cube(cast, monitoring, settings):
    directory = settings.MONITORING_SNAPSHOT_DIR
    intervention = monitoring.toscana_intervention
    upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(6)]))
    first = Snapshot(directory)
    assert first.cube_file is not None
    assert engine.compute(first, ())[0]["EECO01"] == 6
    upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(9)]))
    second = Snapshot(directory)
    assert second.cube_file is not None and second.cube_file != first.cube_file
    assert list(directory.glob("cube-*.parquet")) == [second.cube_file]
    assert engine.compute(second, ())[0]["EECO01"] == 9
    assert engine.compute(second, ("gender",)) == engine.compute(
        Snapshot(directory, persisted=False), ("gender",)
    )
    records_snapshot.refresh()  # nothing changed: same counts, from a cube of the new files
    third = Snapshot(directory)
    assert third.cube_file is not None
    assert engine.compute(third, ("gender",)) == engine.compute(second, ("gender",))
