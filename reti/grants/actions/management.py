"""Use cases from the funding decision to the closed grant: check, lock, validate, audit.

Each action checks `reti.grants.permissions`, locks the grant's row (`select_for_update`;
on SQLite the write transaction serialises writers), validates with `full_clean()` and saves
with its audit entry, so every change of money (decision, payment step, cut, revocation,
recovery, closure) has its row in the trail with who and why.

Payments (erogazioni) move through three people: the officer prepares (the amount comes from
the call's rules, never typed), the manager approves, accounting books the payment; a person
who took one step is refused any other step of the same payment. Approving and booking lock
the payment's row and read its status after the lock, so two managers approving the same
payment at once give one approval and one refusal ("already approved"). Only one payment of a
grant is under way at a time. A booked payment never changes: a correction is a reversing
entry, going through the same chain.

Money freed by a renunciation, a revocation or savings at closure goes back to the call
through `actions.free_money(user, application, kind, amount=..., reason=...)` (the
ranking's scorrimento), looked up on the package at call time.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.lib import audit, uploads
from reti.lib.money import ZERO, quantize, share
from reti.monitoring.models import IndicatorDefinition, Intervention
from reti.monitoring.models import IndicatorTarget as MonitoringTarget
from reti.monitoring.models.interventions import REGION_LEVELS
from reti.registry.models import Partnership, Project

from .. import agreement, clock, finance, permissions, receipts
from ..models import (
    Application,
    BudgetItem,
    ChangeRequest,
    ExpenditureReport,
    ExpenseDocument,
    Grant,
    ManagementCost,
    Payment,
    RankingRun,
    Recovery,
    ResultIndicator,
    Revocation,
    Verification,
    grant_state,
)

FUNDING_DECIDED = gettext_noop("Concessione registrata")
AGREEMENT_GENERATED = gettext_noop("Convenzione generata")
AGREEMENT_ACCEPTED = gettext_noop("Convenzione accettata")
PROJECT_OPENED = gettext_noop("Progetto aperto dalla concessione")
PAYMENT_PREPARED = gettext_noop("Erogazione predisposta")
PAYMENT_REVERSED = gettext_noop("Storno predisposto")
PAYMENT_APPROVED = gettext_noop("Erogazione approvata")
PAYMENT_PAID = gettext_noop("Erogazione pagata")
REPORT_CREATED = gettext_noop("Rendiconto creato")
REPORT_SAVED = gettext_noop("Rendiconto modificato")
REPORT_DOCUMENT = gettext_noop("Giustificativo caricato")
REPORT_SUBMITTED = gettext_noop("Rendiconto inviato")
REPORT_VERIFIED = gettext_noop("Rendiconto verificato")
CHANGE_REQUESTED = gettext_noop("Variazione chiesta")
CHANGE_APPROVED = gettext_noop("Variazione approvata")
CHANGE_REFUSED = gettext_noop("Variazione respinta")
RENOUNCED = gettext_noop("Rinuncia al contributo")
REVOKED = gettext_noop("Revoca del contributo")
RECOVERED = gettext_noop("Recupero registrato")
CLOSED = gettext_noop("Concessione chiusa")
SAMPLED = gettext_noop("Estratta per la verifica in loco")
COST_RECORDED = gettext_noop("Costo di gestione registrato")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked_grant(grant: Grant) -> Grant:
    return (
        Grant.objects.select_for_update()
        .select_related("application__call__global_grant", "application__organisation")
        .get(pk=grant.pk)
    )


def _free(user, grant: Grant, kind: str, amount: Decimal, reason: str) -> None:
    """Give freed money back to the call: while the ranking is valid, a scorrimento funds the
    next eligible applications (`actions.free_money`); after its validity, or for a grant the
    call's ranking does not hold, the money only returns to the line and the revocation,
    renunciation or closure stands on its own."""
    from reti.grants import actions

    run = actions.current_run(grant.application.call)
    if run is None or (run.valid_until is not None and clock.local_date() > run.valid_until):
        return
    if not run.entries.filter(application_id=grant.application_id).exists():
        return
    actions.free_money(user, grant.application, kind, amount=amount, reason=reason)


def _text(value, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- decision and agreement ------------------------------------------------------------------


def current_entry(application: Application):
    """The application's entry in its call's current ranking run, or None."""
    run = RankingRun.objects.current(application.call)
    if run is None:
        return None
    return run.entries.filter(application=application).first()


@transaction.atomic
def decide_funding(
    user,
    application: Application,
    *,
    decree_number: str,
    decree_date,
    decree_signer: str,
    cup: str,
    amount=None,
    state_aid_code: str = "",
) -> Grant:
    """Record the funding decision (atto di concessione) of an application the current
    ranking funds: act, CUP, amount (at most the amount granted in the ranking; that amount
    when not given), State-aid code as given."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    entry = current_entry(application)
    _require(
        permissions.can_decide_funding(user, application, entry),
        "You do not decide funding for this application.",
    )
    grant = Grant(
        application=application,
        ranking_entry=entry,
        decree_number=(decree_number or "").strip(),
        decree_date=decree_date,
        decree_signer=(decree_signer or "").strip(),
        cup=(cup or "").strip().upper(),
        amount=entry.granted if amount in (None, "") else quantize(amount),
        state_aid_code=(state_aid_code or "").strip(),
        decided_by=user,
        decided_at=clock.now(),
    )
    if grant.amount <= ZERO:
        raise ValidationError({"amount": _("L'importo deve essere positivo.")})
    audit.save(grant, user, audit.reason(FUNDING_DECIDED, grant.decree_number[:100]))
    return grant


