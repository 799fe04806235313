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
    Application,
    Call,
    CallFAQ,
    DocumentRequest,
    GlobalGrant,
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
    return (
        application.status == Status.SUBMITTED
        and is_applicant(user, application)
        and clock.now() < application.call.deadline
    )


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
