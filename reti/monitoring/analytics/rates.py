"""Rates by region: counts of a numerator among a denominator, defined once as SQL conditions."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .definitions import SIX_MONTHS
from .engine import Query, cube_sums


@dataclass(frozen=True)
class Rate:
    code: str
    label: str
    denominator: str  # SQL condition over p and i
    numerator: str  # SQL condition, counted among the denominator


RATES = {
    rate.code: rate
    for rate in (
        Rate(
            "penal_employed_6m",
            _("Persone in esecuzione penale occupate sei mesi dopo l'uscita"),
            f"p.penal_execution AND {SIX_MONTHS}",
            "p.followup_employed",
        ),
        Rate(
            "employed_6m",
            _("Partecipanti occupati sei mesi dopo l'uscita"),
            SIX_MONTHS,
            "p.followup_employed",
        ),
        Rate(
            "trafficking_employed_6m",
            _("Vittime di tratta occupate sei mesi dopo l'uscita"),
            f"p.trafficking_victim AND {SIX_MONTHS}",
            "p.followup_employed",
        ),
        Rate(
            "disability_employed_6m",
            _("Persone con disabilità occupate sei mesi dopo l'uscita"),
            f"p.disability AND {SIX_MONTHS}",
            "p.followup_employed",
        ),
    )
}


def rate_query(rate: Rate, by=("region",), filters: dict | None = None) -> Query:
    """Denominator n and numerator events of `rate` by the interventions' columns in `by`,
    summed from the snapshot's cube (engine.cube_counts holds each rate's two counts)."""
    sums = [f'SUM(p."{rate.code}__n") AS n', f'SUM(p."{rate.code}__events") AS events']
    # A group whose interventions hold no record of the rate's denominator is left out.
    return cube_sums(
        sums, tuple(by), filters, having=f'SUM(p."{rate.code}__n") > 0', name=f"rate:{rate.code}"
    )


def participants_query(by=("region",), filters: dict | None = None) -> Query:
    """Participants by region (and period): the numerator of rates per resident."""
    return cube_sums(
        ["SUM(p.participants) AS participants"], tuple(by), filters, name="participants"
    )
