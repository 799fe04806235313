"""The analytics API: the monitoring pages' figures as JSON, with the pages' filters and rules.

Public, as their pages: the common indicators by region and gender
(`/monitoring/analytics/indicators`), the funnel plot of a rate (`.../funnel`) and the
homogeneity of a measure (`.../homogeneity`). Each reads the very output its page shows
(public.py: the protected selection, the public funnel, the public homogeneity), so a cell the
page hides is null here with the reason code "c" (Eurostat's confidential flag, as in the
downloads), never a number, and nothing is recomputed that the disclosure control did not
protect: there is no breakdown by intervention, which would be a selection it never saw.

For the users who may open the dashboards (permissions.can_view_dashboards), with a token:
the dashboard's figures (`.../dashboard`, every indicator by gender, unsuppressed over the
interventions the user reads, filters as on the page plus one readable intervention) and the
added value of an instrument (`.../added-value`). Anyone else: 401 without a token, 403 with.

Every figure carries its definition (code, label in Italian and English, unit, the rule it
follows) and `as_of`, when the snapshot it comes from was written. Lists are paginated as the
rest of the API (`cursor`, `limit`, `next`), in the order the pages show them.
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from reti.accounts.auth import api_token_auth
from reti.lib.api.errors import BadRequest
from reti.lib.api.pagination import PageParams, paginate_rows
from reti.lib.api.params import check_params
from reti.lib.api.schemas import READ_ERRORS, WRITE_ERRORS, Id

from .. import permissions
from ..synthetic import INSTRUMENTS, TARGET_GROUPS
from . import engine, public
from .added_value import imbalanced
from .definitions import BY_CODE, ESF, ESF_PLUS, PARTICIPANT_INDICATORS, Indicator
from .disclosure import GENDERS, ITALY, TOTAL, rounded
from .downloads import SUPPRESSED
from .forms import ADDED_VALUE_INSTRUMENTS, PERIODS
from .homogeneity import MEASURES
from .labels import indicator_names
from .rates import RATES
from .regions import region_names
from .snapshot import SnapshotMissing, current

router = Router(tags=["monitoring analytics"])

FUNDS = {ESF_PLUS: "ESF+", ESF: "ESF"}
RULES = "docs/monitoring-analytics.md, Rules; reti/monitoring/analytics/definitions.py"
NO_SNAPSHOT = "No monitoring data yet: the analytics snapshot has not been written."

IndicatorCode = Literal[tuple(i.code for i in PARTICIPANT_INDICATORS)]
Gender = Literal[(*GENDERS, TOTAL)]
Period = Literal[PERIODS]
Fund = Literal[tuple(FUNDS.values())]


class Definition(Schema):
    code: str
    label_it: str
    label_en: str
    unit: str
    rule: str = Field(description="The rule or regulation the figure follows.")


class Figure(Schema):
    value: int | float | None = Field(description="null when not published (see `reason`).")
    reason: Literal["c"] | None = Field(
        description="c: not published for confidentiality (a count under the threshold, or one "
        "from which a hidden count could be worked out); null when the value is published "
        "(or, for an index, does not exist)."
    )
    definition: Definition
    as_of: datetime = Field(description="When the snapshot the figure comes from was written.")


def _both(text) -> tuple[str, str]:
    """A lazy translatable text in Italian and in English."""
    with translation.override("it"):
        italian = str(text)
    with translation.override("en"):
        english = str(text)
    return italian, english


def indicator_definition(indicator: Indicator) -> dict:
    italian, english = indicator_names(indicator.code)
    return {
        "code": indicator.code,
        "label_it": italian,
        "label_en": english,
        "unit": "persons",
        "rule": f"{indicator.source} ({FUNDS[indicator.period]} {indicator.period}); {RULES}",
    }


def rate_definition(code: str, unit: str = "percent") -> dict:
    italian, english = _both(RATES[code].label)
    rule = "Numerator among denominator, six-month window (definitions.SIX_MONTHS_RULE); " + RULES
    return {"code": code, "label_it": italian, "label_en": english, "unit": unit, "rule": rule}


def _snapshot():
    try:
        return current()
    except SnapshotMissing:
        raise HttpError(404, NO_SNAPSHOT) from None


def _figure(value, definition: dict, as_of, *, hidden_if_none: bool = True) -> dict:
    """A figure as published: None from the disclosure control is a hidden value (reason
    "c"); with `hidden_if_none` False, None is a figure that does not exist (no reason)."""
    hidden = value is None and hidden_if_none
    return {
        "value": value,
        "reason": SUPPRESSED if hidden else None,
        "definition": definition,
        "as_of": as_of,
    }


def _region(code: str | None) -> str | None:
    if code and code != ITALY and code not in region_names():
        raise BadRequest("region", f"Unknown region {code!r}: an ISTAT region code or IT.")
    return code


# Indicators (public) ---------------------------------------------------------------------


class IndicatorFilters(Schema):
    indicator: IndicatorCode | None = Field(None, description="A participant indicator's code.")
    period: Period | None = Field(None, description="The indicators of this programming period.")
    fund: Fund | None = Field(None, description="ESF+ (2021-2027) or ESF (2014-2020).")
    region: str | None = Field(
        None, max_length=3, description="ISTAT code of the region, or IT for Italy."
    )
    gender: Gender | None = Field(None, description="A gender, or total.")


class IndicatorCell(Figure):
    indicator: str
    region: str
    region_name: str
    gender: str


class IndicatorPage(Schema):
    items: list[IndicatorCell]
    next: str | None
    as_of: datetime


def _chosen_indicators(filters) -> list[Indicator]:
    chosen = []
    for indicator in PARTICIPANT_INDICATORS:
        if filters.indicator and indicator.code != filters.indicator:
            continue
        if filters.period and indicator.period != filters.period:
            continue
        if filters.fund and FUNDS[indicator.period] != filters.fund:
            continue
        chosen.append(indicator)
    return chosen


@router.get(
    "/monitoring/analytics/indicators",
    response={200: IndicatorPage, **READ_ERRORS},
    url_name="analytics_indicators",
)
def indicators(request, filters: Query[IndicatorFilters], page: Query[PageParams]):
    """The common indicators by region (Italy last) and gender, as the indicators page
    publishes them: suppressed cells are null with reason "c"."""
    check_params(request, IndicatorFilters, PageParams)
    region = _region(filters.region)
    snapshot = _snapshot()
    as_of = snapshot.as_of
    cells = []
    for indicator in _chosen_indicators(filters):
        definition = indicator_definition(indicator)
        for row in public.indicator_table(snapshot, indicator.code):
            if region and row["region"] != region:
                continue
            for gender in [*GENDERS, TOTAL]:
                if filters.gender and gender != filters.gender:
                    continue
                cells.append(
                    _figure(row[gender], definition, as_of)
                    | {
                        "indicator": indicator.code,
                        "region": row["region"],
                        "region_name": "Italia" if row["italy"] else row["name"],
                        "gender": gender,
                    }
                )
    return paginate_rows(request, cells, page) | {"as_of": as_of}


# Funnel plot (public) --------------------------------------------------------------------


class FunnelFilters(Schema):
    rate: Literal[tuple(RATES)] = Field("penal_employed_6m", description="The rate's code.")


class FunnelPoint(Schema):
    region: str
    region_name: str
    people: Figure = Field(description="The rate's denominator.")
    events: Figure = Field(description="The rate's numerator.")
    rate: Figure = Field(description="Per cent, one decimal.")
    band: Literal["high_998", "high_95", "within", "low_95", "low_998"] | None = Field(
        description="Where the point falls against the 95% and 99.8% limits; null if hidden."
    )


class Limit(Schema):
    n: int
    lo95: float
    hi95: float
    lo998: float
    hi998: float


LIMITS = ("lo95", "hi95", "lo998", "hi998")


class FunnelPage(Schema):
    items: list[FunnelPoint]
    next: str | None
    as_of: datetime
    national_rate: Figure = Field(description="Per cent, from the published regions alone.")
    limits: list[Limit] = Field(description="Control limits in per cent by denominator.")


@router.get(
    "/monitoring/analytics/funnel",
    response={200: FunnelPage, **READ_ERRORS},
    url_name="analytics_funnel",
)
def funnel(request, filters: Query[FunnelFilters], page: Query[PageParams]):
    """The funnel plot of a rate by region, as the comparison page draws it; regions whose
    counts are hidden are listed with null figures and reason "c"."""
    check_params(request, FunnelFilters, PageParams)
    snapshot = _snapshot()
    as_of = snapshot.as_of
    plot = public.public_funnel(snapshot, filters.rate)
    rate = rate_definition(filters.rate)
    people = rate_definition(filters.rate, "persons") | {"code": f"{filters.rate}__n"}
    events = rate_definition(filters.rate, "persons") | {"code": f"{filters.rate}__events"}
    points = [
        {
            "region": p["region"],
            "region_name": p["name"],
            "people": _figure(p["n"], people, as_of),
            "events": _figure(p["events"], events, as_of),
            "rate": _figure(rounded(100 * p["rate"], "percent"), rate, as_of),
            "band": p["band"],
        }
        for p in plot.points
    ]
    names = region_names()
    for region in public.funnel_hidden(snapshot, filters.rate):
        points.append(
            {
                "region": region,
                "region_name": names.get(region, region),
                "people": _figure(None, people, as_of),
                "events": _figure(None, events, as_of),
                "rate": _figure(None, rate, as_of),
                "band": None,
            }
        )
    points.sort(key=lambda p: p["region"])
    limits = [
        {"n": r["n"]}
        | {k: rounded(100 * r[k], "limit") for k in ("lo95", "hi95", "lo998", "hi998")}
        for r in plot.curve
    ]
    return paginate_rows(request, points, page) | {
        "as_of": as_of,
        "national_rate": _figure(rounded(100 * plot.p0, "percent"), rate, as_of),
        "limits": limits,
    }


# Homogeneity (public) --------------------------------------------------------------------


class HomogeneityFilters(Schema):
    measure: Literal[MEASURES] = Field(
        "participants_per_10k",
        description="participants_per_10k (per 10,000 residents aged 15-64) or a rate's code.",
    )


class RegionValue(Figure):
    region: str
    region_name: str
    macro_area: str
    period: str


class PeriodIndices(Schema):
    period: str
    regions: list[str] = Field(description="The published regions the indices are computed on.")
    count: Figure
    mean: Figure
    cv: Figure
    gini: Figure
    theil: Figure
    theil_between: Figure
    theil_within: Figure
    max_min_ratio: Figure


class HomogeneityPage(Schema):
    items: list[RegionValue]
    next: str | None
    as_of: datetime
    indices: list[PeriodIndices]
    converging: bool | None = Field(
        description="Sigma-convergence over the regions published in every period (`compared`)."
    )
    compared: list[str]
    population_year: int | None


def measure_definition(measure: str) -> dict:
    if measure in RATES:
        return rate_definition(measure)
    from .forms import MeasureChoice

    italian, english = _both(dict(MeasureChoice.base_fields["misura"].choices)[measure])
    rule = "Participants over ISTAT residents aged 15-64 on 1 January (population.py); " + RULES
    return {
        "code": measure,
        "label_it": italian,
        "label_en": english,
        "unit": "per 10,000 residents aged 15-64",
        "rule": rule,
    }


INDEX_UNITS = {
    "count": ("regions", "Regions whose value is published"),
    "mean": ("as the measure", "Unweighted mean over the regions"),
    "cv": ("ratio", "Coefficient of variation"),
    "gini": ("index 0-1", "Gini index"),
    "theil": ("index", "Theil's T"),
    "theil_between": ("index", "Theil's T between Nord, Centro, Mezzogiorno"),
    "theil_within": ("index", "Theil's T within the macro-areas"),
    "max_min_ratio": ("ratio", "Highest over lowest value"),
}
INDEX_LABELS_IT = {
    "count": "Regioni con valore pubblicato",
    "mean": "Media non ponderata delle regioni",
    "cv": "Coefficiente di variazione",
    "gini": "Indice di Gini",
    "theil": "Indice T di Theil",
    "theil_between": "Theil tra Nord, Centro e Mezzogiorno",
    "theil_within": "Theil entro le macro-aree",
    "max_min_ratio": "Rapporto tra il valore più alto e il più basso",
}


def _index_definition(name: str, measure: str) -> dict:
    unit, english = INDEX_UNITS[name]
    return {
        "code": f"{measure}:{name}",
        "label_it": INDEX_LABELS_IT[name],
        "label_en": english,
        "unit": unit,
        "rule": "Computed from the published regional values, as published (homogeneity.py); "
        + RULES,
    }


@router.get(
    "/monitoring/analytics/homogeneity",
    response={200: HomogeneityPage, **READ_ERRORS},
    url_name="analytics_homogeneity",
)
def homogeneity(request, filters: Query[HomogeneityFilters], page: Query[PageParams]):
    """A measure by region and period, and its homogeneity indices by period, as the
    homogeneity page shows them: a hidden region's value is null with reason "c"."""
    check_params(request, HomogeneityFilters, PageParams)
    snapshot = _snapshot()
    as_of = snapshot.as_of
    result = public.public_homogeneity(snapshot, filters.measure)
    definition = measure_definition(filters.measure)
    values = [
        _figure(v["value"], definition, as_of)
        | {
            "region": v["region"],
            "region_name": v["name"],
            "macro_area": v["macro_area"],
            "period": v["period"],
        }
        for v in result.values
    ]
    indices = []
    for p in result.by_period:
        found = p["indices"]
        figures = {
            name: _figure(
                found.regions if name == "count" else getattr(found, name),
                _index_definition(name, filters.measure),
                as_of,
                hidden_if_none=False,  # a ratio over a zero lowest value has none
            )
            for name in INDEX_UNITS
        }
        indices.append({"period": p["period"], "regions": p["regions"], **figures})
    return paginate_rows(request, values, page) | {
        "as_of": as_of,
        "indices": indices,
        "converging": result.converging,
        "compared": list(result.compared),
        "population_year": result.population_year,
    }


