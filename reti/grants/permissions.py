"""Who may do what with calls, claims and applications: the one place these rules live.

- officers of a call are the editors (or admins) of the organisation that is the intermediate
  body (organismo intermedio) of the call's global grant; staff act as officers of every call;
- a call is public once published (and stays so when closed); a draft call is seen by its
  officers only;
- staff record programmes and global grants (the agreement between managing authority and
  intermediate body); officers write their calls while drafts (lines, quotas, cost
  categories, required attachments) and the FAQ until each is published;
- officers publish a draft call, amend a published one (a rettifica, with its date and act)
  and publish its FAQ;
- officers of any intermediate body, and staff, verify or refuse a pending claim to represent
  an organisation; any signed-in user may claim one;
- applicants of an organisation are the users whose claim to represent it is verified: they
  start an application while the call is open, edit and submit it while it is a draft and
  the call is open, withdraw it once submitted until the deadline;
- a draft application is seen by its organisation's applicants only (not by officers, not by
  staff); once submitted or withdrawn also by the call's officers.

After the deadline (evaluation, ranking, appeals, scorrimento):

- officers open the call's committee once, after the deadline, on the call's grid; they then
  manage it on the grids pages as its chair does (reti.grids: `manages_committee` below is
  the call's answer to grids' `grid_committee_managers`), but the consensus is the chair's;
- officers run the ranking (provisional, final) after the deadline, publish a run, see every
  run, its inputs and its differences from the run before, and make a scorrimento; an
  applicant's withdrawal (rinuncia) after the final ranking makes one too;
- a run is public once published (anyone reads it and downloads its replay file); before
  that, officers only: scores and outcomes stay hidden from applicants and the public;
- an application's applicants lodge an appeal (ricorso) against the published provisional
  ranking until its deadline, by the server clock, and read their own appeals; the call's
  officers read and decide them; nobody else sees an appeal;
- the managing authority, other networks' secretariats, evaluators and outsiders have no
  more rights here than the public.
Admissibility (istruttoria di ammissibilità) and the soccorso istruttorio:

- the call's officers (and staff) list the call's submitted and withdrawn applications, with
  their admissibility and requests, at any time; nobody else sees that list (404);
- once the call's deadline has passed, the call's officers examine each submitted (not
  withdrawn) application: they record the checklist, ask the applicant for documents or
  clarifications (only while the outcome is pending), and decide admitted or not admissible
  (a second decision needs a reason);
- a document request and its answer are seen by the call's officers and the applicant's
  representatives only (404 for anyone else, other applicants included); the applicant's
  representatives answer an open request, once, before its deadline by the server clock.

"Open" and "before the deadline" are read on the server clock (`reti.grants.clock`).
"""

from django.db.models import Q

from reti.registry.permissions import editable_organisation_ids, is_registry_staff

from . import clock
from .models import (
    Admissibility,
    Appeal,
    Application,
    Call,
    CallFAQ,
    DocumentRequest,
    GlobalGrant,
    RankingRun,
    RepresentationClaim,
)

Status = Application.Status


