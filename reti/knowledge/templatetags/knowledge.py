from django import template

from reti.knowledge.models import GoodPractice, Transfer

register = template.Library()
SHOWN = 50
PUBLIC = (GoodPractice.State.PUBLISHED, GoodPractice.State.ARCHIVED)


@register.simple_tag
def organisation_transfers(organisation) -> dict:
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
