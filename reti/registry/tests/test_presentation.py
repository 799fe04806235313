"""The presentation's facts: what is loaded, idempotence, atomicity and errors on bad input."""

import datetime

import pytest
import yaml
from django.apps import apps
from django.core.management import CommandError, call_command

from reti.registry.models import (
    Action,
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    Person,
    Project,
    Source,
    WorkingGroup,
)
from reti.registry.presentation import LoadError, load_presentation

LOADED = [Organisation, Network, NetworkLink, GoverningRole, WorkingGroup, Project]
LOADED += [Partnership, Action]


def history_rows() -> int:
    return sum(
        model.objects.count()
        for model in apps.get_app_config("registry").get_models()
        if model.__name__.startswith("Historical")
    )


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in [*LOADED, Source, Person]}


# -- the facts ----------------------------------------------------------------------------


def test_esfconet_secretariat_and_presidency(presentation):
    esfconet = Network.objects.get(slug="esfconet")
    assert (esfconet.scope, esfconet.status) == (Network.Scope.TRANSNATIONAL, "active")
    secretariat = esfconet.roles.get(role=GoverningRole.Role.SECRETARIAT)
    assert secretariat.organisation.name_it == "Provincia autonoma di Trento"
    assert secretariat.organisation.territory.code == "022"
    presidency = esfconet.roles.get(role=GoverningRole.Role.PRESIDENCY)
    assert presidency.organisation.name_en == "Ministry of Employment and the Economy (Finland)"
    assert presidency.organisation.territory.code == "FI"
    # The slide says "current": attested on the presentation's date, no invented term.
    assert presidency.attested_on == datetime.date(2011, 11, 5)
    assert presidency.start_date is None and presidency.end_date is None
    assert [p.code for p in esfconet.periods.all()] == ["2007-2013"]


def test_esfconet_working_groups_2012(presentation):
    groups = {
        g.title_it: g
        for g in WorkingGroup.objects.filter(network__slug="esfconet", programme_year=2012)
    }
    assert len(groups) == 2
    inclusion = groups["Inclusione sociale e nuove povertà"]
    assert inclusion.coordinator.name_en == "Flanders (Belgium)"
    assert inclusion.coordinator.kind == Organisation.Kind.FOREIGN_AUTHORITY
    assert inclusion.coordinator.territory.code == "BE2"
    assert {n.slug for n in inclusion.related_networks.all()} == {"empowerment-social-inclusion"}
    assert "Attenzione al ruolo della società civile" in inclusion.priorities
    youth = groups["Giovani tra istruzione e lavoro, tra merito e competenze"]
    assert youth.coordinator.name_it == "Regione Toscana"
    assert youth.coordinator.territory.code == "09"
    assert {n.slug for n in youth.related_networks.all()} == {"earlall", "youth-employment"}
    assert len(youth.priorities) == 2
    assert "disability" in {t.code for t in youth.themes.all()}


def test_esfconet_links_to_the_eu_learning_networks(presentation):
    linked = NetworkLink.objects.filter(from_network__slug="esfconet", kind="linked_to")
    assert {link.to_network.name for link in linked} == {
        "Empowerment and social inclusion",
        "EARLALL",
        "Youth employment",
    }
    support = NetworkLink.objects.get(kind="supports")
    assert (support.from_network.slug, support.to_network.slug) == (
        "empowerment-social-inclusion",
        "esfconet",
    )
    learning = Network.objects.filter(scope=Network.Scope.EU_LEARNING)
    assert {n.slug for n in learning} == {
        "empowerment-social-inclusion",
        "earlall",
        "youth-employment",
        "saviav",
        "exocoop",
    }
    assert set(learning.values_list("status", flat=True)) == {"active"}
    assert not learning.exclude(purpose_it="").exists()  # the slides only name them


def test_oltre_il_confine(presentation):
    project = Project.objects.get(key="oltre-il-confine")
    assert project.kind == Project.Kind.AGREEMENT
    assert (project.period.code, project.fund.code) == ("2007-2013", "FSE")
    assert project.declared_partner_count == 14
    assert {p.organisation.key for p in project.partnerships.all()} == {
        "ministero-lavoro-italia",
        "ministero-lavoro-romania",
        "dpo",
    }
    assert "11" in project.partners_note_it
    assert [n.slug for n in project.networks.all()] == ["saviav"]
    kinds = set(project.actions.values_list("kind", flat=True))
    assert kinds == {"study_visit", "exchange", "seminar", "community_of_practice"}
    assert project.actions.filter(kind="seminar", title_it__contains="vittime di tratta").exists()


