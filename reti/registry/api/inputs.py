"""What the API accepts on POST; PATCH takes any subset of the same fields.

References go by public key: territories, periods, funds and themes by code, other records by
id. Provenance (source, slides, synthetic) is not writable: records written through the API are
real data whose history is the audit trail.
"""

from datetime import date
from decimal import Decimal

from ninja import Field

from reti.lib.api.schemas import Count, Id, Input, choice, text_fields

from ..models import (
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    Project,
    WorkingGroup,
)


class OrganisationIn(Input):
    multiline = text_fields(Organisation)
    name_it: str
    name_en: str = ""
    acronym: str = ""
    kind: choice(Organisation.Kind)
    runts_section: choice(Organisation.RuntsSection) | None = Field(
        None, description="Only for third-sector entities and social cooperatives."
    )
    parent: Id | None = Field(None, description="Id of the organisation it belongs to.")
    territory: str | None = Field(None, description="ISTAT, NUTS or ISO code.")
    tax_code: str | None = Field(None, description="Codice fiscale, checked by its checksum.")
    vat_number: str | None = Field(None, description="Partita IVA, checked by its checksum.")
    website: str = ""
    status: choice(Organisation.Status) = Organisation.Status.ACTIVE.value
    note_it: str = ""
    note_en: str = ""


class NetworkIn(Input):
    multiline = text_fields(Network)
    slug: str
    name_it: str
    name_en: str = ""
    acronym: str = ""
    scope: choice(Network.Scope)
    status: choice(Network.Status)
    purpose_it: str = ""
    purpose_en: str = ""
    start_date: date | None = None
    end_date: date | None = None
    declared_member_count: Count | None = None
    website: str = ""
    themes: list[str] = Field([], description="Theme codes.")
    periods: list[str] = Field([], description="Programming period codes.")


class ProjectIn(Input):
    multiline = text_fields(Project)
    title_it: str
    title_en: str = ""
    acronym: str = ""
    cup: str | None = None
    kind: choice(Project.Kind)
    status: choice(Project.Status)
    period: str = Field(description="Programming period code, e.g. 2021-2027.")
    fund: str | None = Field(None, description="Fund code, e.g. FSE+.")
    objectives_it: str = ""
    objectives_en: str = ""
    results_it: str = ""
    results_en: str = ""
    budget: Decimal | None = None
    start_date: date | None = None
    end_date: date | None = None
    declared_partner_count: Count | None = None
    partners_note_it: str = ""
    partners_note_en: str = ""
    themes: list[str] = Field([], description="Theme codes.")
    networks: list[Id] = Field([], description="Ids of linked networks.")


class ProjectCreate(ProjectIn):
    lead: Id | None = Field(
        None,
        description="Id of the lead organisation; editors may only create projects their "
        "organisation leads.",
    )


class PartnershipIn(Input):
    multiline = text_fields(Partnership)
    project: Id
    organisation: Id
    role: choice(Partnership.Role)
    contribution_it: str = ""
    contribution_en: str = ""
    start_date: date | None = None
    end_date: date | None = None


class GoverningRoleIn(Input):
    multiline = text_fields(GoverningRole)
    network: Id
    organisation: Id
    role: choice(GoverningRole.Role)
    start_date: date | None = None
    end_date: date | None = None
    attested_on: date | None = None
    note_it: str = ""
    note_en: str = ""


class WorkingGroupIn(Input):
    multiline = text_fields(WorkingGroup)
    network: Id
    title_it: str
    title_en: str = ""
    programme_year: int = Field(ge=1990, le=2100)
    coordinator: Id | None = Field(None, description="Id of the coordinating organisation.")
    priorities_it: list[str] = []
    priorities_en: list[str] = []
    programme_it: str = ""
    programme_en: str = ""
    themes: list[str] = Field([], description="Theme codes.")
    related_networks: list[Id] = Field([], description="Ids of networks it works with.")


class NetworkLinkIn(Input):
    multiline = text_fields(NetworkLink)
    from_network: Id
    to_network: Id
    kind: choice(NetworkLink.Kind)
    note_it: str = ""
    note_en: str = ""