def _date(value) -> str:
    return formats.date_format(value, "d/m/Y") if value else "—"


def agreement_values(grant: Grant) -> dict[str, str]:
    application = grant.application
    call = application.call
    return {
        "beneficiario": application.organisation.name,
        "codice_fiscale": application.organisation.tax_code or "—",
        "titolo": application.title,
        "bando": f"{call.code} — {call.title_it}",
        "organismo_intermedio": call.global_grant.intermediate_body.name,
        "atto": grant.decree_number,
        "data_atto": _date(grant.decree_date),
        "firmatario": grant.decree_signer,
        "cup": grant.cup,
        "cor": grant.state_aid_code or "—",
        "importo": formats.number_format(grant.amount, 2, use_l10n=True, force_grouping=True),
        "inizio": _date(grant.start_date),
        "fine": _date(grant.end_date),
    }


@transaction.atomic
def generate_agreement(user, grant: Grant, *, start_date, end_date) -> Grant:
    """Fill the call's agreement template with the grant's data and its dates."""
    grant = _locked_grant(grant)
    _require(permissions.can_generate_agreement(user, grant), "You do not write this agreement.")
    if start_date is None:
        raise ValidationError({"start_date": _("Indicare la data di inizio.")})
    if end_date is None:
        raise ValidationError({"end_date": _("Indicare la data di fine.")})
    grant.start_date, grant.end_date = start_date, end_date
    grant.agreement_text = agreement.fill(
        grant.application.call.agreement_template_it, agreement_values(grant)
    )
    audit.save(grant, user, AGREEMENT_GENERATED)
    return grant


@transaction.atomic
def accept_agreement(user, grant: Grant) -> Grant:
    """The beneficiary's representative accepts the agreement: the grant starts, and becomes
    a registry project and a monitoring intervention."""
    grant = _locked_grant(grant)
    _require(permissions.can_accept_agreement(user, grant), "You do not accept this agreement.")
    grant.status = Grant.Status.ACTIVE
    grant.accepted_by, grant.accepted_at = user, clock.now()
    _open_project(user, grant)
    audit.save(grant, user, AGREEMENT_ACCEPTED)
    return grant


def _region(application: Application):
    territory = application.territory or application.organisation.territory
    while territory is not None and territory.level not in REGION_LEVELS:
        territory = territory.parent
    if territory is None:
        raise ValidationError(
            {"territory": _("Né la domanda né il beneficiario indicano un territorio in Italia.")}
        )
    return territory


