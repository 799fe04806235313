"""The committee's pages: assignments, conflicts, divergences and the consensus (chair,
secretary; members see the committee without the others' scores)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reti.lib import tabular

from .. import actions, conflicts, permissions, queries
from ..forms import AssignForm, ConsensusForm, NoteForm
from ..messages import tie_break_label
from ..models import Assessment, CommitteeMember, CommitteeSubject
from ..rankings import ranking_table
from .common import get_committee_for_user, report, report_form, require

EVALUATING = (CommitteeMember.Role.CHAIR, CommitteeMember.Role.MEMBER)


def _evaluators(committee):
    ids = committee.members.filter(role__in=EVALUATING).values_list("user_id", flat=True)
    return get_user_model().objects.filter(pk__in=ids).order_by("username")


def _subject_rows(committee, oversee: bool):
    assignments = list(committee.assignments.select_related("evaluator"))
    assessments = list(
        committee.assessments.exclude(mode=Assessment.Mode.CONSENSUS).select_related("evaluator")
    )
    declarations = list(committee.declarations.select_related("evaluator"))
    consensus = {
        (r.subject_type_id, r.subject_id): r
        for r in committee.consensus.select_related("assessment")
    }
    evaluators = list(_evaluators(committee)) if oversee else []
    rows = []
    for row in committee.subjects.select_related("subject_type"):
        key = (row.subject_type_id, row.subject_id)
        mine = [a for a in assignments if (a.subject_type_id, a.subject_id) == key]
        scored = {
            a.evaluator_id: a for a in assessments if (a.subject_type_id, a.subject_id) == key
        }
        submitted = [
            scored[a.evaluator_id]
            for a in mine
            if a.evaluator_id in scored and scored[a.evaluator_id].is_submitted
        ]
        complete = bool(mine) and len(submitted) == len(mine)
        detected = []
        if oversee:
            assigned = {a.evaluator_id for a in mine}
            for user in evaluators:
                if user.pk in assigned:
                    continue
                found = conflicts.detect(user, row.subject, interregional=committee.interregional)
                if found:
                    detected.append((user, found))
        rows.append(
            {
                "row": row,
                "assignments": [(a, scored.get(a.evaluator_id)) for a in mine],
                "declarations": [
                    d for d in declarations if (d.subject_type_id, d.subject_id) == key
                ],
                "detected": detected,
                "complete": complete,
                "divergence": actions.divergence(committee, submitted)
                if oversee and complete
                else None,
                "consensus": consensus.get(key),
            }
        )
    return rows


@login_required
@require_safe
def committee_detail(request, pk: int):
    committee = get_committee_for_user(request, pk)
    oversee = permissions.can_oversee(request.user, committee)
    return render(
        request,
        "grids/committee_detail.html",
        {
            "committee": committee,
            "members": committee.members.select_related("user"),
            "rows": _subject_rows(committee, oversee),
            "oversee": oversee,
            "can_manage": permissions.can_manage_committee(request.user, committee),
            "can_consensus": permissions.can_record_consensus(request.user, committee)
            and not committee.results_published,
            "can_publish": permissions.can_publish_results(request.user, committee)
            and not committee.results_published,
            "note_form": NoteForm(),
            "assign_form": AssignForm(evaluators=_evaluators(committee)),
        },
    )


@login_required
@require_POST
def committee_assign_balanced(request, pk: int):
    committee = get_committee_for_user(request, pk)
    require(permissions.can_manage_committee(request.user, committee))
    made, short = actions.assign_balanced(request.user, committee)
    messages.success(request, _("Assegnazioni fatte: %(n)s.") % {"n": len(made)})
    for subject in short:
        messages.error(
            request,
            _("%(subject)s: non ci sono abbastanza valutatori senza conflitti.")
            % {"subject": subject},
        )
    return redirect("grids:committee_detail", committee.pk)


@login_required
@require_POST
def committee_publish(request, pk: int):
    """The chair publishes the committee's results: each applicant then reads its own sheet."""
    committee = get_committee_for_user(request, pk)
    require(permissions.can_publish_results(request.user, committee))
    form = NoteForm(request.POST)
    if not form.is_valid():
        report_form(request, form)
        return redirect("grids:committee_detail", committee.pk)
    try:
        actions.publish_results(request.user, committee, form.cleaned_data["note"])
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(
            request, _("Esiti pubblicati: ogni soggetto vede ora la propria scheda collegiale.")
        )
    return redirect("grids:committee_detail", committee.pk)


@login_required
@require_POST
def committee_assign(request, pk: int, subject_pk: int):
    committee = get_committee_for_user(request, pk)
    require(permissions.can_manage_committee(request.user, committee))
    row = get_object_or_404(CommitteeSubject, committee=committee, pk=subject_pk)
    form = AssignForm(request.POST, evaluators=_evaluators(committee))
    if not form.is_valid():
        report_form(request, form)
        return redirect("grids:committee_detail", committee.pk)
    try:
        actions.assign(
            request.user,
            committee,
            form.cleaned_data["evaluator"],
            row.subject,
            override_reason=form.cleaned_data["override_reason"],
        )
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Soggetto assegnato."))
    return redirect("grids:committee_detail", committee.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def committee_consensus(request, pk: int, subject_pk: int):
    """The committee's own scores of a subject, with its justification (chair, secretary)."""
    committee = get_committee_for_user(request, pk)
    require(permissions.can_record_consensus(request.user, committee))
    row = get_object_or_404(CommitteeSubject, committee=committee, pk=subject_pk)
    submitted = actions.submitted_results(committee, row.same_subject())
    template = committee.template.engine_template()
    first = submitted[0] if submitted else None
    form = ConsensusForm(
        template,
        request.POST or None,
        attributes=first.subject_attributes if first else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = actions.record_consensus(
                request.user,
                committee,
                row.subject,
                form.answers(),
                form.cleaned_data["justification"],
                form.attributes(),
            )
        except ValidationError as error:
            form.add_problems(error)
        else:
            messages.success(request, _("Decisione collegiale registrata."))
            return redirect("grids:assessment_sheet", record.assessment_id)
    return render(
        request,
        "grids/consensus.html",
        {
            "committee": committee,
            "row": row,
            "form": form,
            "parsed": template,
            "submitted": submitted,
            "divergence": actions.divergence(committee, submitted),
        },
    )


@login_required
@require_safe
def committee_ranking(request, pk: int):
    """The committee's ranking (graduatoria) of its consensus results, with the tie-breaks
    declared and the seed; `?format=` downloads exactly the table the page shows."""
    committee = get_committee_for_user(request, pk)
    require(permissions.can_view_ranking(request.user, committee))
    ranking = queries.committee_ranking(committee)
    table = ranking_table(ranking)
    if tabular.requested(request):
        return tabular.download(request, table, ranking.rows)
    return render(
        request,
        "grids/committee_ranking.html",
        {
            "committee": committee,
            "ranking": ranking,
            "columns": table.columns,
            "cells": [(row, table.values(row)) for row in ranking.rows],
            "tie_breaks": [tie_break_label(name) for name in ranking.tie_breaks],
            "downloads": tabular.links(request.path, {}),
        },
    )
