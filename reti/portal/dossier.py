"""A network's dossier as a PDF (issue 20): its record, governance over time, members,
working groups, events and good practices, in the page's language, through the one renderer
(reti.lib.pdf).

Public, like the network's page: it holds what the page and the public lists show (every
event of the network, the published and archived practices), never a draft.
"""

from django.utils import formats, timezone

from reti.events.models import Event
from reti.knowledge.models import GoodPractice
from reti.lib.pdf import render_pdf
from reti.registry.models import GoverningRole

from .networks import _load_network, _participants, _term_order

TEMPLATE = "portal/pdf/network_dossier.html"
PUBLIC_PRACTICES = (GoodPractice.State.PUBLISHED, GoodPractice.State.ARCHIVED)
# A dossier lists at most this many events and practices (the newest); the lists hold all.
SHOWN = 200


def context(slug: str) -> dict:
    network = _load_network(slug)
    roles = sorted(network.roles.all(), key=_term_order)
    governance = [r for r in roles if r.role != GoverningRole.Role.MEMBER]
    events = list(
        Event.objects.filter(network=network)
        .select_related("host")
        .order_by("-start", "-id")[: SHOWN + 1]
    )
    practices = list(
        GoodPractice.objects.filter(network=network, state__in=PUBLIC_PRACTICES)
        .select_related("lead_organisation")
        .order_by("-published_at", "-id")[: SHOWN + 1]
    )
    return {
        "network": network,
        "governance": governance,
        "participants": _participants(network, roles),
        "groups": list(network.working_groups.all()),
        "events": events[:SHOWN],
        "more_events": len(events) > SHOWN,
        "practices": practices[:SHOWN],
        "more_practices": len(practices) > SHOWN,
        "printed_at": formats.date_format(timezone.localtime(), "j F Y"),
    }


def render(slug: str) -> bytes:
    """The PDF of the network `slug` in the active language (Http404 for an unknown one)."""
    return render_pdf(TEMPLATE, context(slug))
