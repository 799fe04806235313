"""The intermediate body's pages after submission: a call's applications and, for each, the
istruttoria di ammissibilità (checklist, decision) with the soccorso istruttorio.

Only the call's officers (and staff) open them; anyone else gets 404, so neither a call's
applications nor their outcomes are disclosed. Each POST calls one action
(`reti.grants.actions.admissibility`) and redirects to the application's page.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from reti.lib import audit, lists, tabular
from reti.lib.forms import add_errors
from reti.registry.models import Organisation

from .. import actions, checklist, checks, clock, permissions, queries
from ..forms import AdmissibilityDecisionForm, DocumentRequestForm
from ..models import Admissibility, AdmissibilityCheck, Application, DocumentRequest
from .common import get_application_for_user, get_call_for_user

PAGE_SIZE = 25


class ApplicationFilters(lists.FilterForm):
    """The list's filters (reti.lib.lists): a line or territory code the call does not know is
    reported on the page and not applied."""

    line = lists.code(max_length=20)
    outcome = forms.ChoiceField(required=False, choices=Admissibility.Outcome.choices)
    territory = lists.code(max_length=12)
    applicant_type = forms.ChoiceField(required=False, choices=Organisation.Kind.choices)
    requests = forms.ChoiceField(
        required=False, choices=[(state, state) for state in queries.REQUEST_STATES]
    )
    status = forms.ChoiceField(
        required=False,
        choices=[
            (Application.Status.SUBMITTED, Application.Status.SUBMITTED.label),
            (Application.Status.WITHDRAWN, Application.Status.WITHDRAWN.label),
        ],
    )
    q = forms.CharField(required=False, max_length=100)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in queries.ORDERINGS])
    labels = {
        "line": gettext_lazy("linea"),
        "outcome": gettext_lazy("esito dell'istruttoria"),
        "territory": gettext_lazy("territorio"),
        "applicant_type": gettext_lazy("tipo di proponente"),
        "requests": gettext_lazy("richieste di integrazione"),
        "status": gettext_lazy("stato"),
        "q": gettext_lazy("ricerca"),
        "sort": gettext_lazy("ordinamento"),
    }


def _outcome(application) -> str:
    found = getattr(application, "admissibility", None)
    return found.get_outcome_display() if found else Admissibility.Outcome.PENDING.label


# The list's download: every filtered row, all pages, in the list's order.
APPLICATIONS = tabular.Table(
    "domande",
    gettext_lazy("Domande del bando"),
    (
        tabular.Column(
            "protocollo", gettext_lazy("Numero di protocollo"), "receipt.protocol_number"
        ),
        tabular.Column(
            "presentata_il", gettext_lazy("Presentata il"), "submitted_at", type="datetime"
        ),
        tabular.Column("proponente", gettext_lazy("Proponente"), "organisation.name_it"),
        tabular.Column(
            "codice_fiscale", gettext_lazy("Codice fiscale del proponente"), "organisation.tax_code"
        ),
        tabular.Column(
            "tipo_proponente",
            gettext_lazy("Tipo di proponente"),
            lambda a: a.get_applicant_type_display(),
        ),
        tabular.Column("titolo", gettext_lazy("Titolo del progetto"), "title"),
        tabular.Column("linea", gettext_lazy("Codice della linea"), "line.code"),
        tabular.Column("territorio", gettext_lazy("Territorio di intervento"), "territory.name_it"),
        tabular.Column(
            "contributo_richiesto",
            gettext_lazy("Contributo richiesto"),
            "requested_amount",
            type="number",
            unit="EUR",
        ),
        tabular.Column(
            "cofinanziamento",
            gettext_lazy("Cofinanziamento"),
            "cofinancing_amount",
            type="number",
            unit="EUR",
        ),
        tabular.Column(
            "stato", gettext_lazy("Stato della domanda"), lambda a: a.get_status_display()
        ),
        tabular.Column(
            "esito_ammissibilita", gettext_lazy("Esito dell'istruttoria di ammissibilità"), _outcome
        ),
        tabular.Column(
            "richieste_aperte",
            gettext_lazy("Richieste di integrazione in attesa di risposta"),
            "running_requests",
            type="integer",
        ),
        tabular.Column(
            "pagina",
            gettext_lazy("Pagina dell'istruttoria"),
            lambda a: reverse("grants:officer_application", args=[a.pk]),
            type="url",
        ),
    ),
    description=gettext_lazy(
        "Le domande presentate o ritirate del bando che corrispondono ai filtri."
    ),
)


def _call_for_officer(request, code: str):
    call = get_call_for_user(request, code)
    if not permissions.can_list_applications(request.user, call):
        raise Http404
    return call


@login_required
@require_safe
@lists.filtered_by(ApplicationFilters)
def call_applications(request, filters: ApplicationFilters, code: str):
    """A call's applications for its officers: filters, sorting, keyset pages, downloads."""
    call = _call_for_officer(request, code)
    now = clock.now()
    filtered = filters.filter(
        queries.call_applications(call),
        lambda qs, **values: queries.filter_applications(qs, call=call, now=now, **values),
    )
    sort = filters.values.get("sort") or queries.DEFAULT_ORDERING
    context = {
        "call": call,
        "count": filtered.count(),
        "lines": call.lines.all(),
        "territories": queries.territories(call),
        "outcomes": Admissibility.Outcome.choices,
        "applicant_types": Organisation.Kind.choices,
        "sort": sort,
        "applied": filters.applied,  # read once: the form's property is computed each time
        "examining": now >= call.deadline,
    }
    return lists.respond(
        request,
        filters,
        queries.with_rows(filtered, now),
        APPLICATIONS,
        "grants/officer/application_list.html",
        context,
        ordering=queries.ORDERINGS[sort],
        size=PAGE_SIZE,
    )