def _open_project(user, grant: Grant) -> None:
    application = grant.application
    programme = application.call.global_grant.programme
    if programme.period_id is None:
        raise ValidationError(
            {"period": _("Il programma del bando non indica il periodo di programmazione.")}
        )
    partners = list(application.partners.select_related("organisation"))
    unnamed = [p.name for p in partners if p.organisation_id is None]
    project = Project(
        title_it=application.title,
        kind=Project.Kind.GRANT,
        status=Project.Status.ACTIVE,
        period_id=programme.period_id,
        fund_id=programme.fund_id,
        objectives_it=application.objectives,
        budget=grant.amount,
        start_date=grant.start_date,
        end_date=grant.end_date,
        cup=grant.cup,
        partners_note_it="; ".join(unnamed),
    )
    audit.save(project, user, PROJECT_OPENED, m2m={"themes": application.call.themes.all()})
    audit.save(
        Partnership(project=project, organisation=application.organisation, role="lead"),
        user,
        PROJECT_OPENED,
    )
    implementers = [application.organisation]
    for partner in partners:
        if partner.organisation_id and partner.organisation_id != application.organisation_id:
            audit.save(
                Partnership(
                    project=project,
                    organisation=partner.organisation,
                    role=Partnership.Role.PARTNER,
                    contribution_it=partner.role,
                ),
                user,
                PROJECT_OPENED,
            )
            implementers.append(partner.organisation)
    intervention = Intervention(
        code=grant.cup,
        title_it=application.title,
        project=project,
        organisation=application.organisation,
        region=_region(application),
        period_id=programme.period_id,
        fund_id=programme.fund_id,
        instrument=Intervention.Instrument.GLOBAL_GRANT,
        budget=grant.amount,
        start_date=grant.start_date,
        end_date=grant.end_date,
    )
    audit.save(intervention, user, PROJECT_OPENED, m2m={"implementers": implementers})
    definitions = {
        d.code: d
        for d in IndicatorDefinition.objects.filter(
            code__in=application.indicator_targets.values_list("code", flat=True)
        )
    }
    for target in application.indicator_targets.all():
        if target.code in definitions:
            audit.save(
                MonitoringTarget(
                    intervention=intervention,
                    indicator=definitions[target.code],
                    target=target.target,
                ),
                user,
                PROJECT_OPENED,
            )
    grant.project, grant.intervention = project, intervention


# --- payments --------------------------------------------------------------------------------


def _payment_amount(grant: Grant, kind: str, guarantee: str) -> Decimal:
    """The tranche's amount by the call's rules; ValidationError naming the rule otherwise."""
    call = grant.application.call
    state = grant_state(grant)
    payments = list(grant.payments.all())
    committed = sum((p.signed_amount for p in payments), ZERO) - state.to_recover
    eligible = finance.eligible(state)
    if kind == Payment.Kind.ADVANCE:
        reversed_ids = {p.reverses_id for p in payments if p.reverses_id}
        if any(p.kind == kind and p.pk not in reversed_ids for p in payments):
            raise ValidationError({"kind": _("L'anticipo è già stato disposto.")})
        if call.advance_requires_guarantee and not guarantee:
            raise ValidationError(
                {"guarantee": _("Il bando chiede una garanzia fideiussoria per l'anticipo.")}
            )
        return share(state.entitled, call.advance_rate)
    if kind == Payment.Kind.INTERMEDIATE:
        needed = share(state.entitled, call.intermediate_min_verified_share)
        if state.verified < needed:
            raise ValidationError(
                {
                    "kind": _(
                        "Per l'acconto la spesa verificata deve essere almeno %(needed)s euro "
                        "(ora %(verified)s)."
                    )
                    % {"needed": needed, "verified": state.verified}
                }
            )
        amount = min(share(state.entitled, call.intermediate_rate), eligible - committed)
    elif kind == Payment.Kind.BALANCE:
        reports = grant.reports.all()
        if not reports.filter(final=True, status=ExpenditureReport.Status.VERIFIED).exists():
            raise ValidationError({"kind": _("Il saldo segue la verifica del rendiconto finale.")})
        if reports.exclude(status=ExpenditureReport.Status.VERIFIED).exists():
            raise ValidationError({"kind": _("Un rendiconto attende ancora la verifica.")})
        amount = eligible - committed
    else:
        raise ValidationError({"kind": _("Tipo di erogazione sconosciuto.")})
    if amount <= ZERO:
        raise ValidationError({"kind": _("Non c'è nulla da erogare con questa tranche.")})
    return amount


def _no_payment_under_way(grant: Grant) -> None:
    if grant.payments.exclude(status=Payment.Status.PAID).exists():
        raise ValidationError(
            {"kind": _("Un'erogazione è già in corso di approvazione o di pagamento.")}
        )


