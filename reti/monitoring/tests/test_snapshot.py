"""The Parquet snapshot the analytics engine reads, and erasing a person from it."""

import errno

import duckdb
import pytest
from django.core.exceptions import PermissionDenied

from reti.monitoring import actions, pseudonym, snapshot
from reti.monitoring.models import (
    IndicatorDefinition,
    IndicatorTarget,
    InterventionTargetGroup,
    ParticipantAccessLog,
    ParticipantRecord,
    SupportedEntity,
)
from reti.registry.tests import factories as f

from .importing_helpers import csv_bytes, fake_code, row, upload

pytestmark = pytest.mark.django_db


def _read(settings, table: str, query: str = "SELECT * FROM t"):
    path = settings.MONITORING_SNAPSHOT_DIR / f"{table}.parquet"
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{path}')")
    return con.execute(query).fetchall(), [d[0] for d in con.description]


def test_an_import_writes_the_snapshot(cast, monitoring, settings):
    intervention = monitoring.toscana_intervention
    upload(cast.toscana_officer, intervention, csv_bytes([row(i) for i in range(4)]))
    rows, columns = _read(settings, "participants", "SELECT * FROM t ORDER BY record_id")
    assert len(rows) == 4
    assert columns[:4] == ["record_id", "intervention_id", "person_key", "gender"]
    record = dict(zip(columns, rows[1], strict=True))
    assert record["person_key"] == pseudonym.person_key(fake_code(1))
    assert record["gender"] == "female"
    assert str(record["entry_date"]) == "2024-03-01"
    assert record["penal_execution"] is True
    assert record["followup_employed"] is None
    assert record["synthetic"] is False
    assert not any(fake_code(i) in str(rows) for i in range(4))


def test_the_intervention_tables(cast, monitoring, settings):
    intervention = monitoring.toscana_intervention
    network = cast.network
    intervention.project = cast.toscana_project
    intervention.save()
    cast.toscana_project.networks.add(network)
    InterventionTargetGroup.objects.create(intervention=intervention, group="penal_execution")
    indicator = IndicatorDefinition.objects.create(
        code="EECO01",
        name_it="Totale",
        name_en="Total",
        subject="participants",
        kind="output",
        unit="persons",
        breakdowns=["gender"],
    )
    IndicatorTarget.objects.create(intervention=intervention, indicator=indicator, target=120)
    SupportedEntity.objects.create(
        intervention=intervention, kind="social_economy", organisation=f.OrganisationFactory()
    )
    snapshot.refresh()
    rows, columns = _read(settings, "interventions", "SELECT * FROM t ORDER BY code")
    lazio, toscana = (dict(zip(columns, r, strict=True)) for r in rows)
    assert (lazio["region_code"], toscana["region_code"]) == ("12", "09")
    assert toscana["macro_area"] == "centro"
    assert toscana["period_code"] == "2021-2027"
    assert toscana["organisation_id"] == cast.toscana.pk
    assert toscana["project_id"] == cast.toscana_project.pk
    assert _read(settings, "intervention_networks")[0] == [(intervention.pk, network.pk)]
    assert _read(settings, "intervention_target_groups")[0] == [
        (intervention.pk, "penal_execution")
    ]
    assert _read(settings, "indicator_targets")[0] == [(intervention.pk, "EECO01", 120.0)]
    assert _read(settings, "entities")[0][0][1:] == (intervention.pk, "social_economy")
    assert not list(settings.MONITORING_SNAPSHOT_DIR.glob(".*"))  # no temporary file left


def test_erasing_a_person_removes_them_everywhere(
    cast, monitoring, settings, django_capture_on_commit_callbacks
):
    upload(cast.toscana_officer, monitoring.toscana_intervention, csv_bytes([row(1), row(2)]))
    upload(cast.lazio_officer, monitoring.lazio_intervention, csv_bytes([row(1)]))
    root = f.UserFactory(username="dpo", is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        removed = actions.erase_person(root, fake_code(1).lower())
    assert removed == 2
    key = pseudonym.person_key(fake_code(1))
    assert not ParticipantRecord.objects.filter(person_key=key).exists()
    rows, _ = _read(settings, "participants", f"SELECT count(*) FROM t WHERE person_key = '{key}'")
    assert rows == [(0,)]
    assert _read(settings, "participants", "SELECT count(*) FROM t")[0] == [(1,)]
    log = ParticipantAccessLog.objects.get(action="erase")
    assert log.record_count == 2 and fake_code(1) not in log.what


def test_erasing_by_person_key(cast, monitoring, django_capture_on_commit_callbacks):
    upload(cast.toscana_officer, monitoring.toscana_intervention, csv_bytes([row(1)]))
    root = f.UserFactory(username="dpo", is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.erase_person(root, pseudonym.person_key(fake_code(1))) == 1


@pytest.mark.parametrize("who", ["toscana_officer", "staff", "outsider"])
def test_erasing_is_refused_to_others(cast, monitoring, who):
    upload(cast.toscana_officer, monitoring.toscana_intervention, csv_bytes([row(1)]))
    with pytest.raises(PermissionDenied):
        actions.erase_person(getattr(cast, who), fake_code(1))
    assert ParticipantRecord.objects.count() == 1


def test_a_disk_full_during_a_refresh_leaves_the_old_snapshot_served_whole(
    cast, monitoring, settings, monkeypatch
):
    upload(
        cast.toscana_officer, monitoring.toscana_intervention, csv_bytes([row(i) for i in range(4)])
    )
    directory = settings.MONITORING_SNAPSHOT_DIR
    before = {path.name: path.read_bytes() for path in directory.iterdir()}
    ParticipantRecord.objects.filter(pk=ParticipantRecord.objects.order_by("pk")[0].pk).delete()

    real_copy = snapshot._Writer.copy

    def copy_then_fill_the_disk(writer, name):
        real_copy(writer, name)  # the participants' new file is half way to its place
        if name == "interventions":
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(snapshot._Writer, "copy", copy_then_fill_the_disk)
    with pytest.raises(OSError, match="No space left"):
        snapshot.refresh()
    # Every file as it was (readers see the old snapshot, all of it), nothing half-written left.
    assert {path.name: path.read_bytes() for path in directory.iterdir()} == before
    assert len(_read(settings, "participants")[0]) == 4

    monkeypatch.undo()
    snapshot.refresh()
    assert len(_read(settings, "participants")[0]) == 3
    assert not [path.name for path in directory.iterdir() if path.name.startswith(".")]
