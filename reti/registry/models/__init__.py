"""The registry: territories, organisations, people, networks, projects and their relations."""

from .base import Source, Statement
from .networks import GoverningRole, Network, NetworkLink, WorkingGroup
from .organisations import Affiliation, Organisation, Person
from .projects import Action, Partnership, Project, ProjectPlace
from .reference import Fund, ProgrammingPeriod, Theme
from .search import SearchDocument, SearchTerm
from .territories import Territory

__all__ = [
    "Action",
    "Affiliation",
    "Fund",
    "GoverningRole",
    "Network",
    "NetworkLink",
    "Organisation",
    "Partnership",
    "Person",
    "ProgrammingPeriod",
    "Project",
    "ProjectPlace",
    "SearchDocument",
    "SearchTerm",
    "Source",
    "Statement",
    "Territory",
    "Theme",
    "WorkingGroup",
]
