"""What good practices add to other apps' pages (declared in apps.py, see reti.lib.extensions)."""

from reti.registry.permissions import editable_organisation_ids, is_editor

from .models import GoodPractice, Transfer

SHOWN = 50
PUBLIC = (GoodPractice.State.PUBLISHED, GoodPractice.State.ARCHIVED)


def organisation_transfers(request, organisation) -> dict:
    """Transfers of an organisation's practices to others (given) and of others' to it (taken)."""
    # Only what the table shows: a practice carries its long texts and attachments' text.
    transfers = (
        Transfer.objects.filter(practice__state__in=PUBLIC)
        .select_related("practice", "practice__lead_organisation", "adopting_organisation")
        .only(
            "stage", "practice__title_it", "practice__title_en",
            "practice__lead_organisation__name_it", "practice__lead_organisation__name_en",
            "adopting_organisation__name_it", "adopting_organisation__name_en",
        )
    )  # fmt: skip
    return {
        "given": list(transfers.filter(practice__lead_organisation=organisation)[:SHOWN]),
        "taken": list(transfers.filter(adopting_organisation=organisation)[:SHOWN]),
    }


def account_drafts(request, user) -> dict:
    """The practices of the user's organisations they may still change (draft or sent back)."""
    drafts = (
        GoodPractice.objects.filter(
            lead_organisation_id__in=editable_organisation_ids(user),
            state__in=GoodPractice.EDITABLE,
        )
        .select_related("lead_organisation")
        .order_by("-pk")[:100]
    )
    return {"drafts": list(drafts), "editor": is_editor(user)}
