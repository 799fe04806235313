"""Portal pages of the system of record: interventions, uploads with progress, reports.

Participant-level pages (batches, reports, exports) are for the owning organisation's
authorised users and auditors (permissions.py); each read and export is logged, each refusal
too. Analytics pages live in reti/monitoring/analytics.
"""

from operator import itemgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from reti.lib import lists, tabular
from reti.registry.models import ProgrammingPeriod

from . import actions, permissions, queries
from .exports import PARTICIPANTS_TABLE, participant_rows
from .forms import InterventionFilters, UploadForm
from .importing.run import read_progress
from .importing.spec import COLUMNS, TEMPLATE, TEMPLATE_ROWS
from .models import ImportBatch, Intervention, ParticipantAccessLog, ParticipantRecord

# The validation report: each problem as stored in ImportBatch.report. `valore` echoes the
# uploaded cell (masked when it holds a code), so the writer's formula escaping matters here.
REPORT = tabular.Table(
    "rapporto",
    _("Rapporto di validazione"),
    (
        tabular.Column("riga", _("Riga del file"), itemgetter(0), type="integer"),
        tabular.Column("colonna", _("Colonna"), itemgetter(1)),
        tabular.Column("valore", _("Valore trovato (mascherato se è un codice)"), itemgetter(2)),
        tabular.Column("motivo", _("Motivo"), itemgetter(3)),
    ),
    description=_("Ogni errore trovato nel file caricato: riga, colonna, valore e motivo."),
)
# The interventions list's page: keyset pages of this many (reti.lib.lists).
PAGE_SIZE = 50


def _batch_for(request, pk: int) -> ImportBatch:
    """The batch, if the user may read its intervention's participant data; else 403."""
    batch = get_object_or_404(ImportBatch.objects.select_related("intervention"), pk=pk)
    if not permissions.can_view_participants(request.user, batch.intervention):
        actions.log_access(
            request.user,
            ParticipantAccessLog.Action.REFUSED,
            f"batch {batch.pk}",
            intervention=batch.intervention,
            channel="portal",
        )
        raise PermissionDenied
    return batch


@require_safe
def monitoring_home(request):
    """What monitoring offers, and which parts need an account (and which account)."""
    signed_in = request.user.is_authenticated
    return render(
        request,
        "monitoring/home.html",
        {
            "signed_in": signed_in,
            "authorised": permissions.can_view_dashboards(request.user),
            "interventions": Intervention.objects.count(),
        },
    )


# The list's download: the rows the page shows, every page, with the same columns.
INTERVENTIONS = tabular.Table(
    "interventi",
    _("Interventi monitorati"),
    (
        tabular.Column("codice", _("Codice"), "code"),
        tabular.Column("titolo", _("Titolo"), "title_it"),
        tabular.Column("titolo_en", _("Titolo in inglese"), "title_en"),
        tabular.Column("regione", _("Codice ISTAT della regione"), lambda i: i.region.code),
        tabular.Column("regione_nome", _("Regione"), lambda i: i.region.name),
        tabular.Column("periodo", _("Periodo di programmazione"), lambda i: i.period.code),
        tabular.Column("strumento", _("Strumento"), lambda i: i.get_instrument_display()),
        tabular.Column("ente_titolare", _("Ente titolare"), lambda i: i.organisation.name),
        tabular.Column(
            "dato_sintetico", _("Dato sintetico"), "synthetic", type="boolean",
            description=_("Sì per i dati inventati della dimostrazione"),
        ),
        tabular.Column(
            "pagina", _("Pagina sul portale"),
            lambda i: reverse("monitoring:intervention_detail", args=[i.pk]), type="url",
        ),
    ),
    description=_("Gli interventi che corrispondono ai filtri della lista."),
)  # fmt: skip


@require_safe
@lists.filtered_by(InterventionFilters)
def intervention_list(request, filters: InterventionFilters):
    """The interventions (public), filtered by region, period and instrument, in code order."""
    queryset = filters.filter(
        Intervention.objects.select_related("region", "period", "organisation"),
        queries.filter_interventions,
    )
    context = {
        "count": queryset.count(),
        "regions": queries.regions(),
        "periods": ProgrammingPeriod.objects.all(),
        "instruments": Intervention.Instrument.choices,
        "readable": permissions.readable_intervention_ids(request.user),
    }
    return lists.respond(
        request,
        filters,
        queryset,
        INTERVENTIONS,
        "monitoring/intervention_list.html",
        context,
        ordering=("code", "pk"),
        size=PAGE_SIZE,
    )


