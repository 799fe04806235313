from django.db import models
from django.utils.translation import gettext_lazy as _


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


def overlaps(start_a, end_a, start_b, end_b) -> bool:
    """Whether two date ranges overlap; a missing bound is open."""
    return (end_b is None or start_a is None or start_a <= end_b) and (
        end_a is None or start_b is None or start_b <= end_a
    )