@transaction.atomic
def prepare_payment(user, grant: Grant, kind: str, *, guarantee: str = "", note: str = ""):
    """The officer prepares a tranche (advance, intermediate, balance) as the call states."""
    grant = _locked_grant(grant)
    _require(permissions.can_prepare_payment(user, grant), "You do not prepare payments here.")
    _no_payment_under_way(grant)
    guarantee = (guarantee or "").strip()
    payment = Payment(
        grant=grant,
        kind=kind,
        amount=_payment_amount(grant, kind, guarantee),
        guarantee=guarantee,
        note=(note or "").strip(),
        prepared_by=user,
        prepared_at=clock.now(),
    )
    audit.save(payment, user, audit.reason(PAYMENT_PREPARED, payment.get_kind_display()))
    return payment


@transaction.atomic
def reverse_payment(user, payment: Payment, reason: str) -> Payment:
    """The officer prepares the reversing entry of a booked payment (a correction)."""
    grant = _locked_grant(payment.grant)
    payment = Payment.objects.select_related("grant").get(pk=payment.pk)
    _require(permissions.can_reverse_payment(user, payment), "You do not reverse this payment.")
    reason = _text(reason, "note", _("Indicare il motivo dello storno."))
    if Payment.objects.filter(reverses=payment).exists():
        raise ValidationError({"note": _("L'erogazione è già stata stornata.")})
    _no_payment_under_way(grant)
    reversal = Payment(
        grant=grant,
        kind=Payment.Kind.REVERSAL,
        amount=payment.amount,
        reverses=payment,
        note=reason[:300],
        prepared_by=user,
        prepared_at=clock.now(),
    )
    audit.save(reversal, user, audit.reason(PAYMENT_REVERSED, reason[:200]))
    return reversal


def _locked_payment(payment: Payment) -> Payment:
    return (
        Payment.objects.select_for_update()
        .select_related("grant__application__call__global_grant")
        .get(pk=payment.pk)
    )


def _separate(user, payment: Payment) -> None:
    if user.pk in {payment.prepared_by_id, payment.approved_by_id, payment.paid_by_id}:
        raise PermissionDenied("The same person does not take two steps of one payment.")


@transaction.atomic
def approve_payment(user, payment: Payment) -> Payment:
    """The manager approves a prepared payment; never one they prepared, never twice."""
    payment = _locked_payment(payment)
    _require(permissions.is_manager(user, payment.grant), "You do not approve payments here.")
    if payment.status != Payment.Status.PREPARED:
        raise ValidationError({"status": _("L'erogazione è già stata approvata.")})
    _separate(user, payment)
    payment.status = Payment.Status.APPROVED
    payment.approved_by, payment.approved_at = user, clock.now()
    audit.save(payment, user, PAYMENT_APPROVED)
    return payment


@transaction.atomic
def pay_payment(user, payment: Payment, reference: str) -> Payment:
    """Accounting books an approved payment with its payment order; a third person."""
    payment = _locked_payment(payment)
    _require(permissions.is_accounting(user, payment.grant), "You do not book payments here.")
    if payment.status != Payment.Status.APPROVED:
        raise ValidationError(
            {"status": _("Si paga solo un'erogazione approvata e non ancora pagata.")}
        )
    _separate(user, payment)
    payment.payment_reference = _text(
        reference, "payment_reference", _("Indicare il mandato di pagamento.")
    )[:100]
    payment.status = Payment.Status.PAID
    payment.paid_by, payment.paid_at = user, clock.now()
    audit.save(payment, user, audit.reason(PAYMENT_PAID, payment.payment_reference))
    return payment


# --- expenditure reports -----------------------------------------------------------------------


@transaction.atomic
def create_report(user, grant: Grant, *, final: bool = False) -> ExpenditureReport:
    """The beneficiary opens an expenditure report (the final one last)."""
    grant = _locked_grant(grant)
    _require(permissions.can_create_report(user, grant), "You do not report on this grant.")
    reports = grant.reports.all()
    if reports.filter(final=True).exists():
        raise ValidationError({"final": _("Il rendiconto finale è già stato aperto.")})
    if reports.exclude(status=ExpenditureReport.Status.VERIFIED).exists():
        raise ValidationError({"final": _("Un rendiconto è ancora in bozza o in verifica.")})
    report = ExpenditureReport(
        grant=grant, number=reports.count() + 1, final=bool(final), created_by=user
    )
    audit.save(report, user, REPORT_CREATED)
    return report


