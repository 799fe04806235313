"""`reti demo`: synthetic data that looks real, stays apart from real data, and reloads cleanly."""

from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from stdnum import luhn
from stdnum.it import codicefiscale, iva

from reti.accounts.models import Membership
from reti.registry.demo import BULK_MODELS, SOURCE_KEY, Scale, generate
from reti.registry.models import (
    Action,
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    Project,
    Source,
    Territory,
    WorkingGroup,
)
from reti.registry.tests import factories as f

SYNTHETIC = (
    Organisation,
    Network,
    GoverningRole,
    WorkingGroup,
    NetworkLink,
    Project,
    Partnership,
    Action,
)


REAL_CODE = "0123456001" + luhn.calc_check_digit("0123456001")


@pytest.fixture
def real(db):
    """A few of the presentation's kind of facts, loaded as real (synthetic=False) data."""
    for n in range(3):
        f.TerritoryFactory(code=f"99900{n}", level=Territory.Level.MUNICIPALITY)
    region = f.OrganisationFactory(name_it="Regione Toscana", synthetic=False, tax_code=REAL_CODE)
    network = f.NetworkFactory(name_it="ESFCoNet", slug="esfconet", synthetic=False)
    project = f.ProjectFactory(title_it="Fare rete per l'inclusione sociale", synthetic=False)
    Partnership.objects.create(
        project=project, organisation=region, role=Partnership.Role.LEAD, synthetic=False
    )
    return {"organisation": region, "network": network, "project": project}


@pytest.fixture(autouse=True)
def _registry_and_its_first_apps(monkeypatch):
    """These tests are about the registry's demo and what hangs from its records; the
    instruments' demos (grids, grants, CSR, OpenCoesione) have their own tests, twice-run
    included, and would make each of these runs minutes long."""
    from django.apps import apps

    for label in ("grids", "grants", "csr", "opencoesione"):
        monkeypatch.delattr(type(apps.get_app_config(label)), "demo")


def demo(**options) -> str:
    out = StringIO()
    call_command("demo", scale="small", stdout=out, **options)
    return out.getvalue()


def synthetic_counts() -> dict[str, int]:
    return {m.__name__: m.objects.filter(synthetic=True).count() for m in SYNTHETIC}


def snapshot(records: dict) -> dict:
    return {key: type(obj).objects.filter(pk=obj.pk).values().get() for key, obj in records.items()}


def test_small_scale_makes_the_announced_mix(real):
    output = demo()

    assert Organisation.objects.filter(synthetic=True).count() == 400
    assert Network.objects.filter(synthetic=True).count() == 30
    assert Project.objects.filter(synthetic=True).count() == 1000
    assert Partnership.objects.filter(synthetic=True).count() > 2000
    assert WorkingGroup.objects.filter(synthetic=True).exists()
    assert Action.objects.filter(synthetic=True, project__isnull=False).exists()
    assert Action.objects.filter(synthetic=True, network__isnull=False).exists()
    kinds = set(Organisation.objects.filter(synthetic=True).values_list("kind", flat=True))
    assert {
        "third_sector",
        "social_coop_a",
        "social_coop_b",
        "company",
        "training_body",
        "university",
        "other",
    } <= kinds
    sections = Organisation.objects.filter(kind="third_sector").values_list(
        "runts_section", flat=True
    )
    assert {"odv", "aps"} <= set(sections) and "" not in set(sections)
    assert not Organisation.objects.filter(synthetic=True, territory__isnull=True).count() > 40
    assert "progetti: 1,000/1,000" in output


def test_every_project_has_exactly_one_lead(real):
    demo()

    leads = Project.objects.filter(synthetic=True).annotate(
        leads=Count("partnerships", filter=Q(partnerships__role="lead"))
    )
    assert set(leads.values_list("leads", flat=True)) == {1}


def test_records_pass_the_models_own_validation(real):
    """Tax-code checksums, role terms inside the network's life, no overlapping presidency."""
    demo()

    for model in (Organisation, Network, WorkingGroup, NetworkLink):
        for obj in model.objects.filter(synthetic=True):
            obj.full_clean()
    for role in GoverningRole.objects.filter(
        synthetic=True, role__in=["presidency", "secretariat"]
    ):
        role.full_clean()
    for role in GoverningRole.objects.filter(synthetic=True, role="member")[:50]:
        role.full_clean()
    for project in Project.objects.filter(synthetic=True)[:50]:
        project.full_clean()
        for partnership in project.partnerships.all():
            partnership.full_clean()


def test_presidencies_rotate_without_overlapping(real):
    demo()

    for network in Network.objects.filter(synthetic=True):
        terms = list(
            network.roles.filter(role="presidency")
            .order_by("start_date")
            .values_list("start_date", "end_date")
        )
        assert terms, network
        for (_, end), (next_start, _) in pairwise(terms):
            assert end is not None and end < next_start
        assert terms[0][0] == network.start_date
        assert terms[-1][1] == network.end_date


