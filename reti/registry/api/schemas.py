"""What the API answers: one schema per resource shape, Italian and English fields side by side."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from reti.lib.api.schemas import choice

from ..models import (
    Action,
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    Project,
    Territory,
)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SourceOut(Schema):
    key: str
    title: str


class ProvenanceOut(Schema):
    """Where a record comes from: a source with its slides, or synthetic demo data."""

    source: SourceOut | None
    slides: str
    synthetic: bool


class WithProvenance(Schema):
    provenance: ProvenanceOut

    @staticmethod
    def resolve_provenance(obj):
        return {"source": obj.source, "slides": obj.source_slides, "synthetic": obj.synthetic}


class ThemeOut(Schema):
    code: str
    name_it: str
    name_en: str


class FundOut(Schema):
    code: str
    name_it: str
    name_en: str


class TerritoryRef(Schema):
    code: str
    level: choice(Territory.Level)
    name_it: str
    name_en: str


class OrganisationRef(Schema):
    id: int
    name_it: str
    name_en: str
    acronym: str
    kind: choice(Organisation.Kind)


class NetworkRef(Schema):
    id: int
    slug: str
    name_it: str
    name_en: str
    acronym: str


class ProjectRef(Schema):
    id: int
    title_it: str
    title_en: str
    acronym: str


class ActionOut(WithProvenance):
    id: int
    kind: choice(Action.Kind)
    level: choice(Action.Level)
    title_it: str
    title_en: str
    description_it: str
    description_en: str


# Networks


class NetworkItem(WithProvenance):
    id: int
    slug: str
    name_it: str
    name_en: str
    acronym: str
    scope: choice(Network.Scope)
    status: choice(Network.Status)
    start_date: date | None
    end_date: date | None
    declared_member_count: int | None = Field(
        description="Members the source counts without naming them all."
    )
    themes: list[ThemeOut]
    periods: list[str]

    @staticmethod
    def resolve_periods(obj):
        return [period.code for period in obj.periods.all()]


class RoleInNetwork(WithProvenance):
    id: int
    organisation: OrganisationRef
    role: choice(GoverningRole.Role)
    start_date: date | None
    end_date: date | None
    attested_on: date | None = Field(description="When the source attests the role.")
    note_it: str
    note_en: str


class WithPriorities(Schema):
    priorities_it: list[str] = Field(description="One priority a line in the record.")
    priorities_en: list[str]

    @staticmethod
    def resolve_priorities_it(obj):
        return lines(obj.priorities_it)

    @staticmethod
    def resolve_priorities_en(obj):
        return lines(obj.priorities_en)


class GroupFields(WithProvenance):
    id: int
    title_it: str
    title_en: str
    programme_year: int
    coordinator: OrganisationRef | None
    themes: list[ThemeOut]


class GroupInNetwork(GroupFields, WithPriorities):
    pass


class WorkingGroupItem(GroupFields):
    network: NetworkRef


class LinkOut(WithProvenance):
    id: int
    kind: choice(NetworkLink.Kind)
    network: NetworkRef = Field(description="The network at the other end of the link.")
    note_it: str
    note_en: str


class LinkFromOut(LinkOut):
    @staticmethod
    def resolve_network(obj):
        return obj.to_network


class LinkToOut(LinkOut):
    @staticmethod
    def resolve_network(obj):
        return obj.from_network


class NetworkDetail(NetworkItem):
    purpose_it: str
    purpose_en: str
    website: str
    roles: list[RoleInNetwork]
    working_groups: list[GroupInNetwork]
    links_out: list[LinkFromOut] = Field(description="This network → another network.")
    links_in: list[LinkToOut] = Field(description="Another network → this network.")
    projects: list[ProjectRef] = Field(description="The first linked projects, by id.")
    projects_url: str = Field(description="Every linked project, paginated.")
    actions: list[ActionOut]

    @staticmethod
    def resolve_projects(obj):
        return obj.first_projects


# Projects


class ProjectItem(WithProvenance):
    id: int
    title_it: str
    title_en: str
    acronym: str
    cup: str | None
    kind: choice(Project.Kind)
    status: choice(Project.Status)
    period: str
    fund: FundOut | None
    start_date: date | None
    end_date: date | None
    declared_partner_count: int | None = Field(
        description="Partners the source counts without naming them all."
    )
    themes: list[ThemeOut]

    @staticmethod
    def resolve_period(obj):
        return obj.period.code


class PartnerOut(WithProvenance):
    id: int
    organisation: OrganisationRef
    role: choice(Partnership.Role)
    contribution_it: str
    contribution_en: str
    start_date: date | None
    end_date: date | None


class ProjectDetail(ProjectItem):
    objectives_it: str
    objectives_en: str
    results_it: str
    results_en: str
    budget: Decimal | None
    partners_note_it: str
    partners_note_en: str
    partners: list[PartnerOut] = Field(description="The known partners, lead first.")
    networks: list[NetworkRef]
    actions: list[ActionOut]


# Organisations


class OrganisationItem(WithProvenance):
    id: int
    name_it: str
    name_en: str
    acronym: str
    kind: choice(Organisation.Kind)
    runts_section: str
    status: choice(Organisation.Status)
    parent: OrganisationRef | None
    territory: TerritoryRef | None
    tax_code: str | None
    vat_number: str | None
    website: str


class RoleOfOrganisation(WithProvenance):
    id: int
    network: NetworkRef
    role: choice(GoverningRole.Role)
    start_date: date | None
    end_date: date | None
    attested_on: date | None


class PartnershipOfOrganisation(WithProvenance):
    id: int
    project: ProjectRef
    role: choice(Partnership.Role)
    start_date: date | None
    end_date: date | None


class OrganisationDetail(OrganisationItem):
    note_it: str
    note_en: str
    network_roles: list[RoleOfOrganisation] = Field(description="Roles in networks over time.")
    partnerships: list[PartnershipOfOrganisation] = Field(
        description="The first partnerships, by project id."
    )
    partnerships_url: str = Field(description="Every project the organisation is part of.")

    @staticmethod
    def resolve_partnerships(obj):
        return obj.first_partnerships


# Territories


class TerritoryItem(Schema):
    id: int
    code: str
    level: choice(Territory.Level)
    name_it: str
    name_en: str
    nuts_code: str
    iso_code: str
    parent: TerritoryRef | None


class TerritoryDetail(TerritoryItem):
    children_counts: dict[str, int] = Field(description="Direct subdivisions by level.")


# Working groups


class WorkingGroupDetail(WorkingGroupItem, WithPriorities):
    programme_it: str
    programme_en: str
    related_networks: list[NetworkRef]


# Records written through the API


class PartnershipOut(PartnerOut):
    project: ProjectRef


class GoverningRoleOut(RoleInNetwork):
    network: NetworkRef


class NetworkLinkOut(WithProvenance):
    id: int
    kind: choice(NetworkLink.Kind)
    from_network: NetworkRef
    to_network: NetworkRef
    note_it: str
    note_en: str