def _application_for_officer(request, pk: int) -> Application:
    application = get_application_for_user(request, pk)
    if not permissions.can_view_review(request.user, application):
        raise Http404
    return application


def _review_context(request, application, *, decision_form=None, request_form=None) -> dict:
    now = clock.now()
    admissibility = Admissibility.objects.filter(application=application).first()
    if admissibility is not None and admissibility.checks.exists():
        items = list(admissibility.checks.select_related("recorded_by"))
    elif application.status == Application.Status.SUBMITTED:
        items = checklist.as_records(None, checklist.build(application))
    else:
        items = []
    requests = list(
        DocumentRequest.objects.filter(application=application).select_related(
            "asked_by", "answered_by"
        )
    )
    decided = admissibility is not None and admissibility.outcome != Admissibility.Outcome.PENDING
    return {
        "application": application,
        "call": application.call,
        "receipt": getattr(application, "receipt", None),
        "totals": checks.budget_totals(application),
        "attachments": application.attachments.select_related("required"),
        "admissibility": admissibility,
        "decided": decided,
        "items": items,
        "results": AdmissibilityCheck.Result.choices,
        "requests": [(r, r.state(now), r.state_label(now)) for r in requests],
        "history": [
            (entry, audit.describe(entry.history_change_reason))
            for entry in (admissibility.history.select_related("history_user") if decided else [])
        ],
        "can_examine": permissions.can_examine(request.user, application),
        "can_request": permissions.can_request_document(request.user, application),
        "decision_form": decision_form or AdmissibilityDecisionForm(),
        "request_form": request_form or DocumentRequestForm(),
        "deadline": timezone.localtime(application.call.deadline),
    }


@login_required
@require_safe
def application_review(request, pk: int):
    """The officer's page of one application: checklist, requests, decision, history."""
    application = _application_for_officer(request, pk)
    return render(
        request, "grants/officer/application_review.html", _review_context(request, application)
    )


def _back(application):
    return redirect("grants:officer_application", application.pk)


@login_required
@require_POST
def checks_record(request, pk: int):
    """Record the checklist: `result-<code>` and `note-<code>` for each item shown."""
    application = _application_for_officer(request, pk)
    results = {}
    for key, value in request.POST.items():
        if key.startswith("result-"):
            code = key.removeprefix("result-")
            results[code] = (value, request.POST.get(f"note-{code}", ""))
    try:
        actions.record_checks(request.user, application, results)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Checklist registrata."))
    return _back(application)


@login_required
@require_POST
def admissibility_decide(request, pk: int):
    application = _application_for_officer(request, pk)
    form = AdmissibilityDecisionForm(request.POST)
    if form.is_valid():
        try:
            admissibility = actions.decide_admissibility(
                request.user,
                application,
                form.cleaned_data["outcome"],
                form.cleaned_data["reasons"],
                change_reason=form.cleaned_data["change_reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Esito registrato: %(outcome)s.")
                % {"outcome": admissibility.get_outcome_display()},
            )
            return _back(application)
    context = _review_context(request, application, decision_form=form)
    return render(request, "grants/officer/application_review.html", context, status=400)


@login_required
@require_POST
def document_request_create(request, pk: int):
    application = _application_for_officer(request, pk)
    form = DocumentRequestForm(request.POST)
    if form.is_valid():
        try:
            actions.request_document(
                request.user, application, form.cleaned_data["text"], form.cleaned_data["deadline"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Richiesta inviata ai rappresentanti del proponente."))
            return _back(application)
    context = _review_context(request, application, request_form=form)
    return render(request, "grants/officer/application_review.html", context, status=400)
