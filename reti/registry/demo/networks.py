"""Synthetic networks with their governing roles over time, working groups, links and actions."""

from datetime import date

from reti.lib.bulk import Table, date_value, reserve_ids

from ..models import Action, GoverningRole, Network, NetworkLink, WorkingGroup
from .context import REFERENCE_YEAR, Context, random_date
from .names import DEMO_MARK, TOPICS, WORDS, WORKING_GROUP_TITLES, about, acronym
from .organisations import pick

Role = GoverningRole.Role

SCOPES = (
    (Network.Scope.INTERREGIONAL, "Rete interregionale", "Interregional network", 6),
    (Network.Scope.TRANSNATIONAL, "Rete transnazionale", "Transnational network", 3),
    (Network.Scope.EU_LEARNING, "Rete europea di apprendimento", "European learning network", 1),
)
NETWORK_ACTIONS = (
    (Action.Kind.STUDY_VISIT, "Visita di studio", "Study visit on"),
    (Action.Kind.SEMINAR, "Seminario con esperti", "Expert seminar on"),
    (Action.Kind.PEER_REVIEW, "Peer review", "Peer review on"),
    (Action.Kind.THEMATIC_MEETING, "Incontro tematico", "Thematic meeting on"),
    (Action.Kind.COMMUNITY_OF_PRACTICE, "Comunità di pratica", "Community of practice on"),
)


class _Tables:
    def __init__(self, ctx: Context):
        fixed = {"synthetic": True, "source_id": ctx.source_id}
        self.networks = Table(
            Network,
            ("id", "slug", "name_it", "name_en", "acronym", "scope", "status", "purpose_it",
             "purpose_en", "start_date", "end_date"),
            fixed=fixed,
        )  # fmt: skip
        self.themes = Table(Network.themes.through, ("network_id", "theme_id"))
        self.periods = Table(Network.periods.through, ("network_id", "programmingperiod_id"))
        self.roles = Table(
            GoverningRole,
            ("network_id", "organisation_id", "role", "start_date", "end_date"),
            fixed=fixed,
        )
        self.groups = Table(
            WorkingGroup,
            ("id", "network_id", "title_it", "title_en", "programme_year", "coordinator_id",
             "priorities_it", "priorities_en"),
            fixed=fixed,
        )  # fmt: skip
        self.group_themes = Table(WorkingGroup.themes.through, ("workinggroup_id", "theme_id"))
        self.group_networks = Table(
            WorkingGroup.related_networks.through, ("workinggroup_id", "network_id")
        )
        self.links = Table(NetworkLink, ("from_network_id", "to_network_id", "kind"), fixed=fixed)
        self.actions = Table(
            Action, ("network_id", "kind", "level", "title_it", "title_en"), fixed=fixed
        )


def generate(ctx: Context, progress) -> dict[str, int]:
    """Write the scale's networks and everything hanging from them; returns counts."""
    count = ctx.scale.networks
    ctx.first_network = first = reserve_ids(Network, count)
    t = _Tables(ctx)
    rows = {name: [] for name in vars(t)}
    group_id = reserve_ids(WorkingGroup, count * 8)
    for offset in range(count):
        network_id = first + offset
        group_id = _network(ctx, network_id, offset, rows, group_id)
    for name, table in vars(t).items():
        table.write(rows[name])
    _links(ctx, t.links)
    progress("reti", count, count)
    return {
        "reti": t.networks.count,
        "ruoli nelle reti": t.roles.count,
        "gruppi di lavoro": t.groups.count,
        "collegamenti tra reti": t.links.count,
        "azioni delle reti": t.actions.count,
    }


