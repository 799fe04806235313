"""The knowledge exchange's open dataset (reti.opendata): the published good practices, with
the catalogue's columns. A draft, or a practice sent back, is never in it."""

from django.utils.translation import gettext_lazy as _

from reti.opendata.registry import Dataset, last_change

from .catalogue import ORDERING, published
from .tables import PRACTICES


def practices():
    return (
        published()
        .select_related("lead_organisation", "network", "region", "period")
        .prefetch_related("themes")
        .defer("search_text")
        .order_by(*ORDERING)
        .iterator(chunk_size=2000)
    )


DATASETS = (
    Dataset(
        code="buone-pratiche",
        title=_("Buone pratiche"),
        description=_(
            "Le buone pratiche pubblicate nel catalogo di Reti: titolo, capofila, rete, "
            "regione, periodo di programmazione e temi."
        ),
        table=PRACTICES,
        rows=practices,
        modified=last_change(published()),
        themes=("SOCI", "EDUC"),
        keywords=(_("buone pratiche"), _("scambio di conoscenze")),
    ),
)