def applicant_organisation_ids(user) -> set[int]:
    """Ids of the organisations `user` represents by a verified claim."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cached = getattr(user, "_reti_applicant_orgs", None)
    if cached is None:
        cached = set(
            RepresentationClaim.objects.filter(
                user=user, status=RepresentationClaim.Status.VERIFIED
            ).values_list("organisation_id", flat=True)
        )
        user._reti_applicant_orgs = cached
    return cached


def officer_body_ids(user) -> set[int]:
    """Ids of the intermediate bodies `user` is an officer of; read once per request (kept
    on the request's user, as accounts.permissions keeps the editable organisations): the
    back office asks it for every grants model of its menu."""
    orgs = editable_organisation_ids(user)
    if not orgs:
        return set()
    cached = getattr(user, "_reti_officer_bodies", None)
    if cached is None:
        cached = set(
            GlobalGrant.objects.filter(intermediate_body_id__in=orgs).values_list(
                "intermediate_body_id", flat=True
            )
        )
        user._reti_officer_bodies = cached
    return cached


def is_officer(user, call: Call) -> bool:
    if is_registry_staff(user):
        return True
    return call.global_grant.intermediate_body_id in editable_organisation_ids(user)


def is_any_officer(user) -> bool:
    return is_registry_staff(user) or bool(officer_body_ids(user))


def visible_calls_q(user) -> Q:
    """A filter for the calls `user` may see."""
    if is_registry_staff(user):
        return Q()
    public = ~Q(status=Call.Status.DRAFT)
    bodies = officer_body_ids(user)
    return public | Q(global_grant__intermediate_body_id__in=bodies) if bodies else public


def can_view_call(user, call: Call) -> bool:
    return call.is_public or is_officer(user, call)


def can_manage_instrument(user) -> bool:
    """Programmes and global grants: staff only."""
    return is_registry_staff(user)


def can_edit_call(user, call: Call) -> bool:
    """A draft call (or a new one) of a global grant whose intermediate body `user` serves."""
    if call.global_grant_id is None:
        return is_any_officer(user)
    return call.status == Call.Status.DRAFT and is_officer(user, call)


def can_edit_faq(user, faq: CallFAQ) -> bool:
    return faq.published_at is None and is_officer(user, faq.call)


def can_publish_call(user, call: Call) -> bool:
    return call.status == Call.Status.DRAFT and is_officer(user, call)


def can_amend_call(user, call: Call) -> bool:
    return call.status == Call.Status.PUBLISHED and is_officer(user, call)


def can_publish_faq(user, faq: CallFAQ) -> bool:
    return faq.published_at is None and faq.call.is_public and is_officer(user, faq.call)


def can_claim(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_verify_claim(user, claim: RepresentationClaim) -> bool:
    return claim.status == RepresentationClaim.Status.PENDING and is_any_officer(user)


def can_refuse_claim(user, claim: RepresentationClaim) -> bool:
    return claim.status == RepresentationClaim.Status.PENDING and is_any_officer(user)


def is_applicant(user, application: Application) -> bool:
    return application.organisation_id in applicant_organisation_ids(user)


def visible_applications_q(user) -> Q:
    """A filter for the applications `user` may see (drafts: their organisation's only)."""
    own = Q(organisation_id__in=applicant_organisation_ids(user))
    if is_registry_staff(user):
        return own | ~Q(status=Status.DRAFT)
    bodies = officer_body_ids(user)
    if not bodies:
        return own
    return own | (~Q(status=Status.DRAFT) & Q(call__global_grant__intermediate_body_id__in=bodies))


def can_view_application(user, application: Application) -> bool:
    if is_applicant(user, application):
        return True
    return application.status != Status.DRAFT and is_officer(user, application.call)


def can_create_application(user, call: Call, organisation) -> bool:
    return (
        organisation is not None
        and organisation.pk in applicant_organisation_ids(user)
        and call.is_open(clock.now())
    )


def can_edit_application(user, application: Application) -> bool:
    return (
        application.status == Status.DRAFT
        and is_applicant(user, application)
        and application.call.is_open(clock.now())
    )


def can_submit_application(user, application: Application) -> bool:
    return can_edit_application(user, application)


def can_withdraw_application(user, application: Application) -> bool:
    """Until the deadline; after it, once the final ranking is published and while it is
    valid, as a rinuncia that frees the money (a scorrimento)."""
    if application.status != Status.SUBMITTED or not is_applicant(user, application):
        return False
    if clock.now() < application.call.deadline:
        return True
    return in_current_ranking(application)


def in_current_ranking(application: Application) -> bool:
    """Listed, neither withdrawn nor revoked, in the call's current run while it is valid."""
    current = RankingRun.objects.current(application.call)
    if current is None or (
        current.valid_until is not None and clock.local_date() > current.valid_until
    ):
        return False
    return (
        current.entries.filter(application=application)
        .exclude(status__in=["withdrawn", "revoked"])
        .exists()
    )


# --- after the deadline --------------------------------------------------------------------


def manages_committee(user, committee) -> bool:
    """grids' `grid_committee_managers`: the officers of the call whose committee it is."""
    call = Call.objects.filter(committee=committee).select_related("global_grant").first()
    return call is not None and is_officer(user, call)


def after_deadline(call: Call) -> bool:
    return call.is_public and clock.now() >= call.deadline


def can_manage_ranking(user, call: Call) -> bool:
    """The officer's ranking page of a call: committee, runs, appeals, scorrimento."""
    return call.is_public and is_officer(user, call)


def can_open_committee(user, call: Call) -> bool:
    return call.committee_id is None and after_deadline(call) and is_officer(user, call)


def can_run_ranking(user, call: Call) -> bool:
    return call.committee_id is not None and after_deadline(call) and is_officer(user, call)


def can_publish_run(user, run: RankingRun) -> bool:
    return (
        run.published_at is None
        and run.kind != RankingRun.Kind.SCROLL
        and is_officer(user, run.call)
    )


def can_view_run(user, run: RankingRun) -> bool:
    """Published runs are public; the others are the officers' working copies."""
    return run.published_at is not None or is_officer(user, run.call)


def can_free_money(user, application: Application, kind: str) -> bool:
    """A scorrimento: the call's officers for any event; the applicant for its own
    withdrawal (rinuncia)."""
    if is_officer(user, application.call):
        return True
    return kind == "withdrawn" and is_applicant(user, application)


def appealable_run(application: Application) -> RankingRun | None:
    """The published provisional run an appeal of this application may be lodged against
    now: the latest published provisional one, before its deadline and before any final."""
    runs = RankingRun.objects.filter(call_id=application.call_id).exclude(published_at=None)
    if runs.filter(kind__in=[RankingRun.Kind.FINAL, RankingRun.Kind.SCROLL]).exists():
        return None
    run = runs.filter(kind=RankingRun.Kind.PROVISIONAL).order_by("-number").first()
    if run is None or run.appeal_deadline is None or clock.now() > run.appeal_deadline:
        return None
    if not run.entries.filter(application=application).exists():
        return None
    return run


def can_lodge_appeal(user, application: Application) -> bool:
    return (
        application.status == Status.SUBMITTED
        and is_applicant(user, application)
        and appealable_run(application) is not None
    )


# --- grant management (reti.grants.models.management) ---------------------------------------
#
# - the beneficiary is the funded application's organisation: its verified representatives
#   accept the agreement, write and send expenditure reports, ask for changes, renounce;
# - officers of the call (editors of its intermediate body, and staff) record the funding
#   decision, generate the agreement, prepare payments (and reversing entries), verify
#   reports, decide changes, revoke, draw the on-the-spot sample and close the grant;
# - the manager (dirigente) approves prepared payments: a member of the intermediate body
#   holding `grants.approve_payment`; accounting (ragioneria) books approved payments and
#   recoveries: a member of the body holding `grants.pay_payment`. Both come from the back
#   office's groups ("Dirigenti", "Ragioneria"), as the monitoring auditors do;
# - the same person never does two steps of one payment (prepares, approves, pays);
# - an auditor (revisore, `grants.audit_grants`) reads every grant and every document and
#   changes nothing;
# - a grant is seen by its beneficiary, the call's officers, the body's manager and
#   accounting, auditors; to anyone else it does not exist (404).

APPROVE_PERMISSION = "grants.approve_payment"
PAY_PERMISSION = "grants.pay_payment"
AUDIT_PERMISSION = "grants.audit_grants"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def member_organisation_ids(user) -> set[int]:
    """Ids of the organisations `user` belongs to, in any role."""
    if not _active(user):
        return set()
    cached = getattr(user, "_reti_grant_member_orgs", None)
    if cached is None:
        from reti.accounts.models import Membership

        cached = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
        user._reti_grant_member_orgs = cached
    return cached


def _body_id(grant) -> int:
    return grant.application.call.global_grant.intermediate_body_id


def is_beneficiary(user, grant) -> bool:
    return grant.application.organisation_id in applicant_organisation_ids(user)


def is_grant_officer(user, grant) -> bool:
    return _active(user) and is_officer(user, grant.application.call)


def _holds(user, permission: str, grant) -> bool:
    if not (_active(user) and user.has_perm(permission)):
        return False
    return is_registry_staff(user) or _body_id(grant) in member_organisation_ids(user)


def is_manager(user, grant) -> bool:
    return _holds(user, APPROVE_PERMISSION, grant)


def is_accounting(user, grant) -> bool:
    return _holds(user, PAY_PERMISSION, grant)


def is_grant_auditor(user) -> bool:
    return _active(user) and user.has_perm(AUDIT_PERMISSION)


def visible_grants_q(user) -> Q:
    """A filter for the grants `user` may see."""
    if is_registry_staff(user) or is_grant_auditor(user):
        return Q()
    own = Q(application__organisation_id__in=applicant_organisation_ids(user))
    bodies = officer_body_ids(user)
    if _active(user) and (user.has_perm(APPROVE_PERMISSION) or user.has_perm(PAY_PERMISSION)):
        bodies = bodies | member_organisation_ids(user)
    if not bodies:
        return own
    return own | Q(application__call__global_grant__intermediate_body_id__in=bodies)


def can_view_grant(user, grant) -> bool:
    return (
        is_beneficiary(user, grant)
        or is_grant_officer(user, grant)
        or is_grant_auditor(user)
        or is_manager(user, grant)
        or is_accounting(user, grant)
    )


def can_decide_funding(user, application, entry) -> bool:
    """A funded entry of the current run, no grant yet: the call's officers."""
    return (
        entry is not None
        and entry.is_funded
        and not hasattr(application, "grant")
        and is_officer(user, application.call)
    )


def _status(grant, *statuses) -> bool:
    return grant.status in statuses


def can_generate_agreement(user, grant) -> bool:
    return _status(grant, "decided") and is_grant_officer(user, grant)


def can_accept_agreement(user, grant) -> bool:
    return _status(grant, "decided") and bool(grant.agreement_text) and is_beneficiary(user, grant)


def can_prepare_payment(user, grant) -> bool:
    return _status(grant, "active") and is_grant_officer(user, grant)


def can_reverse_payment(user, payment) -> bool:
    return (
        payment.status == "paid"
        and payment.kind != "reversal"
        and is_grant_officer(user, payment.grant)
    )


def _steps_taken(user, payment) -> bool:
    ids = {payment.prepared_by_id, payment.approved_by_id, payment.paid_by_id}
    return user.pk in ids


def can_approve_payment(user, payment) -> bool:
    return (
        payment.status == "prepared"
        and is_manager(user, payment.grant)
        and not _steps_taken(user, payment)
    )


def can_pay_payment(user, payment) -> bool:
    return (
        payment.status == "approved"
        and is_accounting(user, payment.grant)
        and not _steps_taken(user, payment)
    )


def can_write_report(user, report) -> bool:
    return (
        report.status == "draft"
        and _status(report.grant, "active")
        and is_beneficiary(user, report.grant)
    )


def can_create_report(user, grant) -> bool:
    return _status(grant, "active") and is_beneficiary(user, grant)


def can_verify_report(user, report) -> bool:
    return report.status == "submitted" and is_grant_officer(user, report.grant)


def can_request_change(user, grant) -> bool:
    return _status(grant, "active") and is_beneficiary(user, grant)


def can_decide_change(user, change) -> bool:
    return (
        change.status == "pending"
        and _status(change.grant, "active")
        and is_grant_officer(user, change.grant)
    )


def can_renounce(user, grant) -> bool:
    return _status(grant, "decided", "active") and is_beneficiary(user, grant)


def can_revoke(user, grant) -> bool:
    return _status(grant, "decided", "active") and is_grant_officer(user, grant)


def can_record_recovery(user, revocation) -> bool:
    return is_accounting(user, revocation.grant)


def can_close(user, grant) -> bool:
    return _status(grant, "active") and is_grant_officer(user, grant)


def can_draw_sample(user, call) -> bool:
    return is_officer(user, call)


def can_view_appeal(user, appeal: Appeal) -> bool:
    return is_applicant(user, appeal.application) or is_officer(user, appeal.application.call)


def can_decide_appeal(user, appeal: Appeal) -> bool:
    return appeal.is_pending and is_officer(user, appeal.application.call)


# --- admissibility and the soccorso istruttorio --------------------------------------------


def can_list_applications(user, call: Call) -> bool:
    """The call's officers (and staff): the list of its applications and their outcomes."""
    return bool(user and user.is_authenticated) and is_officer(user, call)


def can_view_review(user, application: Application) -> bool:
    """The officer's page of a submitted or withdrawn application."""
    return application.status != Status.DRAFT and can_list_applications(user, application.call)


def can_examine(user, application: Application) -> bool:
    """Record the checklist: the call's officers, a submitted application, deadline passed."""
    return (
        application.status == Status.SUBMITTED
        and can_list_applications(user, application.call)
        and clock.now() >= application.call.deadline
    )


def can_decide_admissibility(user, application: Application) -> bool:
    return can_examine(user, application)


def _outcome(application: Application) -> str:
    found = Admissibility.objects.filter(application=application).values_list("outcome", flat=True)
    return found.first() or Admissibility.Outcome.PENDING


def can_request_document(user, application: Application) -> bool:
    """Soccorso istruttorio: while the examination is open (outcome still pending)."""
    return can_examine(user, application) and _outcome(application) == Admissibility.Outcome.PENDING


def can_view_document_request(user, request: DocumentRequest) -> bool:
    application = request.application
    return is_applicant(user, application) or can_view_review(user, application)


def can_answer_document_request(user, request: DocumentRequest) -> bool:
    """The applicant's representatives, once; the deadline is checked by the action, after
    the request's row is locked, so a late answer is told why."""
    return request.status == DocumentRequest.Status.OPEN and is_applicant(user, request.application)


# --- the instrument report (reti.grants.analysis) ------------------------------------------
#
# - anyone, anonymous included, reads the public report of a global grant with a published
#   call: the same measures, with every count under the monitoring's threshold hidden (and
#   the counts a reader could work them back from), through the monitoring's disclosure gate;
# - the full report (every count, the grants with their money to recover) is read by the
#   officers of the global grant's intermediate body, the editors of its programme's managing
#   authority, grant auditors and staff.


def can_read_full_instrument_report(user, global_grant: GlobalGrant) -> bool:
    if not _active(user):
        return False
    if is_registry_staff(user) or is_grant_auditor(user):
        return True
    editable = editable_organisation_ids(user)
    return (
        global_grant.intermediate_body_id in editable
        or global_grant.programme.managing_authority_id in editable
    )


def can_record_management_cost(user, global_grant: GlobalGrant) -> bool:
    """The global grant's management costs: its intermediate body's officers (and staff)."""
    return _active(user) and (
        is_registry_staff(user)
        or global_grant.intermediate_body_id in editable_organisation_ids(user)
    )