@require_safe
def intervention_detail(request, pk: int):
    intervention = get_object_or_404(
        Intervention.objects.select_related("region", "period", "fund", "organisation", "project"),
        pk=pk,
    )
    can_view = permissions.can_view_participants(request.user, intervention)
    context = {
        "intervention": intervention,
        "target_groups": intervention.target_groups.all(),
        "targets": intervention.targets.select_related("indicator"),
        "can_view": can_view,
        "can_upload": permissions.can_upload(request.user, intervention),
        "form": UploadForm(),
    }
    if can_view:
        context["batches"] = intervention.batches.select_related("uploaded_by")[:20]
        labels = dict(ParticipantRecord.Gender.choices)
        context["by_gender"] = [
            {"gender": labels.get(row["gender"], row["gender"]), "n": row["n"]}
            for row in ParticipantRecord.objects.filter(intervention=intervention)
            .values("gender")
            .annotate(n=Count("id"))
            .order_by("gender")
        ]
        context["total"] = sum(row["n"] for row in context["by_gender"])
    return render(request, "monitoring/intervention_detail.html", context)


@login_required
@require_POST
def batch_upload(request, pk: int):
    intervention = get_object_or_404(Intervention, pk=pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if not permissions.can_upload(request.user, intervention):
            raise PermissionDenied
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("monitoring:intervention_detail", pk)
    batch = actions.upload_batch(
        request.user,
        intervention,
        form.cleaned_data["file"],
        mode=form.cleaned_data["mode"],
        confirm_shrink=form.cleaned_data["confirm_shrink"],
    )
    return redirect("monitoring:batch_detail", batch.pk)


def _batch_context(batch: ImportBatch) -> dict:
    fraction, rows = read_progress(batch) if not batch.finished else (1.0, batch.rows_read)
    return {
        "batch": batch,
        "percent": round(fraction * 100),
        "rows": rows,
        "problems": batch.report[:200],
    }


@login_required
@require_safe
def batch_detail(request, pk: int):
    """The batch's page; with `?format=` its whole validation report (logged as an export)."""
    batch = _batch_for(request, pk)
    if tabular.requested(request):
        problems = actions.read_batch_report(request.user, batch)
        return tabular.download(
            request,
            REPORT,
            problems,
            formats=("csv", "csv-intl", "xlsx"),
            filename=f"rapporto-{batch.pk}",
        )
    if batch.finished and batch.report:
        actions.log_access(
            request.user,
            ParticipantAccessLog.Action.READ,
            f"report of batch {batch.pk}",
            intervention=batch.intervention,
            count=min(batch.error_count, 200),
            channel="portal",
        )
    return render(request, "monitoring/batch_detail.html", _batch_context(batch))


@login_required
@require_safe
def batch_status(request, pk: int):
    """The status fragment htmx polls every second while the import runs."""
    batch = _batch_for(request, pk)
    if batch.finished and request.headers.get("HX-Request"):
        # Finished: reload the whole page, which shows the result and the report.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "monitoring/includes/batch_status.html", _batch_context(batch))


@login_required
@require_safe
def participant_export(request, pk: int):
    """The intervention's pseudonymised participant records (authorised users, logged before
    the first byte); CSV unless `?format=` asks for another format."""
    intervention = get_object_or_404(Intervention, pk=pk)
    rows = participant_rows(request.user, intervention, channel="portal")
    return tabular.download(
        request,
        PARTICIPANTS_TABLE,
        rows,
        default="csv",
        filename=f"partecipanti-{intervention.code}",
    )


@require_safe
def template_download(request):
    """The empty participant file to fill in: CSV (default) or XLSX, with one example row."""
    return tabular.download(
        request,
        TEMPLATE,
        TEMPLATE_ROWS,
        formats=("csv", "csv-intl", "xlsx"),
        default="csv",
        filename="modello-partecipanti",
    )


@require_safe
def column_specification(request):
    return render(request, "monitoring/specification.html", {"columns": COLUMNS})
