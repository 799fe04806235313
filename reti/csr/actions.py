"""Use cases of CSR: check permission, change state in a transaction, write the audit trail.

Registering a company creates (or links) its registry organisation and the registrant's
claim, which a region officer verifies (the membership follows). Self-assessments go through
reti.grids' actions (start, save, submit: the engine computes and stores its result and
trace); a submission rewrites the company's benchmark row. An expert of the region with no
conflict (reti.grids.conflicts) takes a submitted one, reviews it in a grids assessment of
their own (changed scores need a justification) and decides; a validated result with a level
yields an attestation, which the region's officer may revoke.

Concurrency: each transition locks the CsrAssessment row (select_for_update; on SQLite the
write transaction is serialised), so two experts cannot both take one and a company cannot
edit what its validator is reading.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.accounts.models import Membership
from reti.grids import actions as grids
from reti.grids import conflicts
from reti.grids.models import Assessment, GridTemplate
from reti.lib import audit
from reti.registry.models import Organisation

from . import levels, permissions, results
from .models import (
    AREAS,
    Attestation,
    CallBonus,
    Company,
    CompanyClaim,
    CompanyScore,
    CsrAssessment,
    Evidence,
    Facilitation,
    ImprovementAction,
    LocalUnit,
)

GRID = levels.GRID
State = CsrAssessment.State
REGISTERED = gettext_noop("Impresa registrata")
CLAIMED = gettext_noop("Richiesta di abilitazione per l'impresa")
CLAIM_VERIFIED = gettext_noop("Abilitazione verificata dalla regione")
CLAIM_REFUSED = gettext_noop("Abilitazione respinta")
STARTED = gettext_noop("Autovalutazione RSI avviata")
EVIDENCE_ADDED = gettext_noop("Evidenza caricata")
EVIDENCE_REMOVED = gettext_noop("Evidenza rimossa")
SUBMITTED = gettext_noop("Autovalutazione RSI inviata")
TAKEN = gettext_noop("Presa in carico per la validazione")
VALIDATED = gettext_noop("Autovalutazione validata")
NOT_VALIDATED = gettext_noop("Autovalutazione non validata")
ISSUED = gettext_noop("Attestazione rilasciata")
REVOKED = gettext_noop("Attestazione revocata")
PLAN_ADDED = gettext_noop("Azione di miglioramento aggiunta")
PLAN_UPDATED = gettext_noop("Azione di miglioramento aggiornata")
BONUS_DECLARED = gettext_noop("Premialità RSI del bando dichiarata")
FACILITATION_SAVED = gettext_noop("Agevolazione per imprese RSI registrata")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def current_grid() -> GridTemplate:
    """The latest published version of the CSR self-assessment grid."""
    found = (
        GridTemplate.objects.filter(code=GRID, status=GridTemplate.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )
    if found is None:
        raise ValidationError(_("La griglia di autovalutazione RSI non è pubblicata."))
    return found


# Companies and claims


@transaction.atomic
def register_company(
    user,
    *,
    name: str,
    vat_number: str,
    company: Company,
    legal_representative: str,
    position: str,
    local_units=(),
) -> Company:
    """Register a company (a new organisation, or the registry's one with this P.IVA when it
    has no CSR record yet) with its local units, and the registrant's pending claim."""
    _require(permissions.can_register_company(user), "Sign in to register a company.")
    organisation = Organisation(kind=Organisation.Kind.COMPANY, name_it=name.strip())
    organisation.vat_number = vat_number
    try:
        organisation.clean_fields(exclude=["name_it", "kind", "key"])
    except ValidationError as error:
        raise ValidationError({"vat_number": error.message_dict.get("vat_number", [])}) from None
    existing = (
        Organisation.objects.select_for_update().filter(vat_number=organisation.vat_number).first()
    )
    if existing is not None:
        if Company.objects.filter(organisation=existing).exists():
            raise ValidationError(
                {
                    "vat_number": _(
                        "Un'impresa con questa partita IVA è già registrata: chiedi di "
                        "operare per suo conto."
                    )
                }
            )
        organisation = existing
    else:
        organisation.territory = company.region if company.region_id else None
        audit.save(organisation, user, REGISTERED)
    company.organisation = organisation
    company.created_by = user
    audit.save(company, user, REGISTERED)
    for unit in local_units:
        unit.company = company
        audit.save(unit, user, REGISTERED)
    claim_company(user, company, legal_representative, position)
    return company