# Dashboard (authorised users) ------------------------------------------------------------


class DashboardFilters(Schema):
    indicator: IndicatorCode | None = None
    period: Period | None = None
    fund: Fund | None = None
    region: str | None = Field(None, max_length=3, description="ISTAT code of the region.")
    instrument: Literal[INSTRUMENTS] | None = None
    target_group: Literal[TARGET_GROUPS] | None = None
    gender: Gender | None = Field(None, description="Count only this gender (total: all).")
    intervention: Id | None = Field(None, description="One intervention the user reads.")


class DashboardCell(Figure):
    indicator: str
    gender: str


class DashboardPage(Schema):
    items: list[DashboardCell]
    next: str | None
    as_of: datetime
    all_interventions: bool = Field(
        description="True for auditors; otherwise the figures count the user's interventions."
    )


def _dashboard_user(request):
    if not permissions.can_view_dashboards(request.auth):
        raise PermissionDenied(
            "The dashboards are for auditors and the users of an organisation that owns "
            "interventions; the public figures are at /monitoring/analytics/indicators."
        )
    return request.auth


@router.get(
    "/monitoring/analytics/dashboard",
    response={200: DashboardPage, **WRITE_ERRORS},
    auth=api_token_auth,
    url_name="analytics_dashboard",
)
def dashboard(request, filters: Query[DashboardFilters], page: Query[PageParams]):
    """Every indicator by gender, unsuppressed, over the interventions the token's user reads
    (auditors: all), with the dashboard page's filters; values equal the page's."""
    check_params(request, DashboardFilters, PageParams)
    user = _dashboard_user(request)
    readable = permissions.readable_intervention_ids(user)
    if (region := filters.region) and region not in region_names():
        raise BadRequest("region", f"Unknown region {region!r}: an ISTAT region code.")
    scope = None if readable is None else sorted(readable)
    if filters.intervention is not None:
        if scope is not None and filters.intervention not in readable:
            raise Http404
        scope = [filters.intervention]
    engine_filters = {
        name: [getattr(filters, name)]
        for name in ("region", "period", "instrument", "target_group")
        if getattr(filters, name)
    }
    if filters.gender and filters.gender != TOTAL:
        engine_filters["gender"] = [filters.gender]
    if scope is not None:
        engine_filters["intervention"] = scope
    snapshot = _snapshot()
    as_of = snapshot.as_of
    chosen = {i.code for i in _chosen_indicators(filters)}
    cells = []
    for row in engine.gender_table(snapshot, engine_filters, GENDERS):
        if row["code"] not in chosen:
            continue
        definition = indicator_definition(BY_CODE[row["code"]])
        for gender, value in [*zip(GENDERS, row["values"], strict=True), (TOTAL, row["total"])]:
            cells.append(
                _figure(value, definition, as_of) | {"indicator": row["code"], "gender": gender}
            )
    return paginate_rows(request, cells, page) | {
        "as_of": as_of,
        "all_interventions": readable is None,
    }


