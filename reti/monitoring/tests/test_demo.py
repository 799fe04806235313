"""The demo loader: synthetic interventions over the regions, participants in bulk, replaced."""

import pytest

from reti.monitoring import demo
from reti.monitoring.models import Intervention, ParticipantRecord
from reti.monitoring.tests.importing_helpers import csv_bytes, row, upload
from reti.registry.models import Organisation, Project, Territory
from reti.registry.tests import factories as f
from reti.registry.tests.conftest import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(monkeypatch, territories):
    monkeypatch.setitem(demo.SCALES, "small", (12, 3_000))
    for _ in range(5):
        f.OrganisationFactory()
    toscana = Territory.objects.get(code="09")
    return f.OrganisationFactory(
        name_it="Regione Toscana (demo)", territory=toscana, kind=Organisation.Kind.REGION
    )


def test_demo_writes_synthetic_interventions_and_participants(small, settings):
    counts = demo.generate("small", seed=3)
    assert counts["interventi (monitoraggio)"] == 12
    written = counts["partecipanti (monitoraggio)"]
    assert 2_800 < written <= 3_000  # a person appears once per intervention
    assert ParticipantRecord.objects.filter(synthetic=True).count() == written
    assert not Intervention.objects.filter(synthetic=False).exists()
    regions = set(Intervention.objects.values_list("region__level", flat=True))
    assert regions <= {"region", "autonomous_province"}
    for intervention in Intervention.objects.filter(region__code="09"):
        assert intervention.organisation == small
    assert (settings.MONITORING_SNAPSHOT_DIR / "participants.parquet").exists()


def test_demo_interventions_for_people_in_penal_execution_belong_to_the_slides_project(
    small, presentation
):
    penal = Project.objects.get(key="esecuzione-penale")
    demo.generate("small", seed=3)
    for_penal = Intervention.objects.filter(target_groups__group="penal_execution").distinct()
    assert for_penal.exists()
    assert set(for_penal.values_list("project", flat=True)) == {penal.pk}
    others = Intervention.objects.exclude(pk__in=for_penal.values("pk"))
    assert not others.filter(project=penal).exists()


def _participant_indexes() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, ParticipantRecord._meta.db_table
        )
    return {name for name, c in constraints.items() if c["index"] or c["unique"]}


def test_the_national_path_rebuilds_the_indexes_it_set_aside(small, monkeypatch):
    """At national scale the participants' secondary indexes are dropped for the load and
    rebuilt after it, exactly as they were, with the records in place."""
    before = _participant_indexes()
    monkeypatch.setitem(demo.SCALES, "national", (8, 2_000))
    counts = demo.generate("national", seed=5)
    assert _participant_indexes() == before
    assert (
        ParticipantRecord.objects.filter(synthetic=True).count()
        == (counts["partecipanti (monitoraggio)"])
    )
    pairs = ParticipantRecord.objects.values_list("intervention_id", "person_key")
    assert len(set(pairs)) == pairs.count()  # still once per intervention


def test_a_second_run_replaces_the_first_and_keeps_real_records(small, cast, monitoring):
    demo.generate("small", seed=3)
    first = ParticipantRecord.objects.filter(synthetic=True).count()
    monitoring.toscana_intervention.synthetic = False
    monitoring.toscana_intervention.save()
    upload(cast.toscana_officer, monitoring.toscana_intervention, csv_bytes([row(1)]))
    demo.generate("small", seed=3)
    assert ParticipantRecord.objects.filter(synthetic=True).count() == first
    assert ParticipantRecord.objects.filter(synthetic=False).count() == 1
    assert Intervention.objects.filter(code="TOS-001").exists()


def test_purge_removes_what_refers_to_the_registry(small):
    demo.generate("small", seed=3)
    demo.purge()
    assert not Intervention.objects.filter(synthetic=True).exists()
    assert not ParticipantRecord.objects.exists()


def test_the_demo_leaves_the_pages_analyses_to_the_background_worker(
    small, settings, django_capture_on_commit_callbacks
):
    """A first `make run` does not wait for the analyses: the worker beside the server computes
    them, and until it has the pages compute on demand (and say so)."""
    from django_tasks_db.models import DBTaskResult

    from reti.monitoring.analytics import public
    from reti.monitoring.analytics.snapshot import Snapshot

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    directory = settings.MONITORING_SNAPSHOT_DIR
    with django_capture_on_commit_callbacks(execute=True):
        demo.generate("small", seed=3)
    assert not list(directory.glob("analyses-*.json"))
    queued = DBTaskResult.objects.get(task_path="reti.monitoring.tasks.compute_analyses")
    assert queued.status == "READY"
    snapshot = Snapshot(directory)
    try:
        assert public.computed_at(snapshot) is None  # the pages compute on demand meanwhile
    finally:
        snapshot.close()

    # What `reti worker` does with the queued task (a real worker is run in
    # test_import_worker_kill; inside a test's transaction it would close the connection).
    result = queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])

    assert result.endswith(".json")
    assert len(list(directory.glob("analyses-*.json"))) == 1
    snapshot = Snapshot(directory)
    try:
        assert public.computed_at(snapshot) is not None  # the pages show when
    finally:
        snapshot.close()
