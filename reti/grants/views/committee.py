"""The officer's pages after the deadline: the committee, the ranking runs (provisional,
final), their differences and replay files, the appeals to decide and the scorrimento."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from reti.lib.forms import add_errors

from .. import actions, permissions, runs
from ..forms import AppealDecisionForm, CommitteeForm, RunForm, ScrollForm
from ..models import Appeal, Call, RankingRun
from .common import get_call_for_user, report


def get_managed_call(request, code: str) -> Call:
    """The call if the user is one of its officers; 404 otherwise."""
    call = get_call_for_user(request, code)
    if not permissions.can_manage_ranking(request.user, call):
        raise Http404
    return call


def get_run_for_user(request, pk: int) -> RankingRun:
    """A published run for anyone who sees the call; an unpublished one for its officers."""
    run = get_object_or_404(RankingRun.objects.select_related("call__global_grant"), pk=pk)
    if not (run.call.is_public and permissions.can_view_run(request.user, run)):
        raise Http404
    return run


def _scroll_form(call, data=None):
    current = actions.current_run(call)
    if current is None:
        return None
    entries = (
        current.entries.exclude(status__in=["withdrawn", "revoked"])
        .select_related("application__receipt", "application__organisation")
        .order_by("line", "position")
    )
    return ScrollForm(data, entries=entries)


def _page(request, call, **forms):
    committee = call.committee
    context = {
        "call": call,
        "committee": committee,
        "admitted": actions.evaluation.admitted_applications(call).count(),
        "subjects": committee.subjects.count() if committee else 0,
        "consensus": committee.consensus.count() if committee else 0,
        "runs": call.ranking_runs.select_related("created_by").order_by("-number"),
        "current": actions.current_run(call),
        "appeals": Appeal.objects.filter(application__call=call).select_related(
            "application__receipt", "application__organisation", "run"
        ),
        "can_open": permissions.can_open_committee(request.user, call),
        "can_run": permissions.can_run_ranking(request.user, call),
        "committee_form": forms.get("committee_form") or CommitteeForm(),
        "run_form": forms.get("run_form") or RunForm(),
        "scroll_form": forms.get("scroll_form") or _scroll_form(call),
        "decision_form": AppealDecisionForm(),
    }
    return render(request, "grants/ranking/manage.html", context)


@login_required
@require_safe
def call_ranking(request, code: str):
    """The officer's page of a call after the deadline."""
    return _page(request, get_managed_call(request, code))


@login_required
@require_POST
def committee_open(request, code: str):
    call = get_managed_call(request, code)
    if not permissions.can_open_committee(request.user, call):
        messages.error(request, _("La commissione si apre una volta, dopo la scadenza del bando."))
        return redirect("grants:call_ranking", call.code)
    form = CommitteeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.open_committee(
                request.user,
                call,
                chair=data["chair"],
                members=data["members"],
                secretary=data["secretary"],
                evaluators_per_subject=data["evaluators_per_subject"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Commissione aperta: le domande ammesse le sono sottoposte.")
            )
            return redirect("grants:call_ranking", call.code)
    return _page(request, call, committee_form=form)


@login_required
@require_POST
def committee_add(request, code: str):
    call = get_managed_call(request, code)
    if not permissions.can_run_ranking(request.user, call):
        messages.error(request, _("La commissione non è ancora aperta."))
        return redirect("grants:call_ranking", call.code)
    try:
        added = actions.add_admitted(request.user, call)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(
            request, _("Domande sottoposte alla commissione: %(n)s.") % {"n": len(added)}
        )
    return redirect("grants:call_ranking", call.code)


@login_required
@require_POST
def run_create(request, code: str):
    call = get_managed_call(request, code)
    if not permissions.can_run_ranking(request.user, call):
        messages.error(
            request, _("La graduatoria si elabora dopo la scadenza, a commissione aperta.")
        )
        return redirect("grants:call_ranking", call.code)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = actions.run_ranking(
                request.user, call, form.cleaned_data["kind"], form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Graduatoria elaborata (n. %(n)s).") % {"n": run.number})
            return redirect("grants:run_detail", run.pk)
    return _page(request, call, run_form=form)


@login_required
@require_POST
def scroll(request, code: str):
    call = get_managed_call(request, code)
    form = _scroll_form(call, request.POST)
    if form is None:
        messages.error(request, _("Nessuna graduatoria definitiva pubblicata."))
        return redirect("grants:call_ranking", call.code)
    if form.is_valid():
        data = form.cleaned_data
        application = call.applications.get(pk=data["application"])
        try:
            run = actions.free_money(
                request.user, application, data["kind"], data["amount"], data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Scorrimento fatto (n. %(n)s).") % {"n": run.number})
            return redirect("grants:run_detail", run.pk)
    return _page(request, call, scroll_form=form)


@require_safe
def run_detail(request, pk: int):
    """A run: its entries, what changed from the run before, its replay file."""
    run = get_run_for_user(request, pk)
    officer = permissions.is_officer(request.user, run.call)
    entries = run.entries.select_related("application__organisation", "application__receipt")
    return render(
        request,
        "grants/ranking/run.html",
        {
            "run": run,
            "call": run.call,
            "entries": entries,
            "officer": officer,
            "changes": runs.diff(run, run.previous) if officer else [],
            "can_publish": permissions.can_publish_run(request.user, run),
            "replays": runs.replays(run) if officer else None,
        },
    )


@login_required
@require_POST
def run_publish(request, pk: int):
    run = get_run_for_user(request, pk)
    if not permissions.is_officer(request.user, run.call):
        raise Http404
    try:
        actions.publish_run(request.user, run)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Graduatoria pubblicata: i proponenti sono avvisati."))
    return redirect("grants:run_detail", run.pk)


@require_safe
def run_export(request, pk: int):
    """The run's replay file: `reti grants replay` on it gives the stored result."""
    run = get_run_for_user(request, pk)
    response = HttpResponse(runs.export_text(run), content_type="application/json")
    name = f"graduatoria-{run.call.code}-{run.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def appeal_decide(request, pk: int):
    appeal = get_object_or_404(
        Appeal.objects.select_related("application__call__global_grant"), pk=pk
    )
    call = appeal.application.call
    if not permissions.can_manage_ranking(request.user, call):
        raise Http404
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("grants:call_ranking", call.code)
    try:
        actions.decide_appeal(
            request.user,
            appeal,
            form.cleaned_data["decision"] == "upheld",
            form.cleaned_data["outcome"],
        )
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Ricorso deciso."))
    return redirect("grants:call_ranking", call.code)
