from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import Provenance, translated


class Source(models.Model):
    """A document facts were taken from, such as the 2011 presentation."""

    key = models.SlugField(_("chiave"), max_length=60, unique=True)
    title = models.CharField(_("titolo"), max_length=300)
    place = models.CharField(_("luogo"), max_length=120, blank=True)
    date = models.DateField(_("data"), null=True, blank=True)
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        verbose_name = _("fonte")
        verbose_name_plural = _("fonti")

    def __str__(self):
        return self.title


class Statement(Provenance):
    """A fact a source states about the cooperation as a whole rather than about one record:
    slide 2's origins of the Regions' networks and projects, and what they are for."""

    key = models.SlugField(_("chiave"), max_length=80, unique=True)
    title_it = models.CharField(_("titolo (italiano)"), max_length=300)
    title_en = models.CharField(_("titolo (inglese)"), max_length=300, blank=True)
    since_period = models.ForeignKey(
        "registry.ProgrammingPeriod",
        verbose_name=_("dalla fine del periodo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text_it = models.TextField(_("testo (italiano)"), blank=True)
    text_en = models.TextField(_("testo (inglese)"), blank=True)
    points_it = models.TextField(_("punti (italiano)"), blank=True, help_text=_("Uno per riga."))
    points_en = models.TextField(_("punti (inglese)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        verbose_name = _("affermazione della fonte")
        verbose_name_plural = _("affermazioni della fonte")

    def __str__(self):
        return self.title

    @property
    def title(self):
        return translated(self, "title")

    @property
    def text(self):
        return translated(self, "text")

    @property
    def points(self) -> list[str]:
        return [line.strip() for line in translated(self, "points").splitlines() if line.strip()]


def overlaps(start_a, end_a, start_b, end_b) -> bool:
    """Whether two date ranges overlap; a missing bound is open."""
    return (end_b is None or start_a is None or start_a <= end_b) and (
        end_a is None or start_b is None or start_b <= end_a
    )
