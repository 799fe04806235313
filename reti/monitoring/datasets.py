"""Monitoring's open dataset (reti.opendata): the common indicators by region and gender, as
the public indicators page publishes them. A cell the disclosure control hides is empty with
the note `c`, never a number. Participant records are never a dataset: they are personal
data (pseudonymised), read only by authorised users and logged."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from reti.opendata.registry import Dataset

from .analytics import downloads, public
from .analytics.snapshot import SnapshotMissing, current


def _snapshot():
    try:
        return current()
    except SnapshotMissing:
        return None


def indicators():
    snapshot = _snapshot()
    return downloads.every_indicator(snapshot) if snapshot is not None else iter(())


def computed():
    snapshot = _snapshot()
    return public.computed_at(snapshot) if snapshot is not None else None


DATASETS = (
    Dataset(
        code="indicatori",
        title=_("Indicatori comuni del FSE e del FSE+ per regione e genere"),
        description=_(
            "I partecipanti contati da ciascun indicatore comune di output e di risultato, "
            "per regione e genere, calcolati dai record dei partecipanti con la protezione "
            "dei piccoli numeri: un valore sotto la soglia, o da cui lo si ricaverebbe, non è "
            "pubblicato (nota c)."
        ),
        table=downloads.TABLE,
        rows=indicators,
        modified=computed,
        themes=("SOCI", "ECON"),
        keywords=(_("indicatori comuni"), _("FSE+"), _("partecipanti"), _("monitoraggio")),
        frequency="DAILY",
        # The ESF 2014-2020 programming period onwards (ESF+ 2021-2027 included).
        temporal=(date(2014, 1, 1), None),
    ),
)