# Added value (authorised users) ----------------------------------------------------------


class AddedValueFilters(Schema):
    instrument: Literal[ADDED_VALUE_INSTRUMENTS] = "sovvenzione_globale"
    compare: Literal[INSTRUMENTS] | None = Field(
        None, description="One instrument to compare with; omitted: all other instruments."
    )


class Estimate(Schema):
    value: float
    low: float
    high: float
    significant: bool | None = Field(description="null for the descriptive estimate.")


class BalanceRow(Schema):
    covariate: str
    in_model: bool
    smd_before: float
    smd_after: float
    variance_ratio_after: float | None
    imbalanced: bool


class AddedValuePage(Schema):
    items: list[BalanceRow] = Field(description="The balance table, before and after matching.")
    next: str | None
    as_of: datetime
    definition: Definition
    instrument: str
    comparison: str
    population: int
    unobserved: int
    sample: int
    treated: int
    controls: int
    matched: int
    treated_interventions: int
    not_estimable_because: Literal["no_treated", "no_controls", "too_few"] | None
    naive_difference: float | None
    att: Estimate | None = Field(description="Effect on these participants (Abadie-Imbens).")
    att_instrument: Estimate | None = Field(
        description="Effect of the instrument across its interventions (clustered)."
    )
    difference_in_differences: Estimate | None = Field(
        description="Descriptive: assumes parallel trends, which one pre-period cannot check."
    )
    all_interventions: bool


