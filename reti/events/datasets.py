"""The events' open dataset (reti.opendata): every event of the public list, past and to come,
with the list's columns."""

from django.utils.translation import gettext_lazy as _

from reti.opendata.registry import Dataset, last_change

from .models import Event
from .tables import EVENTS


def events():
    return (
        Event.objects.select_related("host", "network")
        .prefetch_related("themes")
        .order_by("-start", "-id")
        .iterator(chunk_size=2000)
    )


DATASETS = (
    Dataset(
        code="eventi",
        title=_("Eventi delle reti"),
        description=_(
            "Gli eventi delle reti (seminari, incontri, visite di studio): date, luogo, "
            "organizzazione ospite, rete e temi."
        ),
        table=EVENTS,
        rows=events,
        modified=last_change(Event.objects.all()),
        themes=("SOCI", "GOVE"),
        keywords=(_("eventi"), _("reti")),
    ),
)
