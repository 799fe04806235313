"""The analysis of the instrument (analisi dello strumento): what a global grant's calls
achieved, read from their records, for the instrument report page, its PDF and its data.

The 2000-06 project asked two questions of the Sovvenzione Globale; this module answers both
for one global grant:

1. administrative usefulness: `reti.grants.efficiency` (pure) over the records of the global
   grant's calls, loaded here in a fixed number of queries whatever the number of grants:
   durations from the deadline, the steps in between (publication → ranking, ranking →
   decision, the trigger of each tranche → its payment), money (budget, granted, revoked,
   paid, to recover, recovered, management costs), success rates, small organisations,
   first-time applicants, reasons for inadmissibility;
2. added value for disadvantaged groups: the monitoring module's own analysis
   (`reti.monitoring.analytics.added_value`, not reimplemented here) on the participants of
   the region's Sovvenzione Globale interventions in the programme's period, the grants of
   this global grant among them once imported, against the participants of ordinary calls of
   the same region and period.

Ordinary calls are not `Call`s in Reti (a call belongs to a global grant): the *ordinary
call adapter* (`ordinary`) reads the monitoring's interventions of instrument
`ordinary_call` of the same region and period and computes the measures their records hold
(number, amount, duration, and the same measures of this global grant's grants), labelled as
such; the measures they do not hold (times of the istruttoria, success rates, costs) are
named as missing, never filled in.

The public version (`public=True`) passes every count through the monitoring's disclosure
gate (`reti.monitoring.analytics.suppression.suppress`): counts under the threshold are
hidden, with the complementary ones a reader could work them back from.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reti.monitoring.models.interventions import REGION_LEVELS
from reti.registry.models import Territory

from . import efficiency
from .models import (
    AdmissibilityCheck,
    Application,
    Call,
    ExpenditureReport,
    GlobalGrant,
    Grant,
    ManagementCost,
    Payment,
    RankingEntry,
    RankingRun,
    Recovery,
    Revocation,
)

GLOBAL_GRANT = "global_grant"
ORDINARY = "ordinary"
ZERO = Decimal(0)

# The steps between the deadline's milestones, each a spread of days (efficiency.spread).
STEPS = (
    "publication_ranking",
    "ranking_decision",
    "decision_agreement",
    "advance",
    "intermediate",
    "balance",
)
ENTRY_OUTCOMES = {
    RankingEntry.Status.FUNDED: efficiency.FUNDED,
    RankingEntry.Status.PARTIAL: efficiency.FUNDED,
    RankingEntry.Status.NOT_FUNDED: "eligible_not_funded",
    RankingEntry.Status.BELOW: "below_threshold",
    RankingEntry.Status.NOT_ADMISSIBLE: "not_admissible",
    RankingEntry.Status.WITHDRAWN: "withdrawn",
    RankingEntry.Status.REVOKED: efficiency.FUNDED,  # funded, then revoked: it was funded
}


def _day(moment) -> datetime.date | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).date()
    return moment


def region_of(global_grant: GlobalGrant) -> Territory | None:
    """The region of the global grant: its managing authority's, else its intermediate
    body's (climbing from a province or a municipality)."""
    for organisation in (global_grant.programme.managing_authority, global_grant.intermediate_body):
        territory = organisation.territory if organisation is not None else None
        while territory is not None and territory.level not in REGION_LEVELS:
            territory = territory.parent
        if territory is not None:
            return territory
    return None


@dataclass
class GrantRow:
    """One grant of the list: what it is, what it got, where it stands."""

    pk: int
    cup: str
    title: str
    beneficiary: str
    call: str
    status: str
    status_label: str
    amount: Decimal
    revoked: Decimal
    paid: Decimal
    to_recover: Decimal
    recovered: Decimal
    url: str


@dataclass
class Records:
    """The global grant's records as the analysis reads them."""

    applications: list[efficiency.Application]
    budgets: list[efficiency.Budget]
    general_cost: Decimal  # management costs not attributed to a call
    steps: dict[str, list[int]]
    grants: list[GrantRow]
    pending: int  # submitted applications of calls not ranked yet (not counted)
    admitted: int