def _estimate(estimate, descriptive: bool = False) -> dict | None:
    if estimate is None:
        return None
    return {
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "significant": None if descriptive else estimate.significant,
    }


ADDED_VALUE_DEFINITION = {
    "code": "added_value_employed_6m",
    "label_it": "Effetto dello strumento sull'occupazione sei mesi dopo l'uscita",
    "label_en": "Effect of the instrument on employment six months after leaving",
    "unit": "difference in shares (0.08 = 8 percentage points)",
    "rule": "Propensity-score matching and descriptive difference-in-differences "
    "(added_value.py; docs/monitoring-analytics.md, Fair comparison, homogeneity, added value)",
}


@router.get(
    "/monitoring/analytics/added-value",
    response={200: AddedValuePage, **WRITE_ERRORS},
    auth=api_token_auth,
    url_name="analytics_added_value",
)
def added_value(request, filters: Query[AddedValueFilters], page: Query[PageParams]):
    """The added value of an instrument over the interventions the token's user reads
    (auditors: all), as the added-value page computes it."""
    check_params(request, AddedValueFilters, PageParams)
    user = _dashboard_user(request)
    if filters.compare and filters.compare == filters.instrument:
        raise BadRequest("compare", "Choose a comparison different from the instrument.")
    readable = permissions.readable_intervention_ids(user)
    snapshot = _snapshot()
    result, _stored = public.scoped_added_value(
        snapshot,
        filters.instrument,
        None if readable is None else sorted(readable),
        filters.compare or "",
    )
    balance = [
        {
            "covariate": row["covariate"],
            "in_model": row.get("in_model", True),
            "smd_before": row["before"],
            "smd_after": row["after"],
            "variance_ratio_after": row.get("variance_ratio"),
            "imbalanced": imbalanced(row),
        }
        for row in result.balance
    ]
    return paginate_rows(request, balance, page) | {
        "as_of": snapshot.as_of,
        "definition": ADDED_VALUE_DEFINITION,
        "instrument": result.instrument,
        "comparison": result.compare or "all_other_instruments",
        "population": result.population,
        "unobserved": result.unobserved,
        "sample": result.sample,
        "treated": result.treated,
        "controls": result.controls,
        "matched": result.matched,
        "treated_interventions": result.clusters,
        "not_estimable_because": result.reason or None,
        "naive_difference": result.naive,
        "att": _estimate(result.att),
        "att_instrument": _estimate(result.att_cluster),
        "difference_in_differences": _estimate(result.did, descriptive=True),
        "all_interventions": readable is None,
    }
