"""What a user's account page lists of its own: their organisations and roles, and whether the
back office opens to them. The apps add their parts (communities, registrations, drafts,
monitoring...) through `account_sections` on their AppConfig (reti.lib.extensions)."""

from dataclasses import dataclass

from . import permissions
from .models import Membership


@dataclass(frozen=True)
class AccountOverview:
    memberships: list  # Membership, with the organisation
    back_office: bool  # the back office opens to them


def account_overview(user) -> AccountOverview:
    """The account's own part of the account page for `user` (an active, signed-in user)."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name_it")
    )
    return AccountOverview(memberships=memberships, back_office=permissions.is_editor(user))
