"""Who may do what with CSR companies, self-assessments and attestations: the one place.

- anyone, signed in or not, assesses a company anonymously (nothing is stored beyond the
  session), reads the CSR pages and checks an attestation by its code (valid, expired or
  revoked, with the company's name and level: nothing else);
- any active signed-in account registers a company, or asks to act for one already
  registered (a claim); the claim is verified or refused by an officer of the company's
  region (an editor of the region's organisation, kind "region", whose territory is the
  company's seat region) or by staff, never by the claimant; a verified claim makes the user
  an editor of the company's organisation: its *representatives* are its editors;
- the representatives of a company start, fill, resume and submit its self-assessment (the
  draft is its starter's, as every grids draft), upload and remove evidence while it is a
  draft, read its result, its benchmark, its plan and its attestation; company A's people
  see nothing of company B's;
- an *expert* is appointed for a region (Expert); an expert of the company's region takes a
  submitted self-assessment for validation when grids' conflict rules find no conflict
  between them and the company; from then on that expert, the validator, reads its answers
  and evidence, adjusts scores with a justification and decides;
- answers and evidence are seen only by the company's representatives and its validator:
  not by other experts, not by the region's officer, not by a network secretariat, not by
  staff (who administer the records in the back office under Django's permissions);
- the region's officer (or staff) revokes an attestation of a company of the region, with
  a reason, and appoints the region's experts in the back office;
- a grants call's CSR bonus is declared by whoever may edit the call (its officers, while it
  is a draft: reti.grants.permissions.can_edit_call);
- the national prize: a company's representatives submit its candidacy; the edition's
  managers (staff and the editors of the current secretariat of the network promoting it)
  seat the jury, follow its grids committee and publish the winners; jurors score in grids;
  everyone reads the published winners;
- a region's facilitations are recorded by its officers (or staff); everyone reads those
  in force and downloads the list; a company's representatives see which its level gives;
- anyone else gets 404 for a company's private pages, so their existence stays private.
"""

from django.db.models import Q

from reti.accounts.permissions import editable_organisation_ids, is_registry_staff
from reti.registry.models import Organisation

from .models import Attestation, Company, CompanyClaim, CsrAssessment, Expert

State = CsrAssessment.State
REGION_KINDS = (Organisation.Kind.REGION,)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def officer_region_ids(user) -> set[int]:
    """Territory ids of the regions `user` is an officer of (editor of a region's body)."""
    orgs = editable_organisation_ids(user)
    if not orgs:
        return set()
    cached = getattr(user, "_reti_csr_regions", None)
    if cached is None:
        cached = set(
            Organisation.objects.filter(
                pk__in=orgs, kind__in=REGION_KINDS, territory__isnull=False
            ).values_list("territory_id", flat=True)
        )
        user._reti_csr_regions = cached
    return cached


def expert_region_ids(user) -> set[int]:
    if not _active(user):
        return set()
    cached = getattr(user, "_reti_csr_expert_regions", None)
    if cached is None:
        cached = set(
            Expert.objects.filter(user=user, active=True).values_list("region_id", flat=True)
        )
        user._reti_csr_expert_regions = cached
    return cached


def is_representative(user, company: Company) -> bool:
    return company.organisation_id in editable_organisation_ids(user)


def represented_companies_q(user) -> Q:
    return Q(organisation_id__in=editable_organisation_ids(user))


def is_region_officer(user, company: Company) -> bool:
    return company.region_id in officer_region_ids(user)


def can_register_company(user) -> bool:
    return _active(user)


def can_claim(user, company: Company) -> bool:
    """An active account not yet acting for the company, with no claim open for it."""
    if not _active(user) or is_representative(user, company):
        return False
    return not CompanyClaim.objects.filter(
        user=user, company=company, status__in=[CompanyClaim.Status.PENDING, "verified"]
    ).exists()


def can_decide_claim(user, claim: CompanyClaim) -> bool:
    if claim.status != CompanyClaim.Status.PENDING or claim.user_id == getattr(user, "pk", None):
        return False
    return is_registry_staff(user) or is_region_officer(user, claim.company)


def decidable_claims_q(user) -> Q:
    pending = Q(status=CompanyClaim.Status.PENDING) & ~Q(user_id=getattr(user, "pk", None))
    if is_registry_staff(user):
        return pending
    return pending & Q(company__region_id__in=officer_region_ids(user))


def can_view_company(user, company: Company) -> bool:
    """The company's private page: its representatives, its region's officer, staff."""
    return (
        is_representative(user, company)
        or is_region_officer(user, company)
        or is_registry_staff(user)
    )


def can_assess(user, company: Company) -> bool:
    return is_representative(user, company)


def can_edit(user, csr: CsrAssessment) -> bool:
    """The draft's starter, while they still act for the company."""
    return (
        csr.state == State.DRAFT
        and _active(user)
        and csr.assessment.evaluator_id == user.pk
        and is_representative(user, csr.company)
    )


def is_validator(user, csr: CsrAssessment) -> bool:
    return _active(user) and csr.validator_id == user.pk


def can_view_answers(user, csr: CsrAssessment) -> bool:
    """Answers, evidence and results: the company's representatives and its validator."""
    return is_representative(user, csr.company) or is_validator(user, csr)


def is_expert_for(user, company: Company) -> bool:
    return company.region_id in expert_region_ids(user)


def is_any_expert(user) -> bool:
    return bool(expert_region_ids(user))


def can_take(user, csr: CsrAssessment) -> bool:
    """An expert of the region takes a submitted, untaken assessment (conflicts are checked
    by the action, which says what they are)."""
    return (
        csr.state == State.SUBMITTED
        and csr.validator_id is None
        and is_expert_for(user, csr.company)
        and not is_representative(user, csr.company)
    )


def can_validate(user, csr: CsrAssessment) -> bool:
    return csr.state == State.SUBMITTED and is_validator(user, csr)


def can_manage_plan(user, company: Company) -> bool:
    return is_representative(user, company)


def can_download_attestation(user, attestation: Attestation) -> bool:
    return is_representative(user, attestation.company) or is_validator(
        user, attestation.csr_assessment
    )


def revokes_for(user, company: Company) -> bool:
    """Who may revoke a company's attestations: staff and the officers of its region."""
    return is_registry_staff(user) or is_region_officer(user, company)


def can_revoke(user, attestation: Attestation) -> bool:
    return attestation.revoked_at is None and revokes_for(user, attestation.company)


def can_appoint_experts(user, region_id: int) -> bool:
    return is_registry_staff(user) or region_id in officer_region_ids(user)


def can_declare_call_bonus(user, call) -> bool:
    from reti.grants.permissions import can_edit_call

    return _active(user) and can_edit_call(user, call)


def can_apply_for_prize(user, company: Company) -> bool:
    return _active(user) and is_representative(user, company)


def can_manage_prize(user, edition) -> bool:
    from reti.registry.permissions import secretariat_network_ids

    if is_registry_staff(user):
        return True
    return (
        _active(user)
        and edition.network_id is not None
        and edition.network_id in secretariat_network_ids(user)
    )


def manages_prize_committee(user, committee) -> bool:
    """grids' `grid_committee_managers`: the managers of the edition whose jury it is."""
    from .models import PrizeEdition

    edition = PrizeEdition.objects.filter(committee=committee).first()
    return edition is not None and can_manage_prize(user, edition)


def can_record_facilitation(user, region_id: int) -> bool:
    return is_registry_staff(user) or (_active(user) and region_id in officer_region_ids(user))
