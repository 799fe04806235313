"""The instrument report (analisi dello strumento) of a global grant, its printable version
and its data, and the comparison of every global grant (reti.grants.analysis).

Anyone reads the public version (counts under the monitoring's threshold hidden); officers
of the intermediate body, the managing authority, auditors and staff the full one."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from reti.lib import pdf, tabular
from reti.monitoring.analytics.added_value import MIN_CLUSTERS

from .. import analysis, permissions
from ..models import Call, GlobalGrant

FIGURES = tabular.Table(
    "analisi-strumento",
    _("Analisi dello strumento: le cifre della pagina"),
    (
        tabular.Column("sezione", _("Sezione"), "section"),
        tabular.Column("misura", _("Misura"), "measure"),
        tabular.Column("gruppo", _("Gruppo"), "group"),
        tabular.Column(
            "valore",
            _("Valore"),
            "value",
            type="number",
            description=_(
                "Mediana per i giorni e gli importi, quota (0-1) per i tassi, differenza per i "
                "confronti; vuoto se nascosto dal controllo della divulgazione."
            ),
        ),
        tabular.Column("basso", _("Estremo inferiore (95%)"), "low", type="number"),
        tabular.Column("alto", _("Estremo superiore (95%)"), "high", type="number"),
        tabular.Column("conteggio", _("Conteggio"), "count", type="integer"),
        tabular.Column("totale", _("Totale"), "total", type="integer"),
        tabular.Column("unita", _("Unità"), "unit", description=_("days, euro, share, ratio")),
    ),
    _(
        "Le definizioni sono in docs/grants-management.md, §9: giorni di calendario, intervalli "
        "al 95% (bootstrap per le mediane, Wilson per le quote, Newcombe per le differenze)."
    ),
)


def _global_grant(pk: int) -> GlobalGrant:
    """A global grant with at least one published call (404 otherwise)."""
    global_grant = get_object_or_404(
        GlobalGrant.objects.select_related(
            "programme__managing_authority__territory__parent",
            "programme__period",
            "intermediate_body__territory__parent",
        ),
        pk=pk,
    )
    if not global_grant.calls.exclude(status=Call.Status.DRAFT).exists():
        raise Http404
    return global_grant


def _context(request, pk: int) -> dict:
    global_grant = _global_grant(pk)
    full = permissions.can_read_full_instrument_report(request.user, global_grant)
    result = analysis.report(global_grant, public=not full)
    av = result.added_value
    av_hidden = bool({("av", "treated"), ("av", "controls")} & result.hidden)
    return {
        "global_grant": global_grant,
        "report": result,
        "profile": result.profile,
        "full": full,
        "av": None if av_hidden else av,
        "av_hidden": av_hidden,
        "reading": None if av_hidden else analysis.reading(av),
        "min_clusters": MIN_CLUSTERS,
        "timeline": analysis.timeline(result),
        "share_rows": _shares(result),
        "success_by": analysis.breakdowns(result),
        "inadmissibility": analysis.reasons(result),
        "generated_at": timezone.localtime(),
    }


def _shares(result) -> list[tuple]:
    """The shares of the outcomes; in the public version none when the applications
    themselves are fewer than the threshold (their total is hidden)."""
    rows = [
        (_("Ammesse sulle presentate"), result.shares.admitted, "admitted"),
        (_("Finanziate sulle presentate (successo)"), result.shares.funded, "funded"),
        (_("Revocate o rinunciate sulle finanziate"), result.shares.revoked, "revoked"),
        (
            _("Piccole e micro organizzazioni tra le finanziate"),
            result.profile.small_share,
            "small",
        ),
        (_("Alla prima domanda tra le finanziate"), result.profile.first_time_share, "first"),
    ]
    if ("all",) in result.hidden:
        return [(label, None, key) for label, _rate, key in rows]
    return rows


@require_safe
def instrument_report(request, pk: int):
    """The instrument report page; `?format=` gives its figures as CSV, XLSX or JSON."""
    context = _context(request, pk)
    if tabular.requested(request):
        return tabular.download(
            request,
            FIGURES,
            analysis.figures(context["report"]),
            filters={
                "sovvenzione": str(pk),
                "versione": "completa" if context["full"] else "pubblica",
            },
            filename=f"analisi-strumento-{pk}",
        )
    context["downloads"] = tabular.links(request.path, {})
    return render(request, "grants/instrument/report.html", context)


@require_safe
def instrument_report_pdf(request, pk: int):
    """The printable instrument report."""
    context = _context(request, pk)
    body = pdf.render_pdf("grants/instrument/report_pdf.html", context, request=request)
    return pdf.pdf_response(body, f"analisi-strumento-{pk}.pdf")


@require_safe
def instrument_overview(request):
    """Every global grant with a published call, side by side (the interregional view:
    public figures for everyone, the counts through the disclosure gate)."""
    rows = analysis.overview(public=True)
    return render(request, "grants/instrument/overview.html", {"rows": rows})
