"""Analytics pages: public aggregates with suppression, and dashboards for authorised users.

Public pages (indicators by region, the funnel plot, homogeneity) show only what the
disclosure control publishes (public.py, disclosure.py). The dashboard and the added value of
an instrument are for users who may read some participant data
(permissions.can_view_dashboards), and both count only the interventions whose participant
data the user reads (`_scope`; auditors: all): a user sees their own organisations'
participants unsuppressed, and other organisations' only through the public pages, with the
same disclosure control as anyone. Every chart has a table beside it.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import permissions
from . import charts, engine, public
from .added_value import added_value
from .definitions import BY_CODE, PARTICIPANT_INDICATORS
from .disclosure import rounded
from .forms import (
    GENDER_LABELS,
    INSTRUMENT_LABELS,
    DashboardFilter,
    IndicatorChoice,
    InstrumentChoice,
    MeasureChoice,
    RateChoice,
)
from .labels import indicator_name
from .rates import RATES
from .regions import region_names
from .snapshot import SnapshotMissing, current
from .suppression import threshold_setting

GENDERS = tuple(GENDER_LABELS)


def _snapshot():
    try:
        return current()
    except SnapshotMissing:
        return None


def _choice(form, field: str, default: str) -> str:
    return (form.cleaned_data.get(field) if form.is_valid() else None) or default


def _no_data(request, template, **context):
    return render(request, template, {"snapshot_missing": True, **context})


@require_safe
def indicators(request):
    """One indicator by region and gender, counts under the threshold suppressed."""
    form = IndicatorChoice(request.GET)
    code = _choice(form, "indicatore", "EECO01")
    context = {"form": form, "code": code, "name": indicator_name(code), "page": "indicators"}
    snapshot = _snapshot()
    if snapshot is None:
        return _no_data(request, "monitoring/analytics/indicators.html", **context)
    rows = public.indicator_table(snapshot, code)
    regions_only = [r for r in rows if not r["italy"]]
    context |= {
        "rows": rows,
        "indicator": BY_CODE[code],
        "threshold": threshold_setting(),
        "chart": charts.bars(
            [r["name"] for r in regions_only],
            {_("Totale"): [r["total"] for r in regions_only]},
        ),
        "choices": [(i.code, indicator_name(i.code)) for i in PARTICIPANT_INDICATORS],
    }
    return render(request, "monitoring/analytics/indicators.html", context)


@require_safe
def comparison(request):
    """The funnel plot of a rate by region (public: regions with too few people left out)."""
    form = RateChoice(request.GET)
    code = _choice(form, "tasso", "penal_employed_6m")
    context = {"form": form, "rate": RATES[code], "code": code, "page": "comparison"}
    snapshot = _snapshot()
    if snapshot is None:
        return _no_data(request, "monitoring/analytics/comparison.html", **context)
    plot = public.public_funnel(snapshot, code)
    context |= {
        "plot": plot,
        "points": [p | {"percent": rounded(100 * p["rate"], "percent")} for p in plot.points],
        "p0_percent": rounded(100 * plot.p0, "percent"),
        "chart": charts.funnel(plot),
        "threshold": threshold_setting(),
    }
    return render(request, "monitoring/analytics/comparison.html", context)


@require_safe
def homogeneity_view(request):
    """Homogeneity indices by period and the regional values behind them."""
    form = MeasureChoice(request.GET)
    measure = _choice(form, "misura", "participants_per_10k")
    context = {"form": form, "measure": measure, "page": "homogeneity"}
    snapshot = _snapshot()
    if snapshot is None:
        return _no_data(request, "monitoring/analytics/homogeneity.html", **context)
    result = public.public_homogeneity(snapshot, measure)
    periods = [p["period"] for p in result.by_period]
    context |= {
        "result": result,
        "values": result.values,
        "threshold": threshold_setting(),
        "chart": charts.lines(
            periods,
            {
                _("Coefficiente di variazione"): [p["indices"].cv for p in result.by_period],
                _("Gini"): [p["indices"].gini for p in result.by_period],
                _("Theil"): [p["indices"].theil for p in result.by_period],
            },
        ),
    }
    return render(request, "monitoring/analytics/homogeneity.html", context)


def _points(estimate):
    """An estimate of a difference in shares, in percentage points."""
    if estimate is None:
        return None
    return {k: 100 * getattr(estimate, k) for k in ("value", "low", "high")}


def _dashboard_user(request):
    if not permissions.can_view_dashboards(request.user):
        raise PermissionDenied
    ids = permissions.readable_intervention_ids(request.user)
    return None if ids is None else sorted(ids)


def _scope(readable: list[int] | None) -> dict:
    """The filter that keeps a monitoring view to the interventions the user reads: every
    view for signed-in users goes through it (None: an auditor, every intervention)."""
    return {} if readable is None else {"intervention": readable}


@require_safe
@login_required
def dashboard(request):
    """Every indicator by gender, unsuppressed, over the interventions the user reads."""
    readable = _dashboard_user(request)
    form = DashboardFilter(request.GET)
    context = {"form": form, "page": "dashboard", "all_interventions": readable is None}
    snapshot = _snapshot()
    if snapshot is None:
        return _no_data(request, "monitoring/analytics/dashboard.html", **context)
    filters = form.engine_filters() | _scope(readable)
    by_gender = {r["gender"]: r for r in engine.compute(snapshot, ("gender",), filters)}
    rows = []
    for ind in PARTICIPANT_INDICATORS:
        values = [by_gender.get(g, {}).get(ind.code, 0) for g in GENDERS]
        rows.append(
            {
                "code": ind.code,
                "name": indicator_name(ind.code),
                "values": values,
                "total": sum(values),
            }
        )
    names = region_names()
    by_region = engine.compute(snapshot, ("region",), filters)
    targets = engine.targets_against_achievements(snapshot, ("region",), filters)
    for row in targets:
        row["name"] = names.get(row["region"], row["region"])
    context |= {
        "rows": rows,
        "genders": [GENDER_LABELS[g] for g in GENDERS],
        "targets": targets,
        "chart": charts.bars(
            [names.get(r["region"], r["region"]) for r in by_region],
            {
                indicator_name("EECO01"): [r["EECO01"] for r in by_region],
                indicator_name("EECR05"): [r["EECR05"] for r in by_region],
            },
        ),
    }
    return render(request, "monitoring/analytics/dashboard.html", context)


@require_safe
@login_required
def added_value_view(request):
    """The estimated effect of an instrument on employment six months after leaving, over
    the interventions whose participant data the user reads (auditors: all), as the
    dashboard."""
    readable = _dashboard_user(request)
    form = InstrumentChoice(request.GET)
    instrument = _choice(form, "strumento", "sovvenzione_globale")
    context = {
        "form": form,
        "instrument": INSTRUMENT_LABELS[instrument],
        "page": "added_value",
        "all_interventions": readable is None,
    }
    snapshot = _snapshot()
    if snapshot is None:
        return _no_data(request, "monitoring/analytics/added_value.html", **context)
    result = added_value(snapshot, instrument, _scope(readable))
    context |= {
        "result": result,
        "naive": 100 * result.naive,
        "att": _points(result.att),
        "did": _points(result.did),
    }
    return render(request, "monitoring/analytics/added_value.html", context)