def _current_runs(calls) -> dict[int, int]:
    """Each call's current run (the final ranking or the latest scorrimento after it)."""
    runs = RankingRun.objects.filter(
        call__in=calls, kind__in=[RankingRun.Kind.FINAL, RankingRun.Kind.SCROLL]
    ).exclude(published_at=None)
    current: dict[int, tuple[int, int]] = {}
    for call_id, number, pk in runs.values_list("call_id", "number", "pk"):
        if call_id not in current or number > current[call_id][0]:
            current[call_id] = (number, pk)
    return {call_id: pk for call_id, (_n, pk) in current.items()}


def _final_published(calls) -> dict[int, datetime.date]:
    first: dict[int, datetime.date] = {}
    runs = RankingRun.objects.filter(call__in=calls, kind=RankingRun.Kind.FINAL).exclude(
        published_at=None
    )
    for call_id, published in runs.order_by("published_at").values_list("call_id", "published_at"):
        first.setdefault(call_id, _day(published))
    return first


def load(global_grant: GlobalGrant) -> Records:
    """The records of `global_grant`'s published calls, in a fixed number of queries."""
    calls = list(Call.objects.filter(global_grant=global_grant).exclude(status=Call.Status.DRAFT))
    region = region_of(global_grant)
    region_code = region.code if region else ""
    runs = _current_runs(calls)
    entries = dict(
        RankingEntry.objects.filter(run_id__in=runs.values()).values_list(
            "application_id", "status"
        )
    )
    ranked = _final_published(calls)
    applications = list(
        Application.objects.filter(call__in=calls)
        .exclude(submitted_at=None)
        .select_related("call", "territory", "organisation", "admissibility", "grant")
        .order_by("pk")
    )
    organisations = {a.organisation_id for a in applications}
    first_deadline: dict[int, datetime.datetime] = {}
    earlier = Application.objects.filter(organisation_id__in=organisations).exclude(
        submitted_at=None
    )
    for organisation_id, deadline in earlier.values_list("organisation_id", "call__deadline"):
        if organisation_id not in first_deadline or deadline < first_deadline[organisation_id]:
            first_deadline[organisation_id] = deadline
    reasons: dict[int, str] = {}
    not_met = AdmissibilityCheck.objects.filter(
        admissibility__application__call__in=calls, result=AdmissibilityCheck.Result.NOT_MET
    ).order_by("admissibility__application_id", "position")
    for application_id, label in not_met.values_list("admissibility__application_id", "label_it"):
        reasons.setdefault(application_id, label)

    grants = {a.grant.pk: a.grant for a in applications if _has_grant(a)}
    payments = defaultdict(list)
    for row in Payment.objects.filter(grant_id__in=grants, status=Payment.Status.PAID).values(
        "grant_id", "kind", "amount", "paid_at", "prepared_at"
    ):
        payments[row["grant_id"]].append(row)
    revoked, to_recover = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for grant_id, amount, recover in Revocation.objects.filter(grant_id__in=grants).values_list(
        "grant_id", "amount", "to_recover"
    ):
        revoked[grant_id] += amount
        to_recover[grant_id] += recover
    recovered = defaultdict(lambda: ZERO)
    for grant_id, amount in Recovery.objects.filter(revocation__grant_id__in=grants).values_list(
        "revocation__grant_id", "amount"
    ):
        recovered[grant_id] += amount
    reports = defaultdict(list)
    for grant_id, submitted in (
        ExpenditureReport.objects.filter(grant_id__in=grants)
        .exclude(submitted_at=None)
        .values_list("grant_id", "submitted_at")
    ):
        reports[grant_id].append(submitted)

    rows, grant_rows, pending, admitted = [], [], 0, 0
    steps: dict[str, list[int]] = {step: [] for step in STEPS}
    for a in applications:
        call = a.call
        grant = a.grant if _has_grant(a) else None
        admissibility = getattr(a, "admissibility", None) if _has_admissibility(a) else None
        if admissibility is not None and admissibility.outcome == "admitted":
            admitted += 1
        outcome = _outcome(a, grant, admissibility, entries, call.pk in runs)
        if outcome is None:
            pending += 1
            continue
        paid_rows = payments.get(grant.pk, []) if grant else []
        net_paid = sum(
            (-p["amount"] if p["kind"] == Payment.Kind.REVERSAL else p["amount"]) for p in paid_rows
        )
        first_paid = min(
            (_day(p["paid_at"]) for p in paid_rows if p["kind"] != Payment.Kind.REVERSAL),
            default=None,
        )
        rows.append(
            efficiency.Application(
                call=call.code,
                instrument=GLOBAL_GRANT,
                region=region_code,
                outcome=outcome,
                applicant_type=a.get_applicant_type_display() if a.applicant_type else "",
                size_class=a.size_class,
                territory=a.territory.name_it if a.territory_id else "",
                first_time=first_deadline.get(a.organisation_id) == call.deadline,
                inadmissibility_reason=reasons.get(a.pk, "") if outcome == "not_admissible" else "",
                requested=a.requested_amount or ZERO,
                granted=(grant.amount - revoked[grant.pk]) if grant else ZERO,
                paid=net_paid or ZERO,
                deadline=_day(call.deadline),
                ranking=ranked.get(call.pk),
                agreement=_day(grant.accepted_at) if grant else None,
                first_payment=first_paid,
                closure=_day(grant.closed_at) if grant else None,
            )
        )
        if call.published_at and call.pk in ranked:
            steps["publication_ranking"].append((ranked[call.pk] - _day(call.published_at)).days)
        if grant is None:
            continue
        if call.pk in ranked:
            steps["ranking_decision"].append((grant.decree_date - ranked[call.pk]).days)
        if grant.accepted_at:
            steps["decision_agreement"].append((_day(grant.accepted_at) - grant.decree_date).days)
        for p in paid_rows:
            trigger = _trigger(p, grant, reports[grant.pk])
            if trigger is not None:
                steps[p["kind"]].append((_day(p["paid_at"]) - _day(trigger)).days)
        grant_rows.append(
            GrantRow(
                pk=grant.pk,
                cup=grant.cup,
                title=a.title,
                beneficiary=a.organisation.name,
                call=call.code,
                status=grant.status,
                status_label=grant.get_status_display(),
                amount=grant.amount,
                revoked=revoked[grant.pk],
                paid=net_paid or ZERO,
                to_recover=to_recover[grant.pk],
                recovered=recovered[grant.pk],
                url=grant.get_absolute_url(),
            )
        )
    costs = defaultdict(lambda: ZERO)
    general = ZERO
    for call_id, amount in ManagementCost.objects.filter(global_grant=global_grant).values_list(
        "call_id", "amount"
    ):
        if call_id is None:
            general += amount
        else:
            costs[call_id] += amount
    budgets = [
        efficiency.Budget(
            call=call.code,
            instrument=GLOBAL_GRANT,
            region=region_code,
            budget=sum((line.budget for line in call.lines.all()), ZERO),
            management_cost=costs[call.pk],
        )
        for call in Call.objects.filter(pk__in=[c.pk for c in calls]).prefetch_related("lines")
    ]
    return Records(rows, budgets, general, steps, grant_rows, pending, admitted)