def test_tax_codes_are_valid_and_unique(real):
    demo()

    orgs = Organisation.objects.filter(synthetic=True)
    codes = [c for c in orgs.values_list("tax_code", flat=True) if c]
    vats = [c for c in orgs.values_list("vat_number", flat=True) if c]
    assert len(codes) > 300 and len(vats) > 100
    assert all(codicefiscale.is_valid(c) for c in codes)
    assert all(iva.is_valid(c) for c in vats)
    assert len(set(codes)) == len(codes)
    assert real["organisation"].tax_code not in codes


def test_real_records_are_untouched_and_their_names_never_reused(real):
    before = snapshot(real)
    demo()
    taken = Organisation.objects.filter(synthetic=True).order_by("id").first().name_it
    Organisation.objects.create(name_it=taken, kind="company", synthetic=False)

    demo()

    assert snapshot(real) == before
    assert not Organisation.objects.filter(synthetic=True, name_it=taken).exists()
    real_names = {"Regione Toscana", "ESFCoNet", "Fare rete per l'inclusione sociale", taken}
    assert not Organisation.objects.filter(synthetic=True, name_it__in=real_names).exists()
    assert not Network.objects.filter(synthetic=True, name_it__in=real_names).exists()
    assert not Project.objects.filter(synthetic=True, title_it__in=real_names).exists()
    assert real["project"].partnerships.count() == 1


def test_running_twice_leaves_the_same_data(real):
    demo()
    first = synthetic_counts()
    titles = list(Project.objects.filter(synthetic=True).order_by("id").values_list("title_it"))

    demo()

    assert synthetic_counts() == first
    assert (
        list(Project.objects.filter(synthetic=True).order_by("id").values_list("title_it"))
        == titles
    )


def test_another_seed_gives_other_data(real):
    demo(seed=1)
    first = set(Project.objects.filter(synthetic=True).values_list("title_it", "budget"))

    demo(seed=2)

    assert set(Project.objects.filter(synthetic=True).values_list("title_it", "budget")) != first


def test_the_run_is_recorded_once_with_its_counts(real):
    demo()
    demo()

    source = Source.objects.get(key=SOURCE_KEY)
    assert "scala small" in source.note and "seed 1" in source.note
    assert "- progetti: 1000" in source.note
    assert Project.objects.filter(synthetic=True).exclude(source=source).count() == 0
    assert Source.objects.filter(key=SOURCE_KEY).count() == 1


def test_real_data_pointing_at_demo_data_stops_the_run(real):
    demo()
    counts = synthetic_counts()
    demo_org = Organisation.objects.filter(synthetic=True).first()
    Partnership.objects.create(
        project=real["project"], organisation=demo_org, role="partner", synthetic=False
    )

    with pytest.raises(CommandError, match="real data"):
        demo()

    assert synthetic_counts() == counts


def test_a_membership_of_a_demo_organisation_goes_with_it(real):
    demo()
    demo_org = Organisation.objects.filter(synthetic=True).first()
    membership = f.MembershipFactory(organisation=demo_org)
    own = f.MembershipFactory(organisation=real["organisation"])

    demo()

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_load_that_sets_indexes_aside_rebuilds_them_all(real):
    def schema():
        with connection.cursor() as cursor:
            tables = [m._meta.db_table for m in BULK_MODELS]
            indexes = {
                table: connection.introspection.get_constraints(cursor, table) for table in tables
            }
        return {t: sorted(c) for t, c in indexes.items()}

    before = schema()
    demo()  # earlier synthetic data, deleted while the indexes are set aside
    scale = Scale(
        "tiny", organisations=50, networks=3, projects=100, batch=40, rebuild_indexes=True
    )

    generate(scale)

    assert schema() == before
    assert Project.objects.filter(synthetic=True).count() == 100
    lead = Partnership.objects.filter(synthetic=True, role="lead").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            project=lead.project, organisation=real["organisation"], role="lead"
        )


def test_the_demo_records_are_found_by_search_and_a_new_run_forgets_the_old_ones(real):
    """`reti demo` writes in bulk, past the signals that index records one by one: it rebuilds
    the search index, so its records are found and those of the previous run are not."""
    from reti.registry import search

    demo(seed=1)
    first = Organisation.objects.filter(synthetic=True).order_by("pk").first()
    found = search.search(first.name_it, kind="organisation")
    assert first.pk in [hit.object_id for group in found.groups for hit in group.hits]
    demo(seed=2)
    assert not Organisation.objects.filter(pk=first.pk, name_it=first.name_it).exists()
    stale = search.search(first.name_it, kind="organisation")
    assert first.pk not in [hit.object_id for group in stale.groups for hit in group.hits]
    assert search.search("ESFCoNet").total >= 1  # real records stay indexed


def test_the_demo_mails_none_of_its_synthetic_people(real, monkeypatch, mailoutbox):
    """Issue 15 §7: the grants' demo, going through the actions, e-mailed its synthetic
    applicants: some sixty messages printed around a first `make run`'s progress (and sent, on a
    server with an SMTP relay)."""
    from reti.lib import extensions

    hooks = extensions.demos()
    monkeypatch.setattr(
        extensions, "demos", lambda: [*hooks, extensions.Demo("reti.registry.tests.mailing_demo")]
    )
    output = demo(seed=1)
    assert "messaggi di prova: 1" in output
    assert mailoutbox == []