def _network(ctx: Context, network_id: int, number: int, rows, group_id: int) -> int:
    rng = ctx.rng
    scope, label_it, label_en, _ = rng.choices(SCOPES, cum_weights=(6, 9, 10))[0]
    topic_it, topic_en, theme_code = rng.choice(TOPICS)
    word = rng.choice(WORDS)
    name_it = ctx.unique_name(f"{label_it} {word} per {topic_it}{DEMO_MARK}")
    name_en = f"{label_en} {word} on {topic_en}{DEMO_MARK}"
    slug = f"demo-rete-{number + 1}"
    while slug in ctx.taken_slugs:
        slug += "-bis"
    start_year = rng.randint(1996, REFERENCE_YEAR - 2)
    status = Network.Status.ACTIVE
    end_year = None
    draw = rng.random()
    if draw < 0.1:
        status, start_year = Network.Status.STARTING, REFERENCE_YEAR
    elif draw < 0.35 and start_year + 6 < REFERENCE_YEAR:
        status = Network.Status.CLOSED
        end_year = min(REFERENCE_YEAR - 1, start_year + rng.randint(5, 12))
    start = date(start_year, rng.randint(1, 12), 1)
    end = date(end_year, 12, 31) if end_year else None
    rows["networks"].append(
        (
            network_id,
            slug,
            name_it,
            name_en,
            acronym(f"{label_it} {topic_it}", number + 1),
            scope.value,
            status.value,
            f"Scambiare esperienze e buone pratiche {about(topic_it)} tra Regioni e operatori.",
            f"To exchange experience and good practice on {topic_en} among Regions and operators.",
            date_value(start),
            end and date_value(end),
        )
    )
    themes = {ctx.theme_for(theme_code)} | set(rng.sample(ctx.theme_ids, rng.randint(0, 2)))
    rows["themes"] += [(network_id, theme) for theme in sorted(themes)]
    last_year = end_year or REFERENCE_YEAR
    rows["periods"] += [
        (network_id, period)
        for period, first, last in ctx.periods
        if first <= last_year and start_year <= last
    ]
    members = _roles(ctx, network_id, start, end, rows["roles"])
    if status != Network.Status.STARTING:
        group_id = _working_groups(ctx, network_id, start_year, last_year, members, rows, group_id)
    for _ in range(rng.randint(1, 3)):
        kind, title_it, title_en = rng.choice(NETWORK_ACTIONS)
        level = "transnational" if scope != Network.Scope.INTERREGIONAL else "interregional"
        rows["actions"].append(
            (
                network_id,
                kind.value,
                level,
                f"{title_it} {about(topic_it)}{DEMO_MARK}",
                f"{title_en} {topic_en}{DEMO_MARK}",
            )
        )
    return group_id


def _roles(ctx: Context, network_id: int, start: date, end: date | None, out) -> list[int]:
    """Members, observers, a secretariat and rotating presidencies with terms that never
    overlap; returns the members."""
    rng = ctx.rng
    members = list(dict.fromkeys(pick(ctx) for _ in range(rng.randint(6, 20))))
    last = end.year if end else REFERENCE_YEAR
    for organisation in members:
        joined = start if rng.random() < 0.7 else max(start, random_date(rng, start.year, last))
        left = end and date_value(end)
        out.append((network_id, organisation, Role.MEMBER.value, date_value(joined), left))
    for organisation in rng.sample(members, min(2, len(members)))[: rng.randint(0, 2)]:
        out.append((network_id, organisation, Role.OBSERVER.value, date_value(start), None))
    # The secretariat changes at most once; the presidency rotates every one or two years.
    _terms(ctx, network_id, Role.SECRETARIAT, members, start, end, rng.choice((6, 8, 30)), out)
    _terms(ctx, network_id, Role.PRESIDENCY, members, start, end, rng.choice((1, 2)), out)
    return members


def _terms(ctx, network_id, role, members, start: date, end: date | None, years: int, out):
    rng = ctx.rng
    last_year = end.year if end else REFERENCE_YEAR
    term_start = start
    while True:
        next_year = term_start.year + years
        holder = rng.choice(members)
        if next_year > last_year:
            term_end = end and date_value(end)
            out.append((network_id, holder, role.value, date_value(term_start), term_end))
            return
        term_end = date(next_year - 1, 12, 31)
        out.append((network_id, holder, role.value, date_value(term_start), date_value(term_end)))
        term_start = date(next_year, 1, 1)


def _working_groups(ctx, network_id, start_year, last_year, members, rows, group_id) -> int:
    rng = ctx.rng
    years = sorted({rng.randint(start_year, last_year) for _ in range(rng.randint(1, 2))})
    for year in years:
        for title_it, title_en in rng.sample(WORKING_GROUP_TITLES, rng.randint(2, 4)):
            rows["groups"].append(
                (
                    group_id,
                    network_id,
                    title_it,
                    title_en,
                    year,
                    rng.choice(members),
                    "Analisi dei fabbisogni\nConfronto tra modelli regionali\nProposte comuni",
                    "Needs analysis\nComparison of regional models\nJoint proposals",
                )
            )
            rows["group_themes"].append((group_id, rng.choice(ctx.theme_ids)))
            if ctx.scale.networks > 1 and rng.random() < 0.1:
                other = ctx.first_network + rng.randrange(ctx.scale.networks)
                if other != network_id:
                    rows["group_networks"].append((group_id, other))
            group_id += 1
    return group_id


def _links(ctx: Context, table: Table) -> None:
    rng = ctx.rng
    count = ctx.scale.networks
    seen = set()
    kinds = [k.value for k in NetworkLink.Kind]
    for _ in range(count // 2):
        a, b = rng.randrange(count), rng.randrange(count)
        kind = rng.choice(kinds)
        if a != b and (a, b, kind) not in seen:
            seen.add((a, b, kind))
    table.write(
        [(ctx.first_network + a, ctx.first_network + b, kind) for a, b, kind in sorted(seen)]
    )