def _locked_report(report: ExpenditureReport) -> ExpenditureReport:
    _locked_grant(report.grant)
    return (
        ExpenditureReport.objects.select_for_update()
        .select_related("grant__application__call__global_grant")
        .get(pk=report.pk)
    )


@transaction.atomic
def save_report_items(user, report: ExpenditureReport, items) -> ExpenditureReport:
    """Replace a draft report's expenses with `items`; an error names `items.<n>.<field>`."""
    report = _locked_report(report)
    _require(permissions.can_write_report(user, report), "You do not edit this report.")
    for old in report.items.all():
        audit.delete(old, user, REPORT_SAVED)
    for index, item in enumerate(items):
        item.report, item.accepted, item.cut_reason = report, None, ""
        try:
            audit.save(item, user, REPORT_SAVED)
        except ValidationError as error:
            raise ValidationError(
                {f"items.{index}.{field}": msgs for field, msgs in error.message_dict.items()}
            ) from error
    return report


@transaction.atomic
def add_report_document(user, report: ExpenditureReport, uploaded) -> ExpenseDocument:
    """Attach a supporting document to a draft report: a PDF, checked as application
    attachments are (kind by content, size limit)."""
    report = _locked_report(report)
    _require(permissions.can_write_report(user, report), "You do not edit this report.")
    if uploads.check_upload(uploaded) != uploads.Kind.PDF:
        raise ValidationError({"file": _("I giustificativi sono file PDF.")})
    document = ExpenseDocument(
        report=report,
        file=uploaded,
        original_name=uploaded.name[:255],
        size=uploaded.size,
        sha256=receipts.file_sha256(uploaded),
    )
    audit.save(document, user, audit.reason(REPORT_DOCUMENT, document.original_name[:100]))
    return document


@transaction.atomic
def submit_report(user, report: ExpenditureReport) -> ExpenditureReport:
    """The beneficiary sends a draft report with at least one expense and one document."""
    report = _locked_report(report)
    _require(permissions.can_write_report(user, report), "You do not send this report.")
    errors = {}
    if not report.items.exists():
        errors["items"] = _("Il rendiconto non ha spese.")
    if not report.documents.exists():
        errors["documents"] = _("Il rendiconto non ha giustificativi.")
    if errors:
        raise ValidationError(errors)
    report.status = ExpenditureReport.Status.SUBMITTED
    report.submitted_by, report.submitted_at = user, clock.now()
    audit.save(report, user, REPORT_SUBMITTED)
    return report


@transaction.atomic
def verify_report(
    user,
    report: ExpenditureReport,
    *,
    kind: str,
    checklist: dict,
    accepted: dict,
    notes: str = "",
) -> Verification:
    """First-level verification of a sent report: the checklist, and for every expense the
    amount accepted (`accepted[item.pk] = (amount, reason)`; a cut needs its reason).
    A grant drawn for the on-the-spot sample is verified on the spot."""
    report = _locked_report(report)
    _require(permissions.can_verify_report(user, report), "You do not verify this report.")
    if report.grant.on_the_spot_sample and kind != Verification.Kind.ON_THE_SPOT:
        raise ValidationError({"kind": _("La concessione è nel campione: la verifica è in loco.")})
    items = list(report.items.select_related("category"))
    errors = {}
    for item in items:
        if item.pk not in accepted:
            errors[f"accepted.{item.pk}"] = _("Indicare l'importo ammesso.")
            continue
        amount, reason = accepted[item.pk]
        item.accepted, item.cut_reason = quantize(amount), (reason or "").strip()[:300]
        try:
            item.full_clean()
        except ValidationError as error:
            for field, msgs in error.message_dict.items():
                errors[f"accepted.{item.pk}.{field}"] = msgs
    if errors:
        raise ValidationError(errors)
    verification = Verification(
        report=report,
        kind=kind,
        checklist=checklist,
        notes=(notes or "").strip(),
        verified_by=user,
        verified_at=clock.now(),
    )
    audit.save(verification, user, REPORT_VERIFIED)
    for item in items:
        cut = item.amount - item.accepted
        detail = f"{item.category.code} −{cut}" if cut else ""
        audit.save(item, user, audit.reason(REPORT_VERIFIED, detail))
    report.status = ExpenditureReport.Status.VERIFIED
    audit.save(report, user, REPORT_VERIFIED)
    return verification