def _has_grant(application) -> bool:
    try:
        return application.grant is not None
    except Grant.DoesNotExist:
        return False


def _has_admissibility(application) -> bool:
    try:
        return application.admissibility is not None
    except Exception:  # the reverse one-to-one raises its own DoesNotExist
        return False


def _outcome(application, grant, admissibility, entries, ranked_call) -> str | None:
    """The application's outcome for the analysis; None while the call has no final ranking
    and the application no other outcome (it is not counted yet)."""
    if grant is not None:
        return efficiency.FUNDED
    if application.status == Application.Status.WITHDRAWN and application.pk not in entries:
        return "withdrawn"
    if admissibility is not None and admissibility.outcome == "not_admissible":
        return "not_admissible"
    if application.pk in entries:
        return ENTRY_OUTCOMES.get(entries[application.pk], "eligible_not_funded")
    return "withdrawn" if application.status == Application.Status.WITHDRAWN else None


def _trigger(payment: dict, grant: Grant, submitted: list):
    """What a tranche waits for: the advance the agreement, the other tranches the last
    report sent before the tranche was prepared."""
    if payment["kind"] == Payment.Kind.ADVANCE:
        return grant.accepted_at
    if payment["kind"] in (Payment.Kind.INTERMEDIATE, Payment.Kind.BALANCE):
        before = [s for s in submitted if s <= payment["prepared_at"]]
        return max(before) if before else None
    return None