def test_penal_execution_project(presentation):
    project = Project.objects.get(key="esecuzione-penale")
    assert project.declared_partner_count == 15
    dap = project.partnerships.get().organisation
    assert (dap.acronym, dap.kind) == ("DAP", Organisation.Kind.MINISTRY_DEPARTMENT)
    assert dap.parent.name_it == "Ministero della Giustizia"
    assert [n.slug for n in project.networks.all()] == ["exocoop"]
    actions = project.actions.all()
    assert {a.kind for a in actions} == {
        "intervention",
        "survey_analysis",
        "monitoring_evaluation",
        "communication",
        "study_visit",
    }
    assert [a.kind for a in actions if a.level == "territorial"] == ["intervention"]


def test_csr_network_is_starting_with_its_actions(presentation):
    network = Network.objects.get(slug="rete-rsi")
    assert (network.scope, network.status) == (Network.Scope.INTERREGIONAL, "starting")
    assert "griglie valutative" in network.purpose_it
    assert sorted(network.actions.values_list("kind", flat=True)) == [
        "award",
        "exchange",
        "facilitation",
    ]
    assert network.actions.filter(title_it__contains="premio nazionale").exists()


def test_global_grant_project_of_2000_2006(presentation):
    project = Project.objects.get(key="sg-piccoli-sussidi")
    assert (project.period.code, project.status, project.kind) == (
        "2000-2006",
        "completed",
        "interregional",
    )
    assert project.declared_partner_count == 12
    toscana = project.partnerships.get()
    assert toscana.organisation.name_it == "Regione Toscana"
    assert "imprenditorialità sociale" in toscana.contribution_it
    assert "Sviluppo locale attraverso l'economia sociale" in project.results_it


def test_every_loaded_record_names_its_source_and_slides(presentation):
    assert presentation.title == (
        "L'economia sociale nelle reti e progetti promossi dalle Regioni italiane"
    )
    assert (presentation.place, presentation.date) == ("Milano", datetime.date(2011, 11, 5))
    for model in LOADED:
        records = model.objects.all()
        assert records.exists(), model
        for record in records:
            assert record.source_id == presentation.pk, record
            assert record.source_slides, record
            assert not record.synthetic
            slides = [int(s) for s in record.source_slides.split(",")]
            assert all(1 <= s <= 13 for s in slides), record


def test_no_contact_person_is_loaded(presentation):
    assert not Person.objects.exists()
    tecnostruttura = Organisation.objects.get(key="tecnostruttura")
    assert tecnostruttura.kind == Organisation.Kind.TECHNICAL_ASSISTANCE


def test_the_audit_trail_records_the_load(presentation):
    record = Network.objects.get(slug="esfconet").history.earliest()
    assert (record.history_type, record.history_change_reason) == ("+", "load-presentation")


# -- idempotence ---------------------------------------------------------------------------


def test_a_second_load_changes_nothing(presentation):
    before, history = counts(), history_rows()
    updated_at = list(Network.objects.values_list("updated_at", flat=True))
    report = load_presentation()
    assert report.written == 0
    assert counts() == before
    assert history_rows() == history
    assert list(Network.objects.values_list("updated_at", flat=True)) == updated_at


def test_a_load_restores_what_the_file_says(presentation):
    Network.objects.filter(slug="rete-rsi").update(status="closed")
    Project.objects.get(key="oltre-il-confine").networks.clear()
    history = history_rows()
    report = load_presentation()
    assert report.updated == {"Network": 1, "Project": 1}
    assert Network.objects.get(slug="rete-rsi").status == "starting"
    assert Project.objects.get(key="oltre-il-confine").networks.get().slug == "saviav"
    assert history_rows() > history


def test_the_command_says_when_nothing_changed(presentation, capsys):
    call_command("load_presentation")
    assert "already up to date" in capsys.readouterr().out


# -- another file, and bad input ---------------------------------------------------------

