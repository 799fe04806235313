"""Field helpers of the grants models: money to the cent through `reti.grants.money`."""

from django.core.validators import MinValueValidator
from django.db import models

from ..money import MONEY_DIGITS, MONEY_PLACES, ZERO, quantize


class MoneyField(models.DecimalField):
    """Euro to the cent (Decimal 14,2), never negative; values pass through `quantize`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MONEY_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_PLACES)
        kwargs.setdefault("validators", [MinValueValidator(ZERO)])
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return None if value is None else quantize(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else quantize(value)


def rate_field(verbose_name, **kwargs):
    """A fraction between 0 and 1 with four places (0.2000 for 20 %)."""
    from django.core.validators import MaxValueValidator

    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        **kwargs,
    )
