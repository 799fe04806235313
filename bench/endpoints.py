"""What the benchmark measures. Add an Endpoint here to measure one more page or API call.

`names` lists URL names to try in order (pages and API may name things differently); an
endpoint none of whose names exists is reported as absent, not failed. `args` builds the URL
arguments from the sample of records (a fresh record on every request, so details are not
served from one hot row).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Endpoint:
    label: str
    names: tuple[str, ...]
    group: str  # "list", "detail" or "search"
    args: Callable[["Samples"], list] = lambda samples: []
    query: dict[str, str] = field(default_factory=dict)
    staff: bool = False  # requested by a logged-in superuser (the back office)
    target_ms: float = 50.0  # p95 target: 50 ms for pages and API calls, 100 ms for search


class Samples:
    """Records of the national demo data to request, drawn once with a fixed seed."""

    def __init__(
        self,
        projects,
        organisations,
        networks,
        network_slugs,
        busiest_organisation,
        practices=(),
        events=(),
    ):
        self.projects = projects
        self.organisations = organisations
        self.networks = networks
        self.network_slugs = network_slugs
        self.busiest_organisation = busiest_organisation
        self.practices = list(practices) or [0]
        self.events = list(events) or [0]
        self.turn = 0

    def _next(self, ids):
        self.turn += 1
        return ids[self.turn % len(ids)]

    def project(self):
        return self._next(self.projects)

    def organisation(self):
        return self._next(self.organisations)

    def network(self):
        return self._next(self.networks)

    def network_slug(self):
        return self._next(self.network_slugs)

    def practice(self):
        return self._next(self.practices)

    def event(self):
        return self._next(self.events)


# Filters use codes the reference data and the territories always have: the 2014-2020 period,
# the social-inclusion theme (with its sub-themes), Regione Toscana (ISTAT 09), the
# Città metropolitana di Firenze (048) and the Comune di Firenze (048017).
PERIOD, THEME, TERRITORY = "2014-2020", "social-inclusion", "09"
PROVINCE, MUNICIPALITY = "048", "048017"

SEARCH = 100.0

ENDPOINTS = (
    Endpoint("Home", ("portal:home",), "list"),
    Endpoint("Networks: list", ("portal:network_list",), "list"),
    Endpoint("Network: detail", ("portal:network_detail",), "detail", lambda s: [s.network_slug()]),
    Endpoint(
        "Projects: list, period + theme",
        ("portal:project_list",),
        "list",
        query={"period": PERIOD, "theme": THEME},
    ),
    Endpoint(
        "Projects: list, period + territory",
        ("portal:project_list",),
        "list",
        query={"period": PERIOD, "territory": TERRITORY},
    ),
    Endpoint(
        "Projects: list, period + municipality",
        ("portal:project_list",),
        "list",
        query={"period": PERIOD, "territory": MUNICIPALITY},
    ),
    Endpoint("Project: detail", ("portal:project_detail",), "detail", lambda s: [s.project()]),
    Endpoint(
        "Organisation: detail",
        ("portal:organisation_detail",),
        "detail",
        lambda s: [s.organisation()],
    ),
    Endpoint(
        "Organisation: detail, busiest",
        ("portal:organisation_detail",),
        "detail",
        lambda s: [s.busiest_organisation],
    ),
    Endpoint("Organisations: list", ("portal:organisation_list",), "list"),
    Endpoint(
        "Organisations: list, region",
        ("portal:organisation_list",),
        "list",
        query={"territory": TERRITORY},
    ),
    Endpoint("Territories: map", ("portal:territory_map",), "list"),
    Endpoint("Territory: region", ("portal:territory_detail",), "detail", lambda s: [TERRITORY]),
    Endpoint(
        "Territory: municipality",
        ("portal:territory_detail",),
        "detail",
        lambda s: [MUNICIPALITY],
    ),
    Endpoint("Timeline", ("portal:timeline",), "list"),
    Endpoint("Network of networks: graph", ("portal:graph",), "list"),
    Endpoint(
        "Network of networks: graph, period + theme",
        ("portal:graph",),
        "list",
        query={"period": PERIOD, "theme": THEME},
    ),
    Endpoint(
        "Search: a network", ("portal:search",), "search", query={"q": "ESFCoNet"}, target_ms=SEARCH
    ),
    Endpoint(
        "Search: a common word",
        ("portal:search",),
        "search",
        query={"q": "inclusione sociale"},
        target_ms=SEARCH,
    ),
    Endpoint(
        "Search: accents and stems",
        ("portal:search",),
        "search",
        query={"q": "cooperativa sociale Città"},
        target_ms=SEARCH,
    ),
    Endpoint(
        "Search: a typo",
        ("portal:search",),
        "search",
        query={"q": "penitenzario"},
        target_ms=SEARCH,
    ),
    # Issue 4: good practices (50,000 at national scale) and events (100,000).
    Endpoint("Good practices: list", ("knowledge:practice_list",), "list"),
    Endpoint(
        "Good practices: search",
        ("knowledge:practice_list",),
        "search",
        query={"q": "inserimento lavorativo"},
        target_ms=SEARCH,
    ),
    Endpoint(
        "Good practices: search, a common word",
        ("knowledge:practice_list",),
        "search",
        query={"q": "inclusione sociale"},
        target_ms=SEARCH,
    ),
    Endpoint(
        "Good practice: detail", ("knowledge:practice_detail",), "detail", lambda s: [s.practice()]
    ),
    Endpoint("Events: list", ("events:list",), "list"),
    Endpoint("Event: detail", ("events:detail",), "detail", lambda s: [s.event()]),
    Endpoint(
        "Events: a network's iCalendar feed",
        ("events:network_feed",),
        "detail",
        lambda s: [s.network_slug()],
        target_ms=200.0,
    ),
    # Issue 5: the public aggregates (small counts suppressed) over 10 million records.
    Endpoint("Monitoring: public indicators", ("monitoring:indicators",), "list"),
    Endpoint("API networks: list", ("api:network_list",), "list"),
    Endpoint("API projects: list", ("api:project_list",), "list"),
    Endpoint(
        "API projects: list, period + theme",
        ("api:project_list",),
        "list",
        query={"period": PERIOD, "theme": THEME},
    ),
    Endpoint(
        "API projects: list, period + territory",
        ("api:project_list",),
        "list",
        query={"period": PERIOD, "territory": TERRITORY},
    ),
    Endpoint(
        "API projects: list, period + province",
        ("api:project_list",),
        "list",
        query={"period": PERIOD, "territory": PROVINCE},
    ),
    Endpoint(
        "API projects: list, period + municipality",
        ("api:project_list",),
        "list",
        query={"period": PERIOD, "territory": MUNICIPALITY},
    ),
    Endpoint("API organisations: list", ("api:organisation_list",), "list"),
    Endpoint("API network: detail", ("api:network_detail",), "detail", lambda s: [s.network()]),
    Endpoint("API project: detail", ("api:project_detail",), "detail", lambda s: [s.project()]),
    Endpoint(
        "API organisation: detail",
        ("api:organisation_detail",),
        "detail",
        lambda s: [s.organisation()],
    ),
    Endpoint(
        "API organisation: detail, busiest",
        ("api:organisation_detail",),
        "detail",
        lambda s: [s.busiest_organisation],
    ),
    Endpoint("Back office: networks", ("admin:registry_network_changelist",), "list", staff=True),
    Endpoint("Back office: projects", ("admin:registry_project_changelist",), "list", staff=True),
    Endpoint(
        "Back office: organisations",
        ("admin:registry_organisation_changelist",),
        "list",
        staff=True,
    ),
    Endpoint(
        "Back office: project",
        ("admin:registry_project_change",),
        "detail",
        lambda s: [s.project()],
        staff=True,
    ),
    Endpoint(
        "Back office: organisation",
        ("admin:registry_organisation_change",),
        "detail",
        lambda s: [s.organisation()],
        staff=True,
    ),
)
