"""The API's list filters: one schema per list, checked by ninja before a query runs.

Every value is checked and an unknown one is a 400 naming the parameter; the schemas then
hand plain values to the registry's queries (reti/registry/queries.py).
"""

from ninja import Field, Schema

from reti.lib.api.schemas import Id, choice

from ..models import GoverningRole, Network, Organisation, Partnership, Project, Territory

TEXT = Field(None, min_length=2, max_length=100, description="Text in names, titles, acronyms.")
SYNTHETIC = Field(None, description="true: only synthetic demo data; false: only real records.")


class NetworkFilters(Schema):
    period: str | None = Field(None, description="Programming period, e.g. 2007-2013.")
    theme: str | None = Field(None, description="Theme code; sub-themes included.")
    territory: str | None = Field(
        None, description="ISTAT, NUTS or ISO code: networks with a member located there."
    )
    organisation: Id | None = Field(None, description="Networks where it holds a role.")
    role: choice(GoverningRole.Role) | None = Field(
        None, description="With territory or organisation: only this role."
    )
    status: choice(Network.Status) | None = None
    scope: choice(Network.Scope) | None = None
    q: str | None = TEXT
    synthetic: bool | None = SYNTHETIC


class ProjectFilters(Schema):
    period: str | None = Field(None, description="Programming period, e.g. 2007-2013.")
    theme: str | None = Field(None, description="Theme code; sub-themes included.")
    territory: str | None = Field(
        None, description="ISTAT, NUTS or ISO code: projects with a partner located there."
    )
    organisation: Id | None = Field(None, description="Projects it takes part in.")
    role: choice(Partnership.Role) | None = Field(
        None, description="Partner role, alone or with territory or organisation."
    )
    network: str | None = Field(None, description="Linked network, by id or slug.")
    status: choice(Project.Status) | None = None
    kind: choice(Project.Kind) | None = None
    fund: str | None = Field(None, description="Fund code, e.g. FSE.")
    q: str | None = TEXT
    synthetic: bool | None = SYNTHETIC


class OrganisationFilters(Schema):
    territory: str | None = Field(
        None, description="ISTAT, NUTS or ISO code; territories inside it included."
    )
    kind: choice(Organisation.Kind) | None = None
    status: choice(Organisation.Status) | None = None
    role: choice(GoverningRole.Role) | None = Field(
        None, description="Organisations holding this role in a network (any time)."
    )
    network: str | None = Field(None, description="Organisations with a role in it (id or slug).")
    parent: Id | None = Field(None, description="Units of this organisation.")
    q: str | None = TEXT
    synthetic: bool | None = SYNTHETIC


class TerritoryFilters(Schema):
    level: choice(Territory.Level) | None = None
    parent: str | None = Field(None, description="Direct subdivisions of this territory (code).")
    q: str | None = TEXT


class WorkingGroupFilters(Schema):
    network: str | None = Field(None, description="Network id or slug.")
    year: int | None = Field(None, ge=1990, le=2100, description="Programme year.")
    theme: str | None = Field(None, description="Theme code; sub-themes included.")
    coordinator: Id | None = Field(None, description="Coordinating organisation id.")
    territory: str | None = Field(None, description="Coordinator located in this territory.")
    q: str | None = TEXT
    synthetic: bool | None = SYNTHETIC
