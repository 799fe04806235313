from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from reti.lib.models import translated


class ProgrammingPeriod(models.Model):
    """Periodo di programmazione (1994-1999 ... 2021-2027)."""

    code = models.CharField(_("codice"), max_length=9, unique=True)
    start_year = models.PositiveSmallIntegerField(_("anno di inizio"))
    end_year = models.PositiveSmallIntegerField(_("anno di fine"))

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("periodo di programmazione")
        verbose_name_plural = _("periodi di programmazione")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="period_end_after_start"
            )
        ]

    def __str__(self):
        return self.code


class Fund(models.Model):
    """Fondo (FSE, FSE+, FESR, ...)."""

    code = models.CharField(_("codice"), max_length=12, unique=True)
    name_it = models.CharField(_("nome (italiano)"), max_length=200)
    name_en = models.CharField(_("nome (inglese)"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("fondo")
        verbose_name_plural = _("fondi")

    def __str__(self):
        return self.code

    @property
    def name(self):
        return translated(self, "name")


class Theme(models.Model):
    """A node of the theme taxonomy (inclusione sociale, RSI, ...)."""

    code = models.SlugField(_("codice"), max_length=60, unique=True)
    name_it = models.CharField(_("nome (italiano)"), max_length=200)
    name_en = models.CharField(_("nome (inglese)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("tema padre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("tema")
        verbose_name_plural = _("temi")

    def __str__(self):
        return self.name_it

    @property
    def name(self):
        return translated(self, "name")
