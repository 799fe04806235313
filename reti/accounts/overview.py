"""What a user's account page lists: their organisations and roles, their communities, their
event registrations and their organisations' practice drafts, and where their access leads."""

from dataclasses import dataclass

from reti.communities.models import Member
from reti.events.models import Registration
from reti.knowledge.models import GoodPractice
from reti.monitoring import permissions as monitoring

from . import permissions
from .models import Membership


@dataclass(frozen=True)
class AccountOverview:
    memberships: list  # Membership, with the organisation
    auditor: bool  # reads every organisation's participant data
    dashboards: bool  # sees the monitoring dashboards unsuppressed
    back_office: bool  # the back office opens to them
    communities: list  # communities.Member, with the community
    registrations: list  # events.Registration, with the event
    drafts: list  # GoodPractice the user may still change (draft or sent back)


def account_overview(user) -> AccountOverview:
    """Everything the account page shows for `user` (an active, signed-in user)."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name_it")
    )
    communities = list(
        Member.objects.filter(user=user).select_related("community").order_by("community__name_it")
    )
    registrations = list(
        Registration.objects.filter(user=user)
        .select_related("event")
        .order_by("-event__start", "-pk")[:100]
    )
    drafts = list(
        GoodPractice.objects.filter(
            lead_organisation_id__in=permissions.editable_organisation_ids(user),
            state__in=GoodPractice.EDITABLE,
        )
        .select_related("lead_organisation")
        .order_by("-pk")[:100]
    )
    return AccountOverview(
        memberships=memberships,
        auditor=monitoring.is_auditor(user),
        dashboards=monitoring.can_view_dashboards(user),
        back_office=permissions.is_editor(user),
        communities=communities,
        registrations=registrations,
        drafts=drafts,
    )
