"""Where a search hit leads: the record's public page, or its history while it has none."""

from django.urls import NoReverseMatch, reverse

# kind -> (portal URL name, argument taken from the hit: "key" or "object_id")
PAGES = {
    "network": ("portal:network_detail", "key"),
    "project": ("portal:project_detail", "object_id"),
    "organisation": ("portal:organisation_detail", "object_id"),
    "working_group": ("portal:working_group_detail", "object_id"),
    "territory": ("portal:territory_detail", "key"),
}
# The history page's slug for kinds that have one (see reti/portal/history.py).
HISTORY = {
    "network": "reti",
    "project": "progetti",
    "organisation": "organizzazioni",
    "working_group": "gruppi-di-lavoro",
}


def hit_url(hit) -> str:
    """The public URL of a hit's record, "" when the portal has no page for it."""
    name, attribute = PAGES[hit.kind]
    try:
        return reverse(name, args=[getattr(hit, attribute)])
    except NoReverseMatch:
        pass
    if hit.kind in HISTORY:
        return reverse(
            "portal:record_history", kwargs={"kind": HISTORY[hit.kind], "pk": hit.object_id}
        )
    return ""
