"""The AppConfig extension points: an app that declares them shows up without anyone naming it.

`grants` below is a pretend new app (not Reti's grants app): its hooks are set on the
accounts app's config (which declares none of its own) for the length of a test, and its
templates live in a temporary folder; this module is its demo module and its sections module.
"""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from reti.lib import extensions
from reti.lib.extensions import Demo, Section

HERE = __name__
CALLS: list[tuple] = []


def generate(scale_name: str, *, seed: int, report) -> dict[str, int]:
    CALLS.append(("generate", scale_name, seed))
    return {"bandi sintetici": 7}


def purge(*, report) -> int:
    CALLS.append(("purge",))
    return 0


def organisation_calls(request, organisation) -> dict | None:
    """Only Toscana has calls open: another organisation's page leaves the section out."""
    if organisation.name_it != "Regione Toscana (prova)":
        return None
    return {"calls": ["Bando inclusione 2027"]}


def account_calls(request, user) -> dict:
    return {"who": user.get_username()}


@pytest.fixture
def grants(monkeypatch, settings, tmp_path):
    folder = tmp_path / "pretend"
    folder.mkdir()
    (folder / "organisation.html").write_text(
        '<section id="grants-calls">{{ object.name_it }}: {{ calls|join:", " }}</section>'
    )
    (folder / "account.html").write_text('<section id="grants-account">{{ who }}</section>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    config = apps.get_app_config("accounts")
    monkeypatch.setattr(config, "demo", Demo(HERE, order=5), raising=False)
    calls = Section("pretend/organisation.html", f"{HERE}.organisation_calls", order=15)
    portal = {"organisation": (calls,)}
    monkeypatch.setattr(config, "portal_sections", portal, raising=False)
    account = (Section("pretend/account.html", f"{HERE}.account_calls", order=25),)
    monkeypatch.setattr(config, "account_sections", account, raising=False)
    CALLS.clear()
    return config


def _ids_in_order(page: str, ids: list[str]) -> list[str]:
    """`ids` sorted by where they first occur on the page (those absent left out)."""
    found = [(page.index(f'id="{name}"'), name) for name in ids if f'id="{name}"' in page]
    return [name for _position, name in sorted(found)]


def test_the_apps_demo_modules_run_in_their_declared_order(grants):
    assert [demo.module for demo in extensions.demos()] == [
        HERE,
        "reti.knowledge.demo",
        "reti.events.demo",
        "reti.communities.demo",
        "reti.monitoring.demo",
        "reti.grids.demo",
        "reti.grants.demo",
        "reti.csr.demo",
        "reti.opencoesione.demo",
    ]


def test_a_new_app_takes_part_in_reti_demo(grants, monkeypatch, db):
    # Only the new app beside the registry: the others' generators have their own tests.
    for label in (
        "knowledge",
        "events",
        "communities",
        "monitoring",
        "grids",
        "grants",
        "csr",
        "opencoesione",
    ):
        monkeypatch.delattr(type(apps.get_app_config(label)), "demo")
    out = StringIO()
    call_command("demo", scale="small", seed=4, stdout=out, verbosity=0)
    assert CALLS == [("purge",), ("generate", "small", 4)]
    assert "bandi sintetici: 7" in out.getvalue()


def test_a_new_app_adds_a_section_to_an_organisations_page(client, cast, grants):
    page = client.get(reverse("portal:organisation_detail", args=[cast.toscana.pk])).content
    page = page.decode()
    assert "Regione Toscana (prova): Bando inclusione 2027" in page
    # Between knowledge's (10) and events' (20) sections, as its order says.
    ids = ["organisation-transfers", "grants-calls", "events"]
    assert _ids_in_order(page, ids) == ids
    other = client.get(reverse("portal:organisation_detail", args=[cast.lazio.pk])).content
    assert b'id="grants-calls"' not in other


def test_a_new_app_adds_a_section_to_the_account_page(client, cast, grants):
    client.force_login(cast.viewer)
    page = client.get(reverse("accounts:account")).content.decode()
    assert f'<section id="grants-account">{cast.viewer.get_username()}</section>' in page
    ids = ["communities-title", "grants-account", "registrations-title"]
    assert _ids_in_order(page, ids) == ids


def test_an_unknown_portal_page_is_refused(grants, monkeypatch):
    monkeypatch.setattr(grants, "portal_sections", {"organization": ()})
    with pytest.raises(ValueError, match="organization"):
        extensions.sections("portal_sections", "organisation")


SECTIONS = {
    "organisation": (["organisation-transfers", "events"], ["Buone pratiche trasferite"]),
    "network": (["events"], ["Eventi della rete"]),
}


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_record_pages_show_the_same_sections_as_before(client, cast, language):
    with translation.override(language):
        pages = {
            "organisation": reverse("portal:organisation_detail", args=[cast.toscana.pk]),
            "network": reverse("portal:network_detail", args=[cast.network.slug]),
        }
        for kind, url in pages.items():
            page = client.get(url).content.decode()
            ids, headings = SECTIONS[kind]
            assert _ids_in_order(page, ids) == ids
            for heading in headings:
                assert gettext(heading) in page
                assert (gettext(heading) != heading) is (language == "en")


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_account_page_shows_the_same_sections_as_before(client, cast, language):
    client.force_login(cast.toscana_officer)
    with translation.override(language):
        page = client.get(reverse("accounts:account")).content.decode()
        ids = [
            "organisations-title",
            "monitoring-links",  # Toscana's officer reads the dashboards
            "communities-title",
            "registrations-title",
            "drafts-title",
        ]
        assert _ids_in_order(page, ids) == ids
        for heading in (
            "Le tue comunità di pratica",
            "Le tue iscrizioni agli eventi",
            "Le bozze delle tue pratiche",
        ):
            assert gettext(heading) in page
            assert (gettext(heading) != heading) is (language == "en")


def test_the_portal_and_accounts_templates_name_no_other_app():
    # Issue 23, item 6: other apps join their pages through the AppConfig hooks, so the
    # portal's and the account area's templates link none of them by URL name.
    from pathlib import Path

    import reti

    root = Path(reti.__file__).parent
    apps_names = [config.label for config in apps.get_app_configs()]
    others = "|".join(
        name for name in apps_names if name not in ("portal", "accounts", "registry", "admin")
    )
    pattern = re.compile(r"{%\s*url\s+['\"](" + others + r"):")
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for folder in ("portal/templates", "accounts/templates")
        for path in sorted((root / folder).rglob("*.html"))
        for match in pattern.finditer(path.read_text())
    ]
    assert found == []
    assert pattern.search("{% url 'monitoring:indicators' %}")