@transaction.atomic
def claim_company(user, company: Company, legal_representative: str, position: str):
    """Ask to act for `company`; an officer of its region verifies."""
    _require(permissions.can_claim(user, company), "You may not claim this company.")
    claim = CompanyClaim(
        user=user,
        company=company,
        legal_representative=(legal_representative or "").strip(),
        position=(position or "").strip(),
    )
    audit.save(claim, user, CLAIMED)
    return claim


def _locked_claim(claim: CompanyClaim) -> CompanyClaim:
    return CompanyClaim.objects.select_for_update().select_related("company").get(pk=claim.pk)


@transaction.atomic
def verify_claim(user, claim: CompanyClaim) -> CompanyClaim:
    """The region's officer verifies a pending claim: the user becomes an editor."""
    claim = _locked_claim(claim)
    _require(permissions.can_decide_claim(user, claim), "You do not decide this claim.")
    claim.status = CompanyClaim.Status.VERIFIED
    claim.decided_by, claim.decided_at = user, timezone.now()
    audit.save(claim, user, CLAIM_VERIFIED)
    membership = Membership.objects.filter(
        user=claim.user, organisation=claim.company.organisation
    ).first()
    if membership is None:
        membership = Membership(
            user=claim.user, organisation=claim.company.organisation, role=Membership.Role.EDITOR
        )
    elif membership.role == Membership.Role.VIEWER:
        membership.role = Membership.Role.EDITOR
    else:
        return claim
    audit.save(membership, user, CLAIM_VERIFIED)
    return claim


@transaction.atomic
def refuse_claim(user, claim: CompanyClaim, reason: str) -> CompanyClaim:
    claim = _locked_claim(claim)
    _require(permissions.can_decide_claim(user, claim), "You do not decide this claim.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indicare il motivo del rifiuto.")})
    claim.status = CompanyClaim.Status.REFUSED
    claim.decided_by, claim.decided_at, claim.refusal_reason = user, timezone.now(), reason
    audit.save(claim, user, audit.reason(CLAIM_REFUSED, reason[:200]))
    return claim


# Self-assessment


def _locked(csr: CsrAssessment) -> CsrAssessment:
    # Only this row is locked (PostgreSQL refuses FOR UPDATE on the nullable side of the
    # review's outer join); the review is read after the lock.
    return (
        CsrAssessment.objects.select_for_update(of=("self",))
        .select_related("company__organisation", "assessment__template", "review__template")
        .get(pk=csr.pk)
    )


@transaction.atomic
def start_self_assessment(user, company: Company, year: int | None = None) -> CsrAssessment:
    """The company's self-assessment of `year` (this year by default): its draft if one is
    open (whatever its year), the one of that year if it exists, else a new draft."""
    _require(permissions.can_assess(user, company), "You do not assess this company.")
    year = year or timezone.localdate().year
    Company.objects.select_for_update().get(pk=company.pk)
    found = (
        company.assessments.filter(state=State.DRAFT).first()
        or company.assessments.filter(year=year).first()
    )
    if found is not None:
        return found
    assessment = grids.start_self_assessment(user, current_grid(), company)
    grids.save_draft(user, assessment, {}, company.subject_attributes())
    csr = CsrAssessment(
        company=company, year=year, assessment=assessment, synthetic=company.synthetic
    )
    audit.save(csr, user, STARTED)
    return csr


def _check_pdf(upload) -> None:
    if upload.size > Evidence.MAX_BYTES:
        raise ValidationError(_("Il file supera i 10 MB."))
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Il file non è un PDF."))


@transaction.atomic
def save_answers(user, csr: CsrAssessment, answers: dict, files=None) -> CsrAssessment:
    """Keep the answers given so far, and PDF evidence by node ({node code: upload})."""
    csr = _locked(csr)
    _require(permissions.can_edit(user, csr), "You do not edit this self-assessment.")
    answers = {code: dict(item) for code, item in answers.items()}
    errors = {}
    for code, upload in (files or {}).items():
        try:
            _check_pdf(upload)
        except ValidationError as error:
            errors[f"{code}.evidence"] = error.messages
            continue
        evidence = Evidence(
            csr_assessment=csr,
            node=code,
            file=upload,
            original_name=upload.name[:255],
            size=upload.size,
            uploaded_by=user,
        )
        audit.save(evidence, user, EVIDENCE_ADDED)
    if errors:
        raise ValidationError(errors)
    documents = {}
    for evidence in csr.evidence.all():
        documents.setdefault(evidence.node, []).append({"kind": "document", "ref": evidence.ref})
    for code, refs in documents.items():
        item = answers.setdefault(code, dict(csr.assessment.answers.get(code, {})))
        item["evidence"] = [e for e in item.get("evidence", []) if e["kind"] != "document"] + refs
    grids.save_draft(user, csr.assessment, answers, csr.company.subject_attributes())
    audit.save(csr, user, grids.DRAFT_SAVED)
    return csr