# --- the report -------------------------------------------------------------------------


@dataclass
class Shares:
    """Admitted, funded and revoked shares, each with its Wilson interval."""

    admitted: efficiency.Rate
    funded: efficiency.Rate
    revoked: efficiency.Rate


@dataclass
class MoneyState:
    budget: Decimal
    granted: Decimal
    revoked: Decimal
    committed: Decimal
    paid: Decimal
    to_recover: Decimal
    recovered: Decimal
    management_cost: Decimal
    committed_share: Decimal | None
    paid_share: Decimal | None
    cost_per_euro: Decimal | None


@dataclass
class Ordinary:
    """The ordinary call adapter's measures, from the monitoring's interventions."""

    region: str
    period: str
    interventions: int
    grants: int
    amount: efficiency.Spread
    grant_amount: efficiency.Spread
    amount_difference: efficiency.Difference
    duration: efficiency.Spread
    grant_duration: efficiency.Spread
    duration_difference: efficiency.Difference
    budget: Decimal


@dataclass
class Report:
    global_grant: GlobalGrant
    region: Territory | None
    public: bool
    profile: efficiency.Profile
    steps: dict[str, efficiency.Spread]
    shares: Shares
    money: MoneyState
    grants: list[GrantRow]
    pending: int
    ordinary: Ordinary | None
    added_value: object | None  # reti.monitoring.analytics.added_value.AddedValue
    added_value_missing: str = ""  # why there is none (no snapshot, no region)
    hidden: set = field(default_factory=set)  # keys of the counts the public version hides
    threshold: int = 0


def _money(records: Records, profile: efficiency.Profile) -> MoneyState:
    granted = sum((g.amount for g in records.grants), ZERO)
    revoked = sum((g.revoked for g in records.grants), ZERO)
    committed = granted - revoked
    paid = sum((g.paid for g in records.grants), ZERO)
    budget = profile.money.budget
    cost = profile.money.management_cost
    return MoneyState(
        budget=budget,
        granted=granted,
        revoked=revoked,
        committed=committed,
        paid=paid,
        to_recover=sum((g.to_recover for g in records.grants), ZERO),
        recovered=sum((g.recovered for g in records.grants), ZERO),
        management_cost=cost,
        committed_share=committed / budget if budget else None,
        paid_share=paid / budget if budget else None,
        cost_per_euro=cost / committed if committed else None,
    )


def _shares(records: Records) -> Shares:
    counted = efficiency.submitted(records.applications)
    funded = sum(a.outcome == efficiency.FUNDED for a in counted)
    admitted = sum(a.outcome not in ("not_admissible", "withdrawn") for a in counted)
    revoked = sum(
        g.status in (Grant.Status.REVOKED, Grant.Status.RENOUNCED) for g in records.grants
    )
    return Shares(
        admitted=efficiency.wilson(admitted, len(counted)),
        funded=efficiency.wilson(funded, len(counted)),
        revoked=efficiency.wilson(revoked, len(records.grants)),
    )


