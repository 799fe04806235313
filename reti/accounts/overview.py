"""What a user's account page lists of its own: their organisations and roles, their requests
to join organisations and those they decide, and whether the back office opens to them. The
apps add their parts (communities, registrations, drafts, monitoring...) through
`account_sections` on their AppConfig (reti.lib.extensions)."""

from dataclasses import dataclass

from . import permissions
from .models import JoinRequest, Membership


@dataclass(frozen=True)
class AccountOverview:
    memberships: list  # Membership, with the organisation
    back_office: bool  # the back office opens to them
    join_requests: list  # their own requests to join, newest first
    to_decide: list  # pending requests of others that they approve or refuse


def account_overview(user) -> AccountOverview:
    """The account's own part of the account page for `user` (an active, signed-in user)."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name_it")
    )
    own = list(
        JoinRequest.objects.filter(user=user)
        .select_related("organisation")
        .order_by("-created_at", "-id")[:50]
    )
    to_decide = list(
        JoinRequest.objects.filter(permissions.decidable_join_requests_q(user))
        .select_related("user", "organisation")
        .order_by("created_at", "id")[:200]
    )
    return AccountOverview(
        memberships=memberships,
        back_office=permissions.is_editor(user),
        join_requests=own,
        to_decide=to_decide,
    )
