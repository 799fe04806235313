"""Synthetic projects, streamed in batches: themes, linked networks, partnerships (exactly one
lead each) and actions."""

from bisect import bisect
from datetime import date
from itertools import accumulate

from django.utils import translation

from reti.lib.bulk import Table, reserve_ids

from ..models import Action, Partnership, Project
from .context import REFERENCE_YEAR, Context
from .names import DEMO_MARK, GOALS, INTERVENTIONS, TARGETS, WORDS

# Number of partners besides the lead: (count, weight); about 2.5 partnerships a project.
PARTNER_COUNTS = ((0, 25), (1, 30), (2, 22), (3, 13), (4, 6), (5, 2), (6, 1), (8, 1))
PROJECT_KINDS = (
    (Project.Kind.INTERREGIONAL.value, 5),
    (Project.Kind.TRANSNATIONAL.value, 2),
    (Project.Kind.AGREEMENT.value, 3),
)
PROJECT_ACTIONS = (
    Action.Kind.SURVEY_ANALYSIS,
    Action.Kind.MONITORING_EVALUATION,
    Action.Kind.COMMUNICATION,
    Action.Kind.EXCHANGE,
    Action.Kind.INTERVENTION,
    Action.Kind.STUDY_VISIT,
)


def _cumulative(pairs):
    return [value for value, _ in pairs], list(accumulate(weight for _, weight in pairs))


class _Tables:
    def __init__(self, ctx: Context):
        fixed = {"synthetic": True, "source_id": ctx.source_id}
        self.projects = Table(
            Project,
            ("id", "title_it", "title_en", "kind", "status", "period_id", "fund_id",
             "objectives_it", "objectives_en", "budget", "start_date", "end_date"),
            fixed=fixed,
        )  # fmt: skip
        self.themes = Table(Project.themes.through, ("project_id", "theme_id"))
        self.networks = Table(Project.networks.through, ("project_id", "network_id"))
        self.partnerships = Table(
            Partnership, ("project_id", "organisation_id", "role"), fixed=fixed
        )
        self.actions = Table(
            Action, ("project_id", "kind", "level", "title_it", "title_en"), fixed=fixed
        )


def generate(ctx: Context, progress) -> dict[str, int]:
    """Write the scale's projects in batches; returns counts."""
    count = ctx.scale.projects
    first = reserve_ids(Project, count)
    t = _Tables(ctx)
    choices = _Choices(ctx)
    done = 0
    while done < count:
        size = min(ctx.scale.batch, count - done)
        rows = {name: [] for name in vars(t)}
        _batch(ctx, choices, first + done, size, rows)
        for name, table in vars(t).items():
            table.write(rows[name])
        done += size
        progress("progetti", done, count)
    return {
        "progetti": t.projects.count,
        "partenariati": t.partnerships.count,
        "temi dei progetti": t.themes.count,
        "azioni dei progetti": t.actions.count,
    }


class _Choices:
    """Precomputed weighted choices, titles and date ranges for one context."""

    def __init__(self, ctx: Context):
        self.partners, self.partner_weights = _cumulative(PARTNER_COUNTS)
        self.kinds, self.kind_weights = _cumulative(PROJECT_KINDS)
        # Later periods hold more projects, as in the ESF's history.
        self.periods = [
            (period_id, date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal(), first)
            for period_id, first, last in ctx.periods
        ]
        self.period_weights = list(accumulate(min(i + 1, 3) for i in range(len(ctx.periods))))
        with translation.override("it"):
            self.actions = [(kind.value, str(kind.label)) for kind in PROJECT_ACTIONS]
        funds = {
            "esf": _fund(ctx, "FSE", "ESF"),
            "esf_plus": _fund(ctx, "FSE+", "ESF+", "FSE", "ESF"),
            "erdf": _fund(ctx, "FESR", "ERDF"),
        }
        self.erdf = funds["erdf"]
        self.esf = {p[0]: funds["esf_plus" if p[3] >= 2021 else "esf"] for p in self.periods}
        # What a project is about: intervention, target and goal texts, the target's theme.
        self.subjects = [
            (i_it.lower(), i_en.lower(), i_it, i_en, t_it, t_en, ctx.theme_for(code),
             f"{g_it} {t_it}.", f"{g_en} {t_en}.")
            for i_it, i_en in INTERVENTIONS
            for t_it, t_en, code in TARGETS
            for g_it, g_en in GOALS
        ]  # fmt: skip
        self.reference_day = date(REFERENCE_YEAR, 12, 31).toordinal()
        self.reference_start = date(REFERENCE_YEAR + 1, 1, 1).toordinal()