def ordinary(global_grant: GlobalGrant, records: Records, region) -> Ordinary | None:
    """The ordinary call adapter: interventions of instrument `ordinary_call` of the global
    grant's region and programme period in the monitoring, against this global grant's
    grants (amount, and duration from start to end)."""
    from reti.monitoring.models import Intervention

    period = global_grant.programme.period
    if region is None or period is None:
        return None
    found = Intervention.objects.filter(
        instrument=Intervention.Instrument.ORDINARY_CALL, region=region, period=period
    ).values_list("budget", "start_date", "end_date")
    amounts = [float(b) for b, _s, _e in found if b is not None]
    durations = [(e - s).days for _b, s, e in found if s and e]
    grants = list(
        Grant.objects.filter(application__call__global_grant=global_grant).values_list(
            "amount", "start_date", "end_date"
        )
    )
    grant_amounts = [float(a) for a, _s, _e in grants]
    grant_durations = [(e - s).days for _a, s, e in grants if s and e]
    return Ordinary(
        region=region.name_it,
        period=period.code,
        interventions=len(found),
        grants=len(grants),
        amount=efficiency.spread(amounts),
        grant_amount=efficiency.spread(grant_amounts),
        amount_difference=efficiency.median_difference(grant_amounts, amounts),
        duration=efficiency.spread(durations),
        grant_duration=efficiency.spread(grant_durations),
        duration_difference=efficiency.median_difference(grant_durations, durations),
        budget=sum((Decimal(str(a)) for a in amounts), ZERO),
    )


def added_value(global_grant: GlobalGrant, region):
    """The monitoring's added value of the Sovvenzione Globale in the global grant's region
    and period, against ordinary calls; (result, why missing)."""
    from reti.lib import cache
    from reti.monitoring.analytics import added_value as monitoring
    from reti.monitoring.analytics.snapshot import SnapshotMissing, current

    period = global_grant.programme.period
    if region is None or period is None:
        return None, "no_region"
    try:
        snapshot = current()
    except SnapshotMissing:
        return None, "no_snapshot"
    filters = {"region": [region.code], "period": [period.code]}
    parts = (
        "grants-added-value",
        str(snapshot.directory),
        repr(snapshot.version),
        region.code,
        period.code,
    )
    return cache.cached(
        ("grants-instrument",),
        parts,
        lambda: monitoring.added_value(
            snapshot, monitoring.DEFAULT_INSTRUMENT, filters, compare="ordinary_call"
        ),
    ), ""


def _protect(profile: efficiency.Profile, av) -> set:
    """The counts the public version hides: the monitoring's disclosure gate over the
    outcome counts, each breakdown's groups and the reasons for inadmissibility, with the
    identities a reader knows between them (the parts add up to the whole)."""
    from reti.monitoring.analytics import suppression

    values: dict = {("all",): profile.success.total}
    relations = []
    for attribute, groups in profile.success_by.items():
        keys = []
        for name, rate in groups.items():
            values[(attribute, name, "n")] = rate.total
            values[(attribute, name, "funded")] = rate.count
            keys.append((attribute, name, "n"))
        if keys:
            relations.append((keys, ("all",)))
    reasons = [(("reason", reason), count) for reason, count in profile.inadmissibility]
    if reasons:
        values[("not_admissible",)] = sum(count for _k, count in reasons)
        values.update(reasons)
        relations.append(([k for k, _c in reasons], ("not_admissible",)))
    if av is not None:
        values[("av", "treated")] = av.treated
        values[("av", "controls")] = av.controls
    return suppression.suppress(values, relations)


def report(global_grant: GlobalGrant, *, public: bool) -> Report:
    """The instrument report of `global_grant` (public: through the disclosure gate)."""
    from reti.monitoring.analytics.suppression import threshold_setting

    records = load(global_grant)
    region = region_of(global_grant)
    profile = efficiency.profile(records.budgets, records.applications)
    if records.general_cost:
        money = replace(
            profile.money, management_cost=profile.money.management_cost + records.general_cost
        )
        profile = replace(profile, money=money)
    av, missing = added_value(global_grant, region)
    result = Report(
        global_grant=global_grant,
        region=region,
        public=public,
        profile=profile,
        steps={step: efficiency.spread(days) for step, days in records.steps.items()},
        shares=_shares(records),
        money=_money(records, profile),
        grants=records.grants,
        pending=records.pending,
        ordinary=ordinary(global_grant, records, region),
        added_value=av,
        added_value_missing=missing,
    )
    if public:
        result.hidden = _protect(profile, av)
        result.threshold = threshold_setting()
    return result