@transaction.atomic
def remove_evidence(user, evidence: Evidence) -> None:
    csr = _locked(evidence.csr_assessment)
    _require(permissions.can_edit(user, csr), "You do not edit this self-assessment.")
    item = dict(csr.assessment.answers.get(evidence.node, {}))
    if item:
        item["evidence"] = [e for e in item.get("evidence", []) if e.get("ref") != evidence.ref]
        answers = {**csr.assessment.answers, evidence.node: item}
        grids.save_draft(user, csr.assessment, answers)
    transaction.on_commit(lambda name=evidence.file.name: evidence.file.storage.delete(name))
    audit.delete(evidence, user, EVIDENCE_REMOVED)


def area_rows(template, result: dict) -> list[dict]:
    from reti.grids.forms import text

    labels = {node.code: text(node.label, node.code) for node in template.walk()}
    return results.areas(result, labels, list(AREAS))


def _store_score(csr: CsrAssessment) -> None:
    template = csr.assessment.template.engine_template()
    shares = {
        row["code"].lower(): row["share"] for row in area_rows(template, csr.assessment.full_result)
    }
    CompanyScore.objects.update_or_create(
        company=csr.company,
        defaults={
            "csr_assessment": csr,
            "ateco_section": csr.company.ateco_section,
            "size_class": csr.company.size_class,
            "total": csr.assessment.total,
            "synthetic": csr.synthetic,
            **shares,
        },
    )


@transaction.atomic
def submit_self_assessment(user, csr: CsrAssessment) -> CsrAssessment:
    """Compute and store the result (grids), send it for validation, update the benchmark."""
    csr = _locked(csr)
    _require(permissions.can_edit(user, csr), "You do not submit this self-assessment.")
    grids.save_draft(user, csr.assessment, {}, csr.company.subject_attributes())
    csr.assessment = grids.submit_assessment(user, csr.assessment)
    csr.state = State.SUBMITTED
    csr.submitted_at = timezone.now()
    audit.save(csr, user, SUBMITTED)
    _store_score(csr)
    return csr


# Validation


@transaction.atomic
def take_for_validation(user, csr: CsrAssessment) -> CsrAssessment:
    """An expert of the region with no conflict becomes the validator; their review starts
    from the company's answers."""
    csr = _locked(csr)
    _require(permissions.can_take(user, csr), "You do not validate this self-assessment.")
    found = conflicts.detect(user, csr.company)
    if found:
        raise ValidationError([c.message for c in found], code="conflict")
    own = csr.assessment
    review = Assessment(
        template=own.template,
        mode=Assessment.Mode.EXPERT,
        evaluator=user,
        subject_type_id=own.subject_type_id,
        subject_id=own.subject_id,
        answers=own.answers,
        subject_attributes=own.subject_attributes,
        synthetic=csr.synthetic,
    )
    audit.save(review, user, TAKEN)
    csr.validator, csr.review = user, review
    audit.save(csr, user, TAKEN)
    return csr


@transaction.atomic
def save_review(user, csr: CsrAssessment, answers: dict) -> CsrAssessment:
    csr = _locked(csr)
    _require(permissions.can_validate(user, csr), "You do not validate this self-assessment.")
    # The company's PDFs stay the evidence of each answer, whatever the validator changes.
    own = csr.assessment.answers
    answers = {code: dict(item) for code, item in answers.items()}
    for code, item in answers.items():
        documents = [e for e in own.get(code, {}).get("evidence", []) if e["kind"] == "document"]
        others = [e for e in item.get("evidence", []) if e.get("kind") != "document"]
        item["evidence"] = others + documents
    grids.save_draft(user, csr.review, answers)
    return csr


