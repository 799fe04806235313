"""The published ranking of a call (public portal page), an applicant's outcome and appeals.

The public page shows organisation, protocol number, score, line, status and amount granted
(and the CUP once grant management records one): no natural person's data. Runs not yet
published are not shown to anyone but the call's officers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from reti.lib import pdf, tabular
from reti.lib.forms import add_errors

from .. import actions, permissions, runs
from ..datasets import RANKINGS
from ..forms import AppealForm
from ..models import RankingRun
from .common import get_application_for_user, get_call_for_user


def published_run(call) -> RankingRun | None:
    """The latest published run of a call (provisional, final or scorrimento)."""
    return call.ranking_runs.exclude(published_at=None).order_by("-number").first()


def public_rows(run: RankingRun) -> list[dict]:
    """The rows the public may read: organisations (entities, never natural persons), their
    fiscal code, protocol, score, outcome, grant, CUP and act of concession when recorded."""
    entries = run.entries.select_related(
        "application__organisation", "application__receipt", "application__grant"
    ).order_by("line", "position", "application__receipt__protocol_number")
    rows = []
    for entry in entries:
        grant = runs.grant_of(entry.application)
        rows.append(
            {
                "entry": entry,
                "organisation": entry.application.organisation.name_it,
                "tax_code": entry.application.organisation.tax_code,
                "protocol": entry.application.receipt.protocol_number,
                "cup": runs.cup(entry.application),
                "grant": grant,
            }
        )
    return rows


@require_safe
def ranking_public(request, code: str):
    """The call's published ranking and its funded list."""
    call = get_call_for_user(request, code)
    run = published_run(call)
    if tabular.requested(request):
        entries = (
            run.entries.select_related(
                "run__call", "application__organisation", "application__receipt"
            ).order_by("line", "position", "application__receipt__protocol_number")
            if run
            else []
        )
        return tabular.download(request, RANKINGS, entries, filename=f"graduatoria-{call.code}")
    rows = public_rows(run) if run else []
    return render(
        request,
        "grants/ranking/public.html",
        {
            "call": call,
            "run": run,
            "rows": rows,
            "funded": [r for r in rows if r["entry"].is_funded],
            "officer": permissions.can_manage_ranking(request.user, call),
            "downloads": tabular.links(request.path, {}),
        },
    )


@require_safe
def run_pdf(request, pk: int):
    """A run as a PDF (PDF/UA): what d.lgs. 33/2013 art. 26-27 asks a grant's publication to
    carry, for a published run to anyone who sees the call, for an unpublished one to its
    officers (a working copy, marked as such)."""
    from .committee import get_run_for_user

    run = get_run_for_user(request, pk)
    call = run.call
    rows = public_rows(run)
    context = {
        "call": call,
        "global_grant": call.global_grant,
        "programme": call.global_grant.programme,
        "run": run,
        "rows": rows,
        "funded": [r for r in rows if r["entry"].is_funded],
        "amendments": call.amendments.order_by("date"),
        "printed_at": timezone.localtime(),
    }
    document = pdf.render_pdf("grants/pdf/ranking.html", context, request=request)
    return pdf.pdf_response(document, f"graduatoria-{call.code}-{run.number}.pdf")


def outcome_context(user, application) -> dict:
    """What the application's page shows after the deadline: the outcome in the latest
    published run (nothing before publication) and the application's appeals."""
    run = published_run(application.call)
    entry = run.entries.filter(application=application).first() if run else None
    return {
        "ranking_run": run,
        "ranking_entry": entry,
        "appeals": application.appeals.select_related("run"),
        "can_appeal": permissions.can_lodge_appeal(user, application),
        "appeal_run": permissions.appealable_run(application),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appeal_lodge(request, pk: int):
    """The applicant's appeal (ricorso) against the published provisional ranking."""
    application = get_application_for_user(request, pk)
    if not permissions.is_applicant(request.user, application):
        raise Http404
    if not permissions.can_lodge_appeal(request.user, application):
        messages.error(request, _("Nessuna graduatoria provvisoria impugnabile ora."))
        return redirect("grants:application_detail", application.pk)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.lodge_appeal(
                request.user,
                application,
                form.cleaned_data["against"],
                form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Ricorso presentato."))
            return redirect("grants:application_detail", application.pk)
    return render(
        request,
        "grants/ranking/appeal.html",
        {
            "application": application,
            "call": application.call,
            "form": form,
            "run": permissions.appealable_run(application),
        },
    )