def overview(*, public: bool) -> list[dict]:
    """The same headline measures for every global grant with a published call: the
    interregional comparison."""
    rows = []
    grants = (
        GlobalGrant.objects.filter(calls__status__in=[Call.Status.PUBLISHED, Call.Status.CLOSED])
        .distinct()
        .select_related("programme__managing_authority__territory", "intermediate_body__territory")
        .select_related("programme__period")
        .order_by("title_it")
    )
    for global_grant in grants:
        records = load(global_grant)
        profile = efficiency.profile(records.budgets, records.applications)
        region = region_of(global_grant)
        hidden = set()
        if public:
            from reti.monitoring.analytics import suppression

            hidden = suppression.suppress({("all",): profile.success.total}, [])
        rows.append(
            {
                "global_grant": global_grant,
                "region": region.name_it if region else "",
                "calls": profile.calls,
                "applications": profile.applications,
                "success": None if ("all",) in hidden else profile.success,
                "ranking": profile.durations["ranking"],
                "first_payment": profile.durations["first_payment"],
                "money": _money(records, profile),
                "small": None if ("all",) in hidden else profile.small_share,
            }
        )
    return rows


# --- the figures behind the page, one row each (the data download, the API) -------------


@dataclass(frozen=True)
class Figure:
    section: str  # durations, steps, money, shares, success_by, inadmissibility, ordinary, ...
    measure: str
    group: str = ""
    value: float | None = None
    low: float | None = None
    high: float | None = None
    count: int | None = None
    total: int | None = None
    unit: str = ""


def _spread_figure(section, measure, spread: efficiency.Spread, unit="days", group=""):
    return Figure(
        section, measure, group, spread.median, spread.low, spread.high, spread.n, None, unit
    )


def _rate_figure(section, measure, rate: efficiency.Rate, group="", hidden=False):
    if hidden:
        return Figure(section, measure, group, unit="share")
    return Figure(
        section, measure, group, rate.share, rate.low, rate.high, rate.count, rate.total, "share"
    )


def _money_figure(measure, value):
    return Figure("money", measure, value=None if value is None else float(value), unit="euro")


def figures(result: Report) -> list[Figure]:
    """Every figure the page shows, as rows (hidden counts left empty)."""
    p, hidden = result.profile, result.hidden
    rows = [_spread_figure("durations", stage, p.durations[stage]) for stage in efficiency.STAGES]
    rows += [_spread_figure("steps", step, spread) for step, spread in result.steps.items()]
    m = result.money
    for name in ("budget", "granted", "revoked", "committed", "paid", "to_recover", "recovered"):
        rows.append(_money_figure(name, getattr(m, name)))
    rows.append(_money_figure("management_cost", m.management_cost))
    for name in ("committed_share", "paid_share", "cost_per_euro"):
        value = getattr(m, name)
        rows.append(
            Figure("money", name, value=None if value is None else float(value), unit="ratio")
        )
    few = ("all",) in hidden  # the applications themselves are under the threshold
    for name in ("admitted", "funded", "revoked"):
        rows.append(_rate_figure("shares", name, getattr(result.shares, name), hidden=few))
    rows.append(_rate_figure("shares", "small_organisations", p.small_share, hidden=few))
    rows.append(_rate_figure("shares", "first_time", p.first_time_share, hidden=few))
    for attribute, groups in p.success_by.items():
        for group, rate in groups.items():
            rows.append(
                _rate_figure(
                    "success_by", attribute, rate, group, (attribute, group, "n") in hidden
                )
            )
    for reason, count in p.inadmissibility:
        shown = ("reason", reason) not in hidden
        rows.append(Figure("inadmissibility", "reason", reason, count=count if shown else None))
    if result.ordinary is not None:
        o = result.ordinary
        rows += [
            _spread_figure("ordinary", "amount_ordinary", o.amount, "euro"),
            _spread_figure("ordinary", "amount_global_grant", o.grant_amount, "euro"),
            _difference_figure("ordinary", "amount_difference", o.amount_difference, "euro"),
            _spread_figure("ordinary", "duration_ordinary", o.duration),
            _spread_figure("ordinary", "duration_global_grant", o.grant_duration),
            _difference_figure("ordinary", "duration_difference", o.duration_difference, "days"),
        ]
    av = result.added_value
    if av is not None and not ({("av", "treated"), ("av", "controls")} & hidden):
        rows.append(Figure("added_value", "treated", count=av.treated))
        rows.append(Figure("added_value", "controls", count=av.controls))
        rows.append(Figure("added_value", "matched", count=av.matched))
        for name in ("att", "att_cluster", "did"):
            estimate = getattr(av, name)
            if estimate is not None:
                rows.append(
                    Figure(
                        "added_value",
                        name,
                        value=estimate.value,
                        low=estimate.low,
                        high=estimate.high,
                        unit="share",
                    )
                )
        for row in av.balance:
            rows.append(Figure("balance", "smd_before", row["covariate"], value=row.get("before")))
            rows.append(Figure("balance", "smd_after", row["covariate"], value=row.get("after")))
    return rows