def adjusted_without_reason(own: dict, review: dict) -> list[str]:
    """Nodes whose value the validator changed without a justification of their own."""
    missing = []
    for code, item in review.items():
        before = own.get(code, {})
        if item.get("value") == before.get("value"):
            continue
        said = (item.get("justification") or "").strip()
        if not said or said == (before.get("justification") or "").strip():
            missing.append(code)
    return sorted(missing)


@transaction.atomic
def decide(user, csr: CsrAssessment, *, validate: bool, note: str) -> CsrAssessment:
    """The validator's decision. Validating computes their review (grids) and, when it
    reaches a level, issues the attestation; refusing needs a reason."""
    csr = _locked(csr)
    _require(permissions.can_validate(user, csr), "You do not validate this self-assessment.")
    note = (note or "").strip()
    now = timezone.now()
    if not validate:
        if not note:
            raise ValidationError({"note": _("Indicare perché l'autovalutazione non è validata.")})
        csr.state, csr.decided_at, csr.decision_note = State.REFUSED, now, note
        audit.save(csr, user, audit.reason(NOT_VALIDATED, note[:200]))
        return csr
    missing = adjusted_without_reason(csr.assessment.answers, csr.review.answers)
    if missing:
        raise ValidationError(
            {
                f"{code}.justification": _("Motivare il punteggio modificato (%(node)s).")
                % {"node": code}
                for code in missing
            }
        )
    csr.review = grids.submit_assessment(user, csr.review)
    result = csr.review.result
    csr.level = levels.level_for(csr.review.total, bool(result.get("admissible")))
    csr.state, csr.decided_at, csr.decision_note = State.VALIDATED, now, note
    audit.save(csr, user, audit.reason(VALIDATED, note[:200]))
    if csr.level:
        start = timezone.localdate()
        years = levels.validity_years()
        until = start.replace(year=start.year + years) - timedelta(days=1)
        attestation = Attestation(
            csr_assessment=csr,
            company=csr.company,
            level=csr.level,
            total=csr.review.total,
            valid_from=start,
            valid_until=until,
            issued_by=user,
            synthetic=csr.synthetic,
        )
        audit.save(attestation, user, ISSUED)
    return csr


@transaction.atomic
def revoke_attestation(user, attestation: Attestation, reason: str) -> Attestation:
    attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
    _require(permissions.can_revoke(user, attestation), "You do not revoke this attestation.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indicare il motivo della revoca.")})
    attestation.revoked_at, attestation.revoked_by = timezone.now(), user
    attestation.revocation_reason = reason
    audit.save(attestation, user, audit.reason(REVOKED, reason[:200]))
    return attestation


# Improvement plan


@transaction.atomic
def add_plan_action(user, company: Company, action: ImprovementAction) -> ImprovementAction:
    _require(permissions.can_manage_plan(user, company), "You do not plan for this company.")
    action.company = company
    if action.csr_assessment_id and action.csr_assessment.company_id != company.pk:
        raise ValidationError({"csr_assessment": _("Autovalutazione di un'altra impresa.")})
    audit.save(action, user, PLAN_ADDED)
    return action


@transaction.atomic
def set_plan_status(user, action: ImprovementAction, status: str) -> ImprovementAction:
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    _require(permissions.can_manage_plan(user, action.company), "You do not plan here.")
    action.status = status
    audit.save(action, user, PLAN_UPDATED)
    return action


def local_unit(address: str, region) -> LocalUnit:
    return LocalUnit(address=address, region=region)


# Calls


@transaction.atomic
def declare_call_bonus(user, call, node: str, values: dict) -> CallBonus:
    """A draft call's CSR bonus: its grid's bonus node `node` gets, for an applicant company,
    the answer `values` gives its attestation's level at the deadline (reti.csr.bonus)."""
    _require(permissions.can_declare_call_bonus(user, call), "You do not edit this call.")
    bonus = CallBonus.objects.select_for_update().filter(call=call).first() or CallBonus(call=call)
    bonus.node, bonus.values = node, dict(values)
    audit.save(bonus, user, audit.reason(BONUS_DECLARED, f"{node}: {values}"))
    return bonus


# Facilitations


@transaction.atomic
def record_facilitation(user, facilitation: Facilitation) -> Facilitation:
    """A region's facilitation, new or changed, recorded by one of its officers (or staff;
    `user` None is the system, for `reti demo`)."""
    _require(
        user is None or permissions.can_record_facilitation(user, facilitation.region_id),
        "You do not record this region's facilitations.",
    )
    audit.save(facilitation, user, FACILITATION_SAVED)
    return facilitation
