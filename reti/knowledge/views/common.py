"""Helpers shared by the knowledge pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from reti.portal.history import audit_entries
from reti.registry.permissions import is_editor

from .. import permissions
from ..models import GoodPractice

VERSIONS_SHOWN = 10


def get_practice_for_user(request, pk: int) -> GoodPractice:
    """The practice if the user may see it; 404 otherwise (a draft's existence stays private)."""
    practice = get_object_or_404(
        GoodPractice.objects.select_related(
            "lead_organisation", "network", "project", "period", "fund", "territory", "region"
        ).defer("search_text"),
        pk=pk,
    )
    if not permissions.can_view(request.user, practice):
        raise Http404
    return practice


def versions(practice: GoodPractice, user, limit: int = VERSIONS_SHOWN):
    """The latest versions of a practice, each with what changed from the one before."""
    records = list(
        practice.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    shown, older = records[:limit], records[limit] if len(records) > limit else None
    return audit_entries(shown, older, show_users=is_editor(user))