@transaction.atomic
def draw_on_the_spot_sample(user, call, *, rate, seed: str) -> list[Grant]:
    """Draw the grants of a call to verify on the spot: a share `rate` of the active ones,
    by a seeded draw anyone can repeat (reti.grants.finance.draw_sample)."""
    _require(permissions.can_draw_sample(user, call), "You do not draw this call's sample.")
    seed = _text(seed, "seed", _("Indicare il seme dell'estrazione."))
    rate = Decimal(rate)
    if not (ZERO < rate <= 1):
        raise ValidationError({"rate": _("La quota è tra 0 e 1.")})
    active = Grant.objects.select_for_update().filter(
        application__call=call, status=Grant.Status.ACTIVE
    )
    picked = set(finance.draw_sample(active.values_list("pk", flat=True), rate, seed))
    chosen = []
    for grant in active.filter(pk__in=picked):
        grant.on_the_spot_sample = True
        audit.save(grant, user, audit.reason(SAMPLED, seed[:100]))
        chosen.append(grant)
    return chosen


# --- changes, renunciation, revocation, recovery ----------------------------------------------


def category_budgets(grant: Grant) -> dict[int, Decimal]:
    """The budget of each cost category: the application's plan, moved by approved shifts."""
    budgets: dict[int, Decimal] = {}
    for item in BudgetItem.objects.filter(application=grant.application):
        budgets[item.category_id] = budgets.get(item.category_id, ZERO) + item.amount
    approved = grant.changes.filter(
        kind=ChangeRequest.Kind.BUDGET_SHIFT, status=ChangeRequest.Status.APPROVED
    )
    for change in approved:
        budgets[change.from_category_id] = (
            budgets.get(change.from_category_id, ZERO) - change.amount
        )
        budgets[change.to_category_id] = budgets.get(change.to_category_id, ZERO) + change.amount
    return budgets


def _check_change(grant: Grant, change: ChangeRequest) -> None:
    if change.kind == ChangeRequest.Kind.BUDGET_SHIFT:
        call = grant.application.call
        for name in ("from_category", "to_category"):
            category = getattr(change, name)
            if category.call_id != call.pk:
                raise ValidationError({name: _("Categoria di spesa di un altro bando.")})
        available = category_budgets(grant).get(change.from_category_id, ZERO)
        limit = share(available, call.budget_shift_tolerance)
        if change.amount > limit:
            raise ValidationError(
                {
                    "amount": _(
                        "Lo spostamento supera la tolleranza del bando: al massimo %(limit)s "
                        "euro dalla categoria %(code)s."
                    )
                    % {"limit": limit, "code": change.from_category.code}
                }
            )
    elif grant.end_date and change.new_end_date <= grant.end_date:
        raise ValidationError({"new_end_date": _("La nuova data deve seguire la fine attuale.")})


@transaction.atomic
def request_change(user, grant: Grant, change: ChangeRequest) -> ChangeRequest:
    """The beneficiary asks for a budget shift (within the call's tolerance) or an extension."""
    grant = _locked_grant(grant)
    _require(permissions.can_request_change(user, grant), "You do not ask changes here.")
    change.grant = grant
    change.status = ChangeRequest.Status.PENDING
    change.requested_by, change.requested_at = user, clock.now()
    change.full_clean()
    _check_change(grant, change)
    audit.save(change, user, CHANGE_REQUESTED)
    return change


@transaction.atomic
def decide_change(user, change: ChangeRequest, *, approve: bool, reason: str = ""):
    """The officer approves or refuses a pending change; an extension moves the end date of
    the grant, its project and its intervention."""
    grant = _locked_grant(change.grant)
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    change.grant = grant
    _require(permissions.can_decide_change(user, change), "You do not decide this change.")
    reason = (reason or "").strip()
    if approve:
        _check_change(grant, change)
        change.status = ChangeRequest.Status.APPROVED
    else:
        _text(reason, "decision_reason", _("Indicare il motivo del rifiuto."))
        change.status = ChangeRequest.Status.REFUSED
    change.decided_by, change.decided_at, change.decision_reason = user, clock.now(), reason
    label = CHANGE_APPROVED if approve else CHANGE_REFUSED
    audit.save(change, user, audit.reason(label, reason[:200]))
    if approve and change.kind == ChangeRequest.Kind.EXTENSION:
        grant.end_date = change.new_end_date
        audit.save(grant, user, label)
        for record in (grant.project, grant.intervention):
            if record is not None:
                record.end_date = change.new_end_date
                audit.save(record, user, label)
    return change