MINIMAL = {
    "source": {"key": "fonte-di-prova", "title": "Fonte di prova (dati sintetici)"},
    "organisations": [
        {
            "key": "ente-di-prova",
            "slides": [1],
            "name_it": "Ente di prova",
            "kind": "other",
            "territory": "09",
        }
    ],
    "networks": [
        {
            "key": "rete-di-prova",
            "slides": [2],
            "name_it": "Rete di prova",
            "scope": "interregional",
            "status": "active",
            "roles": [{"organisation": "ente-di-prova", "role": "member", "slides": [2]}],
        }
    ],
}


def write(tmp_path, data) -> str:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_a_role_removed_from_the_file_is_removed(presentation, tmp_path):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    load_presentation(write(tmp_path, data))
    assert GoverningRole.objects.filter(network__slug="rete-di-prova").count() == 1
    data["networks"][0]["roles"] = []
    report = load_presentation(write(tmp_path, data))
    assert report.deleted == {"GoverningRole": 1}
    assert not GoverningRole.objects.filter(network__slug="rete-di-prova").exists()


def _set(path, value):
    def change(data):
        *parents, last = path
        target = data
        for step in parents:
            target = target[step]
        target[last] = value

    return change


def _two_orgs_with_tax_code(data):
    first = data["organisations"][0]
    first["tax_code"] = "12345670017"
    data["organisations"].append({**first, "key": "ente-doppio"})


BAD_INPUT = [
    (
        _set(["networks", 0, "roles", 0, "organisation"], "xyz"),
        "networks[rete-di-prova].roles[0].organisation: unknown organisation 'xyz'",
    ),
    (
        _set(["organisations", 0, "territory"], "ZZ9"),
        "organisations[ente-di-prova].territory: unknown territory 'ZZ9'",
    ),
    (
        lambda d: d["networks"][0].update(
            start_date=datetime.date(2012, 1, 1), end_date=datetime.date(2011, 1, 1)
        ),
        "networks[rete-di-prova].end_date: ends (2011-01-01) before it starts (2012-01-01)",
    ),
    (_two_orgs_with_tax_code, "organisations[ente-doppio].tax_code:"),
    (_set(["organisations", 0, "tax_code"], "12345670018"), "[ente-di-prova].tax_code:"),
    (
        lambda d: (
            d["networks"][0].update(start_date=datetime.date(2012, 1, 1)),
            d["networks"][0]["roles"][0].update(start_date=datetime.date(2010, 1, 1)),
        ),
        "networks[rete-di-prova].roles[0].start_date:",
    ),
    (
        _set(["networks", 0, "scope"], "galactic"),
        "networks[rete-di-prova].scope:",
    ),
    (
        lambda d: d["organisations"][0].pop("slides"),
        "organisations[ente-di-prova].slides: required",
    ),
    (_set(["organisations", 0, "nmae_it"], "x"), "organisations[ente-di-prova].nmae_it: unknown"),
    (
        _set(["networks", 0, "roles", 0, "start_date"], "2011-13-01"),
        "networks[rete-di-prova].roles[0].start_date:",
    ),
    (
        _set(["networks", 0, "themes"], ["no-such-theme"]),
        "networks[rete-di-prova].themes: unknown theme 'no-such-theme'",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_INPUT)
def test_bad_input_names_file_entry_and_field_and_changes_nothing(
    presentation, tmp_path, change, message
):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    change(data)
    path = write(tmp_path, data)
    before, history = counts(), history_rows()
    with pytest.raises(LoadError) as raised:
        load_presentation(path)
    assert any(line.startswith(f"{path}: ") for line in raised.value.errors)
    assert message in str(raised.value)
    assert counts() == before
    assert history_rows() == history
    assert not Source.objects.filter(key="fonte-di-prova").exists()


def test_the_command_refuses_a_bad_file(presentation, tmp_path):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    data["networks"][0]["roles"][0]["organisation"] = "xyz"
    with pytest.raises(CommandError, match=r"roles\[0\]\.organisation: unknown organisation"):
        call_command("load_presentation", file=write(tmp_path, data))


def test_a_file_that_is_not_yaml(presentation, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("source: [unclosed\n", encoding="utf-8")
    with pytest.raises(LoadError, match="not valid YAML"):
        load_presentation(path)
