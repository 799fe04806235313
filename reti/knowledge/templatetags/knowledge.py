from django import template

from reti.knowledge.models import GoodPractice, Transfer

register = template.Library()
SHOWN = 50
PUBLIC = (GoodPractice.State.PUBLISHED, GoodPractice.State.ARCHIVED)


@register.simple_tag
def organisation_transfers(organisation) -> dict:
    """Transfers of an organisation's practices to others (given) and of others' to it (taken)."""
    transfers = Transfer.objects.filter(practice__state__in=PUBLIC).select_related(
        "practice", "practice__lead_organisation", "adopting_organisation"
    )
    return {
        "given": list(transfers.filter(practice__lead_organisation=organisation)[:SHOWN]),
        "taken": list(transfers.filter(adopting_organisation=organisation)[:SHOWN]),
    }