def _no_payment_pending(grant: Grant) -> None:
    pending = grant.payments.exclude(status=Payment.Status.PAID).exclude(kind=Payment.Kind.REVERSAL)
    if pending.exists():
        raise ValidationError(
            {"status": _("Un'erogazione è in corso: va conclusa prima della revoca o rinuncia.")}
        )


@transaction.atomic
def renounce(user, grant: Grant, reason: str) -> Revocation:
    """The beneficiary renounces the grant: what is left of it is freed, and what was paid
    is to be recovered."""
    grant = _locked_grant(grant)
    _require(permissions.can_renounce(user, grant), "You do not renounce this grant.")
    reason = _text(reason, "reason", _("Indicare il motivo della rinuncia."))
    _no_payment_pending(grant)
    state = grant_state(grant)
    revocation = Revocation(
        grant=grant,
        kind=Revocation.Kind.RENUNCIATION,
        amount=state.entitled,
        to_recover=max(ZERO, state.paid - state.to_recover),
        reason=reason,
        decided_by=user,
        decided_at=clock.now(),
    )
    audit.save(revocation, user, audit.reason(RENOUNCED, reason[:200]))
    grant.status = Grant.Status.RENOUNCED
    audit.save(grant, user, RENOUNCED)
    _free(user, grant, "withdrawn", revocation.amount, reason)
    return revocation


@transaction.atomic
def revoke(
    user, grant: Grant, *, kind: str, act: str, reason: str, to_recover, amount=None
) -> Revocation:
    """The officer revokes the grant, totally (what is left of it) or partly (`amount`),
    ordering `to_recover`: at least what was paid beyond the new entitlement, at most what
    was paid and not yet ordered back."""
    grant = _locked_grant(grant)
    _require(permissions.can_revoke(user, grant), "You do not revoke this grant.")
    act = _text(act, "act", _("Indicare l'atto di revoca."))
    reason = _text(reason, "reason", _("Indicare la motivazione."))
    _no_payment_pending(grant)
    state = grant_state(grant)
    if kind == Revocation.Kind.TOTAL:
        amount = state.entitled
    elif kind == Revocation.Kind.PARTIAL:
        if amount in (None, ""):
            raise ValidationError({"amount": _("Indicare l'importo revocato.")})
        amount = quantize(amount)
        if not (ZERO < amount < state.entitled):
            raise ValidationError(
                {
                    "amount": _(
                        "Una revoca parziale è tra 0 e %(entitled)s euro (esclusi): oltre è totale."
                    )
                    % {"entitled": state.entitled}
                }
            )
    else:
        raise ValidationError({"kind": _("Tipo di revoca sconosciuto.")})
    to_recover = quantize(to_recover or 0)
    unrecovered_paid = state.paid - state.to_recover
    minimum = max(ZERO, unrecovered_paid - (state.entitled - amount))
    if not (minimum <= to_recover <= max(ZERO, unrecovered_paid)):
        raise ValidationError(
            {
                "to_recover": _("L'importo da recuperare è tra %(minimum)s e %(maximum)s euro.")
                % {"minimum": minimum, "maximum": max(ZERO, unrecovered_paid)}
            }
        )
    revocation = Revocation(
        grant=grant,
        kind=kind,
        amount=amount,
        to_recover=to_recover,
        act=act,
        reason=reason,
        decided_by=user,
        decided_at=clock.now(),
    )
    audit.save(revocation, user, audit.reason(REVOKED, act[:100]))
    if kind == Revocation.Kind.TOTAL:
        grant.status = Grant.Status.REVOKED
        audit.save(grant, user, audit.reason(REVOKED, act[:100]))
    # A total revocation frees the whole grant; a partial one frees `amount` of it, which the
    # ranking treats as savings on a grant that stands.
    if kind == Revocation.Kind.TOTAL:
        _free(user, grant, "revoked", amount, reason)
    else:
        _free(user, grant, "savings", amount, reason)
    return revocation


