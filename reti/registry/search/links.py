"""Where a search hit leads: the record's public page on the portal.

Working groups have no page of their own (their network's page lists them), so a working
group's hit opens its history page.
"""

from django.urls import reverse

# kind -> (portal URL name, argument taken from the hit: "key" or "object_id")
PAGES = {
    "network": ("portal:network_detail", "key"),
    "project": ("portal:project_detail", "object_id"),
    "organisation": ("portal:organisation_detail", "object_id"),
    "territory": ("portal:territory_detail", "key"),
}


def hit_url(hit) -> str:
    """The public URL of a hit's record."""
    if hit.kind == "working_group":
        return reverse(
            "portal:record_history", kwargs={"kind": "gruppi-di-lavoro", "pk": hit.object_id}
        )
    name, attribute = PAGES[hit.kind]
    return reverse(name, args=[getattr(hit, attribute)])
