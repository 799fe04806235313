"""The CSR use cases through their actions: registration, claims, self-assessment,
validation, attestation, plan."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reti.accounts.models import Membership
from reti.grids.models import Assessment
from reti.registry.demo.taxcodes import entity_code
from reti.registry.models import Organisation

from .. import actions
from ..models import Attestation, Company, CompanyClaim, CompanyScore, CsrAssessment
from .factories import PDF

pytestmark = pytest.mark.django_db


def _new_company(csr, **fields) -> Company:
    values = {
        "legal_form": "srl",
        "ateco_code": "25.62.00",
        "employees": Decimal(8),
        "turnover": Decimal("1500000"),
        "balance_sheet": Decimal("900000"),
        "region": csr.toscana_region,
        "seat_address": "Via Nuova 3, Prato",
    }
    values.update(fields)
    return Company(**values)


def _register(user, csr, vat=None, **fields):
    return actions.register_company(
        user,
        name="Officina Nuova srl",
        vat_number=vat or entity_code(700_001),
        company=_new_company(csr, **fields),
        legal_representative="Anna Rossi",
        position="Amministratrice",
        local_units=[actions.local_unit("Via Due 2, Roma", csr.lazio_region)],
    )


def test_registering_makes_the_organisation_the_company_and_a_pending_claim(cast, csr):
    company = _register(cast.outsider, csr)

    assert company.organisation.kind == Organisation.Kind.COMPANY
    assert company.organisation.territory == csr.toscana_region
    assert company.size_class == "micro"
    assert company.ateco_section == "C"
    assert company.local_units.get().region == csr.lazio_region
    claim = CompanyClaim.objects.get(company=company)
    assert (claim.user, claim.status) == (cast.outsider, "pending")
    # Not yet a representative: the claim is waiting for the region.
    assert not Membership.objects.filter(user=cast.outsider).exists()


def test_a_registry_organisation_with_that_vat_number_is_linked_not_copied(cast, csr):
    existing = Organisation.objects.create(
        name_it="Già nel registro", kind="company", vat_number=entity_code(700_002)
    )
    company = _register(cast.outsider, csr, vat=entity_code(700_002))
    assert company.organisation == existing


def test_a_bad_vat_number_is_refused_naming_the_field_and_nothing_is_saved(cast, csr):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as error:
        _register(cast.outsider, csr, vat="12345678901")
    assert "vat_number" in error.value.message_dict
    assert Organisation.objects.count() == before
    assert not Company.objects.filter(seat_address__startswith="Via Nuova").exists()


def test_a_company_registered_twice_is_refused(cast, csr):
    _register(cast.outsider, csr)
    with pytest.raises(ValidationError) as error:
        _register(cast.viewer, csr)
    assert "vat_number" in error.value.message_dict


def test_an_unknown_ateco_code_is_refused(cast, csr):
    with pytest.raises(ValidationError) as error:
        _register(cast.outsider, csr, ateco_code="99.99.99")
    assert "ateco_code" in error.value.message_dict


def test_anonymous_cannot_register(csr):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        _register(AnonymousUser(), csr)


def test_the_region_officer_verifies_a_claim_and_the_user_becomes_an_editor(cast, csr):
    company = _register(cast.outsider, csr)
    claim = company.claims.get()
    with pytest.raises(PermissionDenied):
        actions.verify_claim(cast.lazio_officer, claim)  # another region
    with pytest.raises(PermissionDenied):
        actions.verify_claim(cast.secretariat, claim)

    actions.verify_claim(cast.toscana_officer, claim)

    membership = Membership.objects.get(user=cast.outsider, organisation=company.organisation)
    assert membership.role == Membership.Role.EDITOR
    assert claim.history.first().history_user == cast.toscana_officer


def test_refusing_a_claim_needs_a_reason(cast, csr):
    claim = _register(cast.outsider, csr).claims.get()
    with pytest.raises(ValidationError):
        actions.refuse_claim(cast.toscana_officer, claim, "  ")
    actions.refuse_claim(cast.toscana_officer, claim, "Non risulta tra i rappresentanti.")
    claim.refresh_from_db()
    assert claim.status == "refused"


def test_nobody_verifies_their_own_claim(cast, csr):
    claim = _register(cast.toscana_officer, csr).claims.get()
    with pytest.raises(PermissionDenied):
        actions.verify_claim(cast.toscana_officer, claim)


def test_save_and_resume_keeps_answers_and_starting_again_returns_the_draft(csr):
    own = actions.start_self_assessment(csr.rep_a, csr.company_a)
    actions.save_answers(csr.rep_a, own, {"A1.1": {"value": "planned"}})
    again = actions.start_self_assessment(csr.rep_a, csr.company_a)
    assert again.pk == own.pk
    assert again.assessment.answers["A1.1"]["value"] == "planned"
    assert again.assessment.subject_attributes["size_class"] == "small"


def test_company_b_cannot_touch_company_a(csr):
    with pytest.raises(PermissionDenied):
        actions.start_self_assessment(csr.rep_b, csr.company_a)
    own = actions.start_self_assessment(csr.rep_a, csr.company_a)
    with pytest.raises(PermissionDenied):
        actions.save_answers(csr.rep_b, own, {"A1.1": {"value": "planned"}})


def test_a_pdf_is_kept_as_document_evidence_and_anything_else_is_refused(csr):
    own = actions.start_self_assessment(csr.rep_a, csr.company_a)
    pdf = SimpleUploadedFile("sicurezza.pdf", PDF, content_type="application/pdf")
    actions.save_answers(csr.rep_a, own, {"REQ-SAFETY": {"value": True}}, {"REQ-SAFETY": pdf})
    own.assessment.refresh_from_db()
    evidence = own.assessment.answers["REQ-SAFETY"]["evidence"]
    assert evidence == [{"kind": "document", "ref": f"sicurezza.pdf (#{own.evidence.get().pk})"}]

    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        actions.save_answers(csr.rep_a, own, {}, {"REQ-CODE": fake})
    assert "REQ-CODE.evidence" in error.value.message_dict
    assert own.evidence.count() == 1


def test_removing_evidence_takes_it_out_of_the_answer(csr):
    own = actions.start_self_assessment(csr.rep_a, csr.company_a)
    pdf = SimpleUploadedFile("s.pdf", PDF, content_type="application/pdf")
    actions.save_answers(csr.rep_a, own, {"REQ-SAFETY": {"value": True}}, {"REQ-SAFETY": pdf})
    actions.remove_evidence(csr.rep_a, own.evidence.get())
    own.assessment.refresh_from_db()
    assert own.assessment.answers["REQ-SAFETY"]["evidence"] == []


def test_an_incomplete_self_assessment_is_not_submitted(csr):
    own = actions.start_self_assessment(csr.rep_a, csr.company_a)
    actions.save_answers(csr.rep_a, own, {"A1.1": {"value": "planned"}})
    with pytest.raises(ValidationError) as error:
        actions.submit_self_assessment(csr.rep_a, own)
    assert "A1.2.value" in error.value.message_dict
    own.refresh_from_db()
    assert own.state == "draft"
    assert not CompanyScore.objects.exists()


def test_submitting_stores_the_result_and_the_benchmark_row(csr, submitted):
    assert submitted.state == "submitted"
    assert submitted.assessment.state == Assessment.State.SUBMITTED
    score = CompanyScore.objects.get(company=csr.company_a)
    assert (score.ateco_section, score.size_class) == ("K", "small")
    assert score.a1 == Decimal("75.0")  # "systematic", 3 of 4, everywhere
    assert score.total == submitted.assessment.total


def test_micro_companies_skip_material_risks_and_the_small_requirements(csr):
    micro = csr.company_b
    micro.employees, micro.turnover = Decimal(3), Decimal("100000")
    micro.full_clean()
    micro.save()
    answers = csr.answers(micro)
    assert "A7.1" not in answers and "REQ-CODE" not in answers
    own = actions.start_self_assessment(csr.rep_b, micro)
    actions.save_answers(csr.rep_b, own, answers)
    actions.submit_self_assessment(csr.rep_b, own)
    assert CompanyScore.objects.get(company=micro).a7 is None


def test_a_failed_minimum_requirement_gives_no_level(csr):
    own = actions.start_self_assessment(csr.rep_a, csr.company_a)
    document = [{"kind": "document", "ref": "Bozza del codice"}]
    failing = {"value": False, "justification": "Non ancora.", "evidence": document}
    actions.save_answers(csr.rep_a, own, csr.answers(csr.company_a, **{"REQ-CODE": failing}))
    actions.submit_self_assessment(csr.rep_a, own)
    actions.take_for_validation(csr.expert, own)
    own = actions.decide(csr.expert, own, validate=True, note="")
    assert own.level == ""
    assert not Attestation.objects.exists()


def test_an_expert_in_conflict_cannot_take_it(csr, submitted):
    with pytest.raises(ValidationError) as error:
        actions.take_for_validation(csr.conflicted_expert, submitted)
    assert "stesso ente" in str(error.value)
    submitted.refresh_from_db()
    assert submitted.validator is None


def test_an_expert_of_another_region_cannot_take_it(csr, submitted):
    with pytest.raises(PermissionDenied):
        actions.take_for_validation(csr.lazio_expert, submitted)


def test_a_taken_assessment_is_not_taken_twice(csr, submitted):
    actions.take_for_validation(csr.expert, submitted)
    other = csr.lazio_expert
    other.csr_expert_roles.create(region=csr.toscana_region)
    with pytest.raises(PermissionDenied):
        actions.take_for_validation(other, submitted)


def test_an_adjusted_score_needs_the_validators_justification(csr, submitted):
    actions.take_for_validation(csr.expert, submitted)
    lowered = {"value": "occasional", "justification": "Motivo.", "evidence": []}
    actions.save_review(csr.expert, submitted, {"A1.1": lowered})
    with pytest.raises(ValidationError) as error:
        actions.decide(csr.expert, submitted, validate=True, note="")
    assert "A1.1" in str(error.value)

    lowered["justification"] = "Codice etico non diffuso a tutto il personale."
    actions.save_review(csr.expert, submitted, {"A1.1": lowered})
    decided = actions.decide(csr.expert, submitted, validate=True, note="Rivisto A1.1.")
    assert decided.review.total < decided.assessment.total


def test_validating_yields_a_level_and_an_attestation_for_two_years(csr, validated):
    assert validated.state == "validated"
    assert validated.level == "advanced"  # 75 points: between 70 and 85
    attestation = validated.attestation
    assert attestation.level == "advanced"
    assert (attestation.valid_until - attestation.valid_from).days in (729, 730)
    assert attestation.status == "valid"
    later = date(attestation.valid_until.year + 1, 1, 1)
    assert attestation.status_on(later) == "expired"


def test_refusing_needs_a_reason(csr, submitted):
    actions.take_for_validation(csr.expert, submitted)
    with pytest.raises(ValidationError):
        actions.decide(csr.expert, submitted, validate=False, note="")
    refused = actions.decide(csr.expert, submitted, validate=False, note="Evidenze mancanti.")
    assert refused.state == "refused"


def test_revocation_by_the_region_officer_with_a_reason(cast, csr, validated):
    attestation = validated.attestation
    with pytest.raises(PermissionDenied):
        actions.revoke_attestation(cast.lazio_officer, attestation, "No.")
    with pytest.raises(PermissionDenied):
        actions.revoke_attestation(csr.rep_a, attestation, "No.")
    with pytest.raises(ValidationError):
        actions.revoke_attestation(cast.toscana_officer, attestation, "")
    actions.revoke_attestation(cast.toscana_officer, attestation, "Dichiarazioni non veritiere.")
    attestation.refresh_from_db()
    assert attestation.status == "revoked"


def test_next_years_assessment_is_compared_with_the_previous(csr, validated):
    from ..views.company import result_context

    validated.year -= 1
    validated.save()
    current = actions.start_self_assessment(csr.rep_a, csr.company_a)
    better = {"value": "improving", "justification": "Misurato.", "evidence": []}
    actions.save_answers(csr.rep_a, current, csr.answers(csr.company_a, **{"A1.1": better}))
    actions.submit_self_assessment(csr.rep_a, current)
    context = result_context(CsrAssessment.objects.get(pk=current.pk))
    a1 = next(row for row in context["rows"] if row["code"] == "A1")
    assert a1["previous"] == Decimal("75.0")
    assert a1["change"] > 0
    assert context["chart"].startswith("data:image/svg+xml;base64,")


def test_the_plan_belongs_to_the_company(csr, submitted):
    from ..models import ImprovementAction

    action = ImprovementAction(
        area="A5",
        description="Audit energetico",
        owner="Ufficio tecnico",
        due_date=date(2027, 6, 30),
    )
    with pytest.raises(PermissionDenied):
        actions.add_plan_action(csr.rep_b, csr.company_a, action)
    actions.add_plan_action(csr.rep_a, csr.company_a, action)
    actions.set_plan_status(csr.rep_a, action, "ongoing")
    action.refresh_from_db()
    assert action.status == "ongoing"
    with pytest.raises(PermissionDenied):
        actions.set_plan_status(csr.rep_b, action, "done")
