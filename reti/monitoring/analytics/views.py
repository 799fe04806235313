"""Analytics pages: public aggregates with suppression, and dashboards for authorised users.

Public pages (indicators by region, the funnel plot, homogeneity) show only what the
disclosure control publishes (public.py, disclosure.py). The dashboard and the added value of
an instrument are for users who may read some participant data
(permissions.can_view_dashboards), and both count only the interventions whose participant
data the user reads (`_scope`; auditors: all): a user sees their own organisations'
participants unsuppressed, and other organisations' only through the public pages, with the
same disclosure control as anyone. Every chart has a table beside it.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from reti.lib import tabular
from reti.lib.pdf import pdf_response

from .. import permissions
from . import charts, downloads, engine, public, report
from .added_value import MIN_CLUSTERS, NO_CONTROLS, NO_TREATED, SMD_LIMIT, TOO_FEW, imbalanced
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
REASONS = {
    NO_TREATED: _lazy("nessun partecipante trattato con l’esito osservato"),
    NO_CONTROLS: _lazy("nessun partecipante di confronto con l’esito osservato"),
    TOO_FEW: _lazy("meno di 10 partecipanti trattati o di confronto abbinabili"),
}


def _snapshot():
    try:
        return current()
    except SnapshotMissing:
        return None


def _choice(form, field: str, default: str) -> str:
    return (form.cleaned_data.get(field) if form.is_valid() else None) or default


def _no_data(request, template, **context):
    return _render(request, template, {"snapshot_missing": True, **context})


def _when(moment) -> str:
    """A moment as the page's language writes it ("7 dicembre 2026, 17:16")."""
    text = formats.date_format(timezone.localtime(moment), "j F Y, H:i")
    # Italian writes month names in lower case inside a sentence.
    return text.lower() if (get_language() or "it").startswith("it") else text


def _render(request, template, context, snapshot=None, status=200):
    """Every analytics page: whether the visitor may open the dashboards (the tabs say so),
    and when the figures shown were computed (by the refresh, or now for a filter)."""
    context["dashboards_allowed"] = permissions.can_view_dashboards(request.user)
    if snapshot is not None:
        moment = public.computed_at(snapshot)
        context["computed_at"] = _when(moment) if moment else None
        context["computed_now"] = moment is None or context.get("filtered", False)
    return render(request, template, context, status=status)


def _cell_chart(labels: list[str], rows: list[dict], columns: dict[str, str]) -> dict:
    """A bar chart of published cells: a hidden one is None (no bar), never a number."""
    return charts.bars(
        labels, {str(label): [r[key] for r in rows] for key, label in columns.items()}
    )


@require_safe
def indicators(request):
    """One indicator by region and gender, or every indicator of one region by gender,
    counts under the threshold suppressed; downloadable as shown (?format=)."""
    form = IndicatorChoice(request.GET)
    code = _choice(form, "indicatore", "EECO01")
    region = _choice(form, "regione", "")
    names = region_names()
    context = {
        "form": form,
        "code": code,
        "name": indicator_name(code),
        "region": region,
        "region_name": names.get(region, ""),
        "page": "indicators",
    }
    snapshot = _snapshot()
    if snapshot is None:
        return _no_data(request, "monitoring/analytics/indicators.html", **context)
    table = public.region_table(snapshot, region) if region else None
    rows = public.indicator_table(snapshot, code)
    if tabular.requested(request):
        return downloads.indicators(
            request, code, context["name"], region, context["region_name"], table or rows
        )
    regions_only = [r for r in rows if not r["italy"]]
    genders = {g: GENDER_LABELS[g] for g in GENDERS}
    if region:
        chosen = next(r for r in table if r["code"] == code)
        chart = charts.bars(
            [str(genders[g]) for g in GENDERS], {code: [chosen[g] for g in GENDERS]}
        )
        charts_by = {"by_gender": chart}
    else:
        charts_by = {
            "by_region": _cell_chart(
                [r["name"] for r in regions_only], regions_only, {"total": _("Totale")}
            ),
            "by_region_gender": _cell_chart(
                [r["name"] for r in regions_only], regions_only, genders
            ),
        }
    filters = {"indicatore": code} | ({"regione": region} if region else {})
    context |= {
        "rows": rows,
        "region_rows": table,
        "indicator": BY_CODE[code],
        "threshold": threshold_setting(),
        "charts": charts_by,
        "choices": [(i.code, indicator_name(i.code)) for i in PARTICIPANT_INDICATORS],
        "regions": sorted(names.items()),
        "downloads": tabular.links(request.path, filters),
    }
    return _render(request, "monitoring/analytics/indicators.html", context, snapshot)


