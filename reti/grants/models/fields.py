"""Field helpers of the grants models. Money is `reti.lib.models.MoneyField` (csr uses it
too); the name stays importable here because the grants and csr migrations written before
it moved name this module.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from reti.lib.models import MoneyField

__all__ = ["MoneyField", "rate_field"]


def rate_field(verbose_name, **kwargs):
    """A fraction between 0 and 1 with four places (0.2000 for 20 %)."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        **kwargs,
    )
