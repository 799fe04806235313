"""Who a user is to Reti, from their account and memberships: the one place these rules live.

- staff (active, is_staff or superuser) manage every record and every API token;
- an editor or admin of an organisation edits for it (which records: each app's permissions);
- an editor manages their own API tokens.

Joining an organisation (richiesta di adesione):
- any active signed-in account asks to join an organisation of the registry, as viewer or
  editor, unless it is already a member or already has a request pending for it;
- a pending request is decided (approved, which makes the membership, or refused with a
  reason) by an admin of that organisation, by the secretariat of a network in which the
  organisation holds a current role (the editors of the organisation holding the network's
  current secretariat, reti.registry.permissions), or by staff; nobody decides their own;
- a request is seen by its requester and by those who may decide it; to anyone else it does
  not exist (404).

The registry and the other apps build their rules on these: nothing here imports the registry.
The join rules read network roles through the relations of `Membership.organisation`, with the
registry's definition of a secretariat (reti.registry.permissions.secretariat_network_ids; a
test holds the two equal).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import JoinRequest, Membership

EDIT_ROLES = (Membership.Role.EDITOR, Membership.Role.ADMIN)


def is_registry_staff(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.is_staff))


def editable_organisation_ids(user) -> set[int]:
    """Ids of the organisations whose records `user` may edit as editor or admin."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cache = getattr(user, "_reti_editable_orgs", None)
    if cache is None:
        cache = set(
            Membership.objects.filter(user=user, role__in=EDIT_ROLES).values_list(
                "organisation_id", flat=True
            )
        )
        user._reti_editable_orgs = cache
    return cache


def is_editor(user) -> bool:
    """Whether the user edits anything at all (the back office opens to them)."""
    return is_registry_staff(user) or bool(editable_organisation_ids(user))


def can_manage_api_token(user, token=None) -> bool:
    """Staff manage every API token; an editor manages their own (or creates one)."""
    if is_registry_staff(user):
        return True
    return is_editor(user) and (token is None or token.user_id == user.pk)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_request_to_join(user, organisation) -> bool:
    """An active account that is not a member and has no request pending for `organisation`."""
    if not _active(user) or organisation is None or organisation.pk is None:
        return False
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        return False
    return not JoinRequest.objects.filter(
        user=user, organisation=organisation, state=JoinRequest.State.PENDING
    ).exists()


def join_deciding_organisation_ids(user) -> set[int] | None:
    """Ids of the organisations whose join requests `user` decides; None means every one."""
    if not _active(user):
        return set()
    if is_registry_staff(user):
        return None
    admin_of = set(
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values_list(
            "organisation_id", flat=True
        )
    )
    edited = editable_organisation_ids(user)
    if edited:
        admin_of |= set(in_networks_of_secretariat(edited).values_list("id", flat=True))
    return admin_of


def in_networks_of_secretariat(organisation_ids):
    """Organisations holding a current role in a network whose current secretariat is one of
    `organisation_ids` (the registry's GoverningRole, read through its related names)."""
    organisations = Membership._meta.get_field("organisation").related_model.objects
    return organisations.filter(
        network_roles__end_date__isnull=True,
        network_roles__network__roles__role="secretariat",
        network_roles__network__roles__end_date__isnull=True,
        network_roles__network__roles__organisation_id__in=organisation_ids,
    ).distinct()


def decidable_join_requests_q(user) -> Q:
    """A filter for the pending requests `user` decides (none of their own)."""
    orgs = join_deciding_organisation_ids(user)
    pending = Q(state=JoinRequest.State.PENDING) & ~Q(user_id=getattr(user, "pk", None))
    if orgs is None:
        return pending
    return pending & Q(organisation_id__in=orgs)


def _can_decide(user, join_request: JoinRequest) -> bool:
    if not join_request.is_pending or join_request.user_id == getattr(user, "pk", None):
        return False
    orgs = join_deciding_organisation_ids(user)
    return orgs is None or join_request.organisation_id in orgs


def can_approve_join_request(user, join_request: JoinRequest) -> bool:
    """Approve (the membership follows): a decider of the pending request, see above."""
    return _can_decide(user, join_request)


def can_refuse_join_request(user, join_request: JoinRequest) -> bool:
    """Refuse with a reason: the same deciders as approval."""
    return _can_decide(user, join_request)


def can_view_join_request(user, join_request: JoinRequest) -> bool:
    if not _active(user):
        return False
    if join_request.user_id == user.pk:
        return True
    orgs = join_deciding_organisation_ids(user)
    return orgs is None or join_request.organisation_id in orgs


def join_request_notified(organisation):
    """Who is told of a new request to join `organisation`: its admins, or, when it has none,
    the secretariat of the networks it holds a current role in (staff look in the back office).
    """
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    admins = users.filter(
        memberships__organisation=organisation, memberships__role=Membership.Role.ADMIN
    )
    if admins.exists():
        return admins.distinct()
    organisations = Membership._meta.get_field("organisation").related_model.objects
    secretariats = organisations.filter(
        network_roles__role="secretariat",
        network_roles__end_date__isnull=True,
        network_roles__network__roles__organisation=organisation,
        network_roles__network__roles__end_date__isnull=True,
    )
    return users.filter(
        memberships__organisation__in=secretariats, memberships__role__in=EDIT_ROLES
    ).distinct()


# People's rights over their own data (reti.accounts.rights):
# - any active signed-in user downloads what Reti holds about them, and nobody else's;
# - a user gives and withdraws their own consents, and nobody else's;
# - a user asks for the erasure of their own data, unless they are staff: a staff account is
#   first closed by another member of staff (the back office must keep someone in charge).


def can_download_own_data(user) -> bool:
    return _active(user)


def can_manage_consent(user, consent=None) -> bool:
    return _active(user) and (consent is None or consent.user_id == user.pk)


def can_erase_own_data(user) -> bool:
    return _active(user) and not (user.is_staff or user.is_superuser)
