"""What the API accepts on POST; PATCH takes any subset of the same fields.

References go by public key: territories, periods, funds and themes by code, other records by
id. Provenance (source, slides, synthetic) is not writable: records written through the API are
real data whose history is the audit trail.
"""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from reti.lib.api.schemas import choice

from ..models import (
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    Project,
)


class Input(Schema):
    # A misspelt field would otherwise be dropped silently.
    model_config = ConfigDict(extra="forbid")


class OrganisationIn(Input):
    name_it: str
    name_en: str = ""
    acronym: str = ""
    kind: choice(Organisation.Kind)
    runts_section: choice(Organisation.RuntsSection) | None = Field(
        None, description="Only for third-sector entities and social cooperatives."
    )
    parent: int | None = Field(None, description="Id of the organisation it belongs to.")
    territory: str | None = Field(None, description="ISTAT, NUTS or ISO code.")
    tax_code: str | None = Field(None, description="Codice fiscale, checked by its checksum.")
    vat_number: str | None = Field(None, description="Partita IVA, checked by its checksum.")
    website: str = ""
    status: choice(Organisation.Status) = Organisation.Status.ACTIVE.value
    note_it: str = ""
    note_en: str = ""


class NetworkIn(Input):
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
    declared_member_count: int | None = None
    website: str = ""
    themes: list[str] = Field([], description="Theme codes.")
    periods: list[str] = Field([], description="Programming period codes.")


class ProjectIn(Input):
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
    declared_partner_count: int | None = None
    partners_note_it: str = ""
    partners_note_en: str = ""
    themes: list[str] = Field([], description="Theme codes.")
    networks: list[int] = Field([], description="Ids of linked networks.")


class ProjectCreate(ProjectIn):
    lead: int | None = Field(
        None,
        description="Id of the lead organisation; editors may only create projects their "
        "organisation leads.",
    )


class PartnershipIn(Input):
    project: int
    organisation: int
    role: choice(Partnership.Role)
    contribution_it: str = ""
    contribution_en: str = ""
    start_date: date | None = None
    end_date: date | None = None


class GoverningRoleIn(Input):
    network: int
    organisation: int
    role: choice(GoverningRole.Role)
    start_date: date | None = None
    end_date: date | None = None
    attested_on: date | None = None
    note_it: str = ""
    note_en: str = ""


class WorkingGroupIn(Input):
    network: int
    title_it: str
    title_en: str = ""
    programme_year: int = Field(ge=1990, le=2100)
    coordinator: int | None = Field(None, description="Id of the coordinating organisation.")
    priorities_it: list[str] = []
    priorities_en: list[str] = []
    programme_it: str = ""
    programme_en: str = ""
    themes: list[str] = Field([], description="Theme codes.")
    related_networks: list[int] = Field([], description="Ids of networks it works with.")


class NetworkLinkIn(Input):
    from_network: int
    to_network: int
    kind: choice(NetworkLink.Kind)
    note_it: str = ""
    note_en: str = ""
