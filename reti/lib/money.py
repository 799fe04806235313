"""Money in Reti: euro amounts as Decimal with two places, one rounding rule (grants, csr).

Every amount that is stored, compared with a budget or shown goes through `quantize`: half up
to the cent (ROUND_HALF_UP, the rule of Italian accounting and of the ESF+ cost statements),
whatever the caller's decimal context. Database fields use `max_digits=14, decimal_places=2`
(`MONEY_DIGITS`, `MONEY_PLACES`): up to 999,999,999,999.99 euro; `reti.lib.models.MoneyField`
is that field. No Django imports: pure code (a ranking, a financial state) may use it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY_DIGITS = 14
MONEY_PLACES = 2
ROUNDING = ROUND_HALF_UP


def quantize(amount: Decimal | int | str) -> Decimal:
    """The amount to the cent, half up; refuses floats (binary fractions are not money)."""
    if isinstance(amount, float):
        raise TypeError("money is given as Decimal, int or str, never float")
    try:
        value = Decimal(amount)
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {amount!r}") from error
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    return value.quantize(CENT, rounding=ROUNDING)


def share(amount: Decimal, rate: Decimal) -> Decimal:
    """`rate` (a fraction, 0.8 for 80 %) of `amount`, to the cent, half up."""
    return quantize(Decimal(amount) * Decimal(rate))
