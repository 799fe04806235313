"""A small synthetic registry for the API tests, and helpers to call the API with a token."""

import json
from dataclasses import dataclass
from datetime import date

from reti.accounts.models import ApiToken
from reti.registry.models import (
    Action,
    GoverningRole,
    NetworkLink,
    Partnership,
    Source,
    Territory,
    WorkingGroup,
)
from reti.registry.tests import factories as f


def bearer(user) -> dict:
    """Headers carrying a fresh API token of `user`."""
    _, key = ApiToken.objects.issue(user, "test")
    return {"Authorization": f"Bearer {key}"}


def send(client, method: str, url: str, body=None, user=None):
    """A JSON request as `user` (anonymous when None)."""
    headers = bearer(user) if user is not None else {}
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


@dataclass
class World:
    italy: Territory
    toscana_region: Territory
    firenze_province: Territory
    firenze: Territory
    lazio_region: Territory
    romania: Territory
    inclusion: object  # a theme with a sub-theme
    penal: object  # sub-theme of inclusion
    csr: object
    p2000: object
    p2007: object
    esf: object  # network, 2007-2013, inclusion
    learning: object  # EU learning network, linked from esf
    csr_network: object  # starting, synthetic=False
    coop: object  # cooperative in the municipality of Firenze
    toscana: object
    lazio: object
    ministry: object  # Romanian ministry
    penal_project: object  # 2007-2013, penal theme, toscana lead, coop partner, esf network
    grant_project: object  # 2000-2006, lazio lead, declared 12 partners
    group: object  # esf working group coordinated by toscana


def build_world() -> World:
    """Territories, themes, periods, organisations, networks and projects with relations."""
    territory = f.TerritoryFactory
    italy = territory(code="IT", level=Territory.Level.COUNTRY, name_it="Italia", iso_code="IT")
    centre = territory(code="ITI", level=Territory.Level.MACRO_AREA, name_it="Centro", parent=italy)
    toscana_region = territory(code="09", name_it="Toscana", nuts_code="ITI1", parent=centre)
    firenze_province = territory(
        code="048", level=Territory.Level.PROVINCE, name_it="Firenze", parent=toscana_region
    )
    firenze = territory(
        code="048017",
        level=Territory.Level.MUNICIPALITY,
        name_it="Firenze",
        parent=firenze_province,
    )
    lazio_region = territory(code="12", name_it="Lazio", nuts_code="ITI4", parent=centre)
    romania = territory(code="RO", level=Territory.Level.COUNTRY, name_it="Romania", iso_code="RO")
    inclusion = f.ThemeFactory(code="inclusione-sociale", name_it="Inclusione sociale")
    penal = f.ThemeFactory(code="esecuzione-penale", name_it="Esecuzione penale", parent=inclusion)
    csr = f.ThemeFactory(code="rsi", name_it="Responsabilità sociale d'impresa")
    p2000 = f.PeriodFactory(code="2000-2006", start_year=2000, end_year=2006)
    p2007 = f.PeriodFactory(code="2007-2013", start_year=2007, end_year=2013)
    source = Source.objects.create(key="prova-2011", title="Presentazione di prova")

    toscana = f.OrganisationFactory(name_it="Regione Toscana (sintetica)", territory=toscana_region)
    lazio = f.OrganisationFactory(name_it="Regione Lazio (sintetica)", territory=lazio_region)
    coop = f.OrganisationFactory(
        name_it="Cooperativa sociale di prova", kind="social_coop_b", territory=firenze
    )
    ministry = f.OrganisationFactory(
        name_it="Ministero di prova", kind="foreign_authority", territory=romania, synthetic=False
    )

    esf = f.NetworkFactory(
        name_it="Rete di prova per l'inclusione",
        name_en="Test network for inclusion",
        acronym="RPI",
        start_date=date(2008, 1, 1),
        declared_member_count=12,
        source=source,
        source_slides="7",
        synthetic=False,
    )
    esf.themes.set([inclusion])
    esf.periods.set([p2007])
    learning = f.NetworkFactory(name_it="Rete europea di prova", scope="eu_learning")
    csr_network = f.NetworkFactory(name_it="Rete di prova RSI", status="starting", synthetic=False)
    csr_network.themes.set([csr])
    GoverningRole.objects.create(
        network=esf, organisation=lazio, role="secretariat", start_date=date(2008, 1, 1)
    )
    GoverningRole.objects.create(
        network=esf,
        organisation=toscana,
        role="presidency",
        start_date=date(2010, 1, 1),
        end_date=date(2010, 12, 31),
    )
    GoverningRole.objects.create(
        network=esf, organisation=ministry, role="presidency", start_date=date(2011, 1, 1)
    )
    GoverningRole.objects.create(
        network=esf, organisation=coop, role="member", attested_on=date(2011, 11, 5)
    )
    NetworkLink.objects.create(from_network=esf, to_network=learning, kind="linked_to")
    group = WorkingGroup.objects.create(
        network=esf,
        title_it="Gruppo di prova",
        title_en="Test group",
        programme_year=2012,
        coordinator=toscana,
        priorities_it="Prima priorità\nSeconda priorità\n",
        priorities_en="First priority\nSecond priority",
    )
    group.themes.set([penal])
    group.related_networks.set([learning])
    Action.objects.create(network=esf, kind="peer_review", level="interregional", title_it="Peer")

    penal_project = f.ProjectFactory(
        title_it="Progetto di prova per l'esecuzione penale",
        acronym="PPEP",
        period=p2007,
        declared_partner_count=14,
        synthetic=False,
    )
    penal_project.themes.set([penal])
    penal_project.networks.set([esf])
    Partnership.objects.create(project=penal_project, organisation=coop, role="partner")
    Partnership.objects.create(project=penal_project, organisation=toscana, role="lead")
    Action.objects.create(
        project=penal_project, kind="survey_analysis", level="territorial", title_it="Indagine"
    )
    grant_project = f.ProjectFactory(
        title_it="Piccoli sussidi di prova",
        period=p2000,
        kind="interregional",
        status="completed",
        declared_partner_count=12,
    )
    Partnership.objects.create(project=grant_project, organisation=lazio, role="lead")
    return World(
        italy=italy,
        toscana_region=toscana_region,
        firenze_province=firenze_province,
        firenze=firenze,
        lazio_region=lazio_region,
        romania=romania,
        inclusion=inclusion,
        penal=penal,
        csr=csr,
        p2000=p2000,
        p2007=p2007,
        esf=esf,
        learning=learning,
        csr_network=csr_network,
        coop=coop,
        toscana=toscana,
        lazio=lazio,
        ministry=ministry,
        penal_project=penal_project,
        grant_project=grant_project,
        group=group,
    )