@require_safe
def indicators_pdf(request):
    """A region's indicator report as a PDF in the page's language (public, like the page:
    the same suppressed cells); 404 without a known region or before the first refresh."""
    form = IndicatorChoice(request.GET)
    region = _choice(form, "regione", "")
    name = region_names().get(region)
    snapshot = _snapshot()
    if not name or snapshot is None:
        raise Http404
    pdf = report.render(snapshot, region, name)
    language = (get_language() or "it")[:2]
    return pdf_response(pdf, f"indicatori-{region}-{language}.pdf")


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
    points = [p | {"percent": rounded(100 * p["rate"], "percent")} for p in plot.points]
    if tabular.requested(request):
        return downloads.comparison(request, code, points)
    context |= {
        "plot": plot,
        "points": points,
        "downloads": tabular.links(request.path, {"tasso": code}),
        "p0_percent": rounded(100 * plot.p0, "percent"),
        "chart": charts.funnel(plot),
        "threshold": threshold_setting(),
    }
    return _render(request, "monitoring/analytics/comparison.html", context, snapshot)


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
    if tabular.requested(request):
        return downloads.homogeneity(request, measure, result)
    periods = [p["period"] for p in result.by_period]
    context |= {
        "result": result,
        "values": result.values,
        "threshold": threshold_setting(),
        "downloads": tabular.links(request.path, {"misura": measure}),
        "chart": charts.lines(
            periods,
            {
                _("Coefficiente di variazione"): [p["indices"].cv for p in result.by_period],
                _("Gini"): [p["indices"].gini for p in result.by_period],
                _("Theil"): [p["indices"].theil for p in result.by_period],
            },
        ),
    }
    return _render(request, "monitoring/analytics/homogeneity.html", context, snapshot)


def _points(estimate):
    """An estimate of a difference in shares, in percentage points."""
    if estimate is None:
        return None
    return {k: 100 * getattr(estimate, k) for k in ("value", "low", "high")}


def _readable(request) -> list[int] | None:
    ids = permissions.readable_intervention_ids(request.user)
    return None if ids is None else sorted(ids)


def _restricted(request, page: str):
    """What a visitor who may not open `page` sees instead: what the page holds, what the
    public pages show, and who may open it. Anonymous visitors are invited to sign in (200);
    a signed-in user without access is told why (403)."""
    signed_in = request.user.is_authenticated
    context = {"page": page, "restricted": True, "signed_in": signed_in}
    return _render(
        request, "monitoring/analytics/restricted.html", context, status=403 if signed_in else 200
    )


def _scope(readable: list[int] | None) -> dict:
    """The filter that keeps a monitoring view to the interventions the user reads: every
    view for signed-in users goes through it (None: an auditor, every intervention)."""
    return {} if readable is None else {"intervention": readable}


@require_safe
def dashboard(request):
    """Every indicator by gender, unsuppressed, over the interventions the user reads; to
    others, what the page holds and who may open it."""
    if not permissions.can_view_dashboards(request.user):
        return _restricted(request, "dashboard")
    readable = _readable(request)
    form = DashboardFilter(request.GET)
    context = {"form": form, "page": "dashboard", "all_interventions": readable is None}
    snapshot = _snapshot()
    if snapshot is None:
        return _no_data(request, "monitoring/analytics/dashboard.html", **context)
    filters = form.engine_filters() | _scope(readable)
    rows = engine.gender_table(snapshot, filters, GENDERS)
    for row in rows:
        row["name"] = indicator_name(row["code"])
    by_gender = {g: {row["code"]: row["values"][k] for row in rows} for k, g in enumerate(GENDERS)}
    names = region_names()
    by_region = engine.compute(snapshot, ("region",), filters)
    targets = engine.targets_against_achievements(snapshot, ("region",), filters, by_region)
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
        "gender_chart": charts.bars(
            [str(GENDER_LABELS[g]) for g in GENDERS],
            {
                indicator_name(code): [by_gender.get(g, {}).get(code, 0) for g in GENDERS]
                for code in ("EECO01", "EECR05")
            },
        ),
        "filtered": True,  # computed now from the cube, whatever the filters
    }
    return _render(request, "monitoring/analytics/dashboard.html", context, snapshot)


@require_safe
def added_value_view(request):
    """The estimated effect of an instrument on employment six months after leaving, over
    the interventions whose participant data the user reads (auditors: all), as the
    dashboard; to others, what the page holds and who may open it. `?format=json` gives
    the whole analysis (estimates, intervals, balance, sample sizes); the other formats the
    balance table."""
    if not permissions.can_view_dashboards(request.user):
        return _restricted(request, "added_value")
    readable = _readable(request)
    form = InstrumentChoice(request.GET)
    form.is_valid()  # a refused comparison is said beside its field; the instrument stays
    instrument = form.cleaned_data.get("strumento") or "sovvenzione_globale"
    compare = form.cleaned_data.get("confronto") or ""
    context = {
        "form": form,
        "instrument": INSTRUMENT_LABELS[instrument],
        "compare": INSTRUMENT_LABELS[compare] if compare else "",
        "page": "added_value",
        "all_interventions": readable is None,
    }
    snapshot = _snapshot()
    if snapshot is None:
        return _no_data(request, "monitoring/analytics/added_value.html", **context)
    result, stored = public.scoped_added_value(snapshot, instrument, readable, compare)
    filters = {"strumento": instrument} | ({"confronto": compare} if compare else {})
    if tabular.requested(request):
        return downloads.added_value(request, result, filters)
    context |= {
        "result": result,
        "naive": None if result.naive is None else 100 * result.naive,
        "reason": REASONS.get(result.reason, ""),
        "att": _points(result.att),
        "att_cluster": _points(result.att_cluster),
        "min_clusters": MIN_CLUSTERS,
        "did": _points(result.did),
        "imbalanced": [b for b in result.balance if imbalanced(b)],
        "smd_limit": SMD_LIMIT,
        "filtered": not stored,
        "downloads": tabular.links(request.path, filters),
    }
    return _render(request, "monitoring/analytics/added_value.html", context, snapshot)