@transaction.atomic
def record_recovery(user, revocation: Revocation, *, amount, date, reference: str) -> Recovery:
    """Accounting books money paid back on a revocation, up to what is still to recover."""
    _locked_grant(revocation.grant)
    revocation = Revocation.objects.select_related("grant__application__call__global_grant").get(
        pk=revocation.pk
    )
    _require(permissions.can_record_recovery(user, revocation), "You do not book recoveries.")
    amount = quantize(amount or 0)
    done = sum((r.amount for r in revocation.recoveries.all()), ZERO)
    left = revocation.to_recover - done
    if not (ZERO < amount <= left):
        raise ValidationError(
            {"amount": _("Il recupero è tra 0 e %(left)s euro.") % {"left": left}}
        )
    recovery = Recovery(
        revocation=revocation,
        amount=amount,
        date=date,
        reference=_text(reference, "reference", _("Indicare la reversale d'incasso.")),
        recorded_by=user,
        recorded_at=clock.now(),
    )
    audit.save(recovery, user, audit.reason(RECOVERED, recovery.reference[:100]))
    return recovery


# --- closure ------------------------------------------------------------------------------------


@transaction.atomic
def close_grant(user, grant: Grant, *, final_report: str, achieved: dict) -> Grant:
    """Close a grant once its final report is verified and its balance paid: the final
    report, the value reached for each ESF+ indicator the application targeted, and the
    savings (what is left of the grant beyond the verified expenditure) freed."""
    grant = _locked_grant(grant)
    _require(permissions.can_close(user, grant), "You do not close this grant.")
    final_report = _text(final_report, "final_report", _("Scrivere la relazione finale."))
    reports = grant.reports.all()
    if not reports.filter(final=True, status=ExpenditureReport.Status.VERIFIED).exists():
        raise ValidationError({"status": _("Il rendiconto finale non è ancora verificato.")})
    if reports.exclude(status=ExpenditureReport.Status.VERIFIED).exists():
        raise ValidationError({"status": _("Un rendiconto attende ancora la verifica.")})
    if grant.payments.exclude(status=Payment.Status.PAID).exists():
        raise ValidationError({"status": _("Un'erogazione è ancora in corso.")})
    state = grant_state(grant)
    eligible = finance.eligible(state)
    if state.paid - state.to_recover != eligible:
        raise ValidationError(
            {
                "status": _(
                    "L'erogato al netto dei recuperi disposti (%(paid)s euro) non è pari alla "
                    "spesa ammessa nel limite del contributo (%(eligible)s euro): pagare il "
                    "saldo o disporre il recupero prima di chiudere."
                )
                % {"paid": state.paid - state.to_recover, "eligible": eligible}
            }
        )
    errors = {}
    results = []
    for target in grant.application.indicator_targets.all():
        value = achieved.get(target.code)
        try:
            value = int(value)
            if value < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"results.{target.code}"] = _("Indicare il valore raggiunto (intero).")
            continue
        results.append(
            ResultIndicator(grant=grant, code=target.code, target=target.target, achieved=value)
        )
    if errors:
        raise ValidationError(errors)
    for result in results:
        audit.save(result, user, CLOSED)
    grant.final_report = final_report
    grant.savings = state.entitled - eligible
    grant.status = Grant.Status.CLOSED
    grant.closed_by, grant.closed_at = user, clock.now()
    audit.save(grant, user, CLOSED)
    if grant.project is not None:
        grant.project.status = Project.Status.COMPLETED
        audit.save(grant.project, user, CLOSED)
    if grant.savings > ZERO:
        _free(user, grant, "savings", grant.savings, final_report[:200])
    return grant


# --- management costs (for the instrument report) ------------------------------------------


@transaction.atomic
def record_management_cost(user, cost: ManagementCost, *, reason: str = "") -> ManagementCost:
    """The intermediate body's officer records (or corrects) a management cost of its global
    grant, for one of its calls or for the whole global grant."""
    _require(
        permissions.can_record_management_cost(user, cost.global_grant),
        "You do not record this global grant's costs.",
    )
    cost.amount = quantize(cost.amount) if cost.amount is not None else None
    audit.save(cost, user, audit.reason(COST_RECORDED, (reason or cost.description)[:100]))
    return cost