def _difference_figure(section, measure, difference: efficiency.Difference, unit):
    return Figure(
        section, measure, "", difference.estimate, difference.low, difference.high, unit=unit
    )


# --- what the page reads ---------------------------------------------------------------


BREAKDOWN_LABELS = {
    "applicant_type": _("Tipo di proponente"),
    "size_class": _("Dimensione"),
    "territory": _("Territorio"),
    "first_time": _("Alla prima domanda"),
}


def breakdowns(result: Report) -> list[dict]:
    """Success rates by applicant type, size, territory and first-time applicants, each
    group with its rate, or hidden (public version, count under the threshold)."""
    out = []
    for attribute, groups in result.profile.success_by.items():
        rows = []
        for group, rate in groups.items():
            hidden = (attribute, group, "n") in result.hidden
            label = group
            if attribute == "first_time":
                label = _("sì") if group == "True" else _("no")
            elif attribute == "size_class":
                label = SIZE_LABELS.get(group, _("non indicata"))
            rows.append({"group": label or _("non indicato"), "rate": None if hidden else rate})
        out.append({"attribute": attribute, "label": BREAKDOWN_LABELS[attribute], "rows": rows})
    return out


SIZE_LABELS = {
    "micro": _("micro"),
    "small": _("piccola"),
    "medium": _("media"),
    "large": _("grande"),
}


def reasons(result: Report) -> list[dict]:
    return [
        {
            "reason": reason or _("non indicato"),
            "count": None if ("reason", reason) in result.hidden else count,
        }
        for reason, count in result.profile.inadmissibility
    ]


def reading(av) -> dict | None:
    """The plain-language reading of the added value: the effect in percentage points, its
    interval, and whether the interval excludes zero (on the instrument's clustered interval
    when it exists: the honest one with few interventions)."""
    if av is None or av.att is None:
        return None
    estimate = av.att_cluster or av.att
    return {
        "points": 100 * estimate.value,
        "low": 100 * estimate.low,
        "high": 100 * estimate.high,
        "clear": estimate.significant,
        "positive": estimate.value > 0,
        "clustered": av.att_cluster is not None,
        "naive": None if av.naive is None else 100 * av.naive,
    }


STAGE_LABELS = {
    "ranking": _("dalla scadenza alla graduatoria definitiva"),
    "agreement": _("dalla scadenza alla convenzione accettata"),
    "first_payment": _("dalla scadenza al primo pagamento"),
    "closure": _("dalla scadenza alla chiusura"),
}
STEP_LABELS = {
    "publication_ranking": _("dalla pubblicazione del bando alla graduatoria definitiva"),
    "ranking_decision": _("dalla graduatoria all'atto di concessione"),
    "decision_agreement": _("dall'atto di concessione alla convenzione accettata"),
    "advance": _("anticipo: dalla convenzione al pagamento"),
    "intermediate": _("acconto: dal rendiconto al pagamento"),
    "balance": _("saldo: dal rendiconto finale al pagamento"),
}


def timeline(result: Report) -> list[dict]:
    """The durations and the steps between them, each with its label."""
    rows = [
        {"key": k, "label": STAGE_LABELS[k], "spread": result.profile.durations[k]}
        for k in efficiency.STAGES
    ]
    rows += [{"key": k, "label": STEP_LABELS[k], "spread": result.steps[k]} for k in STEPS]
    return rows
