"""What the models of every app share: provenance, bilingual fields, date-range constraints,
money."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .money import MONEY_DIGITS, MONEY_PLACES, ZERO, quantize


class Provenance(models.Model):
    """Where a record comes from: a source and its slides, or synthetic demo data."""

    # Sources are the registry's documents (reti.registry.models.Source), named, not imported.
    source = models.ForeignKey(
        "registry.Source",
        verbose_name=_("fonte"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_slides = models.CharField(
        _("slide della fonte"), max_length=40, blank=True, help_text=_("Es. 7 oppure 7,8")
    )
    synthetic = models.BooleanField(
        _("dato sintetico"),
        default=False,
        db_index=True,
        help_text=_("Generato per dimostrazione: non descrive enti o progetti reali."),
    )
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def source_label(self) -> str:
        if self.synthetic:
            return str(_("dato sintetico"))
        if self.source_id and self.source_slides:
            return f"{self.source} — slide {self.source_slides}"
        return str(self.source or "")


def translated(obj, field: str) -> str:
    """The Italian or English value of `field`, falling back to Italian when a text is missing."""
    if (get_language() or "it").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_it")


def end_after_start(name: str, start: str = "start_date", end: str = "end_date"):
    """A check constraint: the end, when known, is not before the start, when known."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{start}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=_("La data di fine precede quella di inizio."),
    )


class MoneyField(models.DecimalField):
    """Euro to the cent (Decimal 14,2), never negative; values pass through `quantize`
    (reti.lib.money: half up)."""

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