def _fund(ctx: Context, *codes: str) -> int | None:
    for code in codes:
        if code in ctx.funds:
            return ctx.funds[code]
    return None


def _batch(ctx: Context, c: _Choices, first_id: int, size: int, rows) -> None:
    """Generate `size` projects from `first_id`, appending rows by table."""
    random = ctx.rng.random
    lognormvariate = ctx.rng.lognormvariate
    first_org, org_count = ctx.first_organisation, ctx.scale.organisations
    theme_ids = ctx.theme_ids
    n_themes = len(theme_ids)
    first_network, n_networks = ctx.first_network, ctx.scale.networks
    words, n_words = WORDS, len(WORDS)
    subjects, n_subjects = c.subjects, len(c.subjects)
    actions, n_actions = c.actions, len(c.actions)
    periods, period_weights, top_weight = c.periods, c.period_weights, c.period_weights[-1]
    partner_counts, partner_weights = c.partners, c.partner_weights
    kinds, kind_weights = c.kinds, c.kind_weights
    unique_name, erdf, esf = ctx.unique_name, c.erdf, c.esf
    reference_day, reference_start = c.reference_day, c.reference_start
    fromordinal = date.fromordinal
    projects, themes, networks = rows["projects"], rows["themes"], rows["networks"]
    partnerships, project_actions = rows["partnerships"], rows["actions"]
    for project_id in range(first_id, first_id + size):
        period_id, first_day, last_day, _ = periods[bisect(period_weights, random() * top_weight)]
        start = first_day + int(random() * (last_day - first_day + 1))
        end = start + 180 + int(random() * 920)
        if end <= reference_day:
            status = "completed"
        else:
            status = "planned" if start >= reference_start else "active"
        start_date = fromordinal(start)
        subject = subjects[int(random() * n_subjects)]
        lower_it, lower_en, i_it, i_en, t_it, t_en, theme, objective_it, objective_en = subject
        if random() < 0.5:
            word = words[int(random() * n_words)]
            title_it = f"Progetto {word}: {lower_it} {t_it}{DEMO_MARK}"
            title_en = f"{word} project: {lower_en} {t_en}{DEMO_MARK}"
        else:
            year = start_date.year
            title_it = f"{i_it} {t_it}, edizione {year}{DEMO_MARK}"
            title_en = f"{i_en} {t_en}, {year} edition{DEMO_MARK}"
        projects.append(
            (
                project_id,
                unique_name(title_it),
                title_en,
                kinds[bisect(kind_weights, random() * kind_weights[-1])],
                status,
                period_id,
                erdf if random() < 0.15 else esf[period_id],
                objective_it,
                objective_en,
                int(lognormvariate(11.5, 1.0)) // 100 * 100,
                start_date.isoformat(),
                fromordinal(end).isoformat(),
            )
        )
        themes.append((project_id, theme))
        if random() < 0.5:
            other = theme_ids[int(random() * n_themes)]
            if other != theme:
                themes.append((project_id, other))
        if n_networks and random() < 0.05:
            networks.append((project_id, first_network + int(random() * n_networks)))
        # A few organisations take part far more often than most (see organisations.pick).
        lead = first_org + int(org_count * random() ** 2)
        partnerships.append((project_id, lead, "lead"))
        taken = {lead}
        for _ in range(partner_counts[bisect(partner_weights, random() * 100)]):
            organisation = first_org + int(org_count * random() ** 2)
            if organisation not in taken:
                taken.add(organisation)
                role = "associated" if random() < 0.2 else "partner"
                partnerships.append((project_id, organisation, role))
        draw = random()
        for _ in range(0 if draw < 0.55 else 1 if draw < 0.85 else 2):
            kind, label = actions[int(random() * n_actions)]
            level = "territorial" if random() < 0.5 else "interregional"
            project_actions.append(
                (project_id, kind, level, f"{label}: {lower_it}{DEMO_MARK}", f"{i_en}{DEMO_MARK}")
            )
