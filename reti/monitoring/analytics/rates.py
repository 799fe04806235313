"""Rates by region: counts of a numerator among a denominator, defined once as SQL conditions."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .definitions import SIX_MONTHS
from .engine import Query, _where


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
    """Denominator n and numerator events of `rate` by the interventions' columns in `by`."""
    columns = {"region": "p.region_code", "macro_area": "p.macro_area", "period": "p.period_code"}
    keys = [f"{columns[name]} AS {name}" for name in by]
    where, params = _where(filters)
    condition = f"({rate.denominator})"
    where = f"{where} AND {condition}" if where else f" WHERE {condition}"
    group = ", ".join(columns[name] for name in by)
    sql = (
        f"SELECT {', '.join(keys)}, COUNT(*) AS n,"
        f" COUNT_IF(COALESCE({rate.numerator}, FALSE)) AS events"
        f" FROM prepared p{where} GROUP BY {group} ORDER BY {group}"
    )
    return Query(" ".join(sql.split()), params)


def participants_query(by=("region",), filters: dict | None = None) -> Query:
    """Participants by region (and period): the numerator of rates per resident."""
    columns = {"region": "p.region_code", "period": "p.period_code"}
    keys = [f"{columns[name]} AS {name}" for name in by]
    where, params = _where(filters)
    group = ", ".join(columns[name] for name in by)
    sql = (
        f"SELECT {', '.join(keys)}, COUNT(*) AS participants FROM prepared p{where}"
        f" GROUP BY {group} ORDER BY {group}"
    )
    return Query(sql, params)
