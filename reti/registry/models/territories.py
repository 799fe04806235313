from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reti.lib.models import translated


class TerritoryQuerySet(models.QuerySet):
    def by_code(self, code: str):
        """The territory with this Reti code, NUTS code or ISO 3166 code; raises DoesNotExist."""
        code = (code or "").strip()
        found = list(self.filter(Q(code=code) | Q(nuts_code=code) | Q(iso_code=code))[:2])
        exact = [t for t in found if t.code == code]
        if exact:
            return exact[0]
        if len(found) == 1:
            return found[0]
        if not found:
            raise self.model.DoesNotExist(f"unknown territory code {code!r}")
        raise self.model.MultipleObjectsReturned(f"ambiguous territory code {code!r}")


class Territory(models.Model):
    """A country, an Italian macro-area, region, autonomous province, province or municipality.

    `code` is the ISTAT code for Italian units (2 digits a region, 3 a province, 6 a
    municipality), ISO 3166-1 alpha-2 for countries and the NUTS code for macro-areas and
    foreign regions.
    """

    class Level(models.TextChoices):
        COUNTRY = "country", _("Paese")
        MACRO_AREA = "macro_area", _("Ripartizione geografica")
        REGION = "region", _("Regione")
        AUTONOMOUS_PROVINCE = "autonomous_province", _("Provincia autonoma")
        PROVINCE = "province", _("Provincia o città metropolitana")
        MUNICIPALITY = "municipality", _("Comune")
        FOREIGN_REGION = "foreign_region", _("Regione estera")

    code = models.CharField(_("codice"), max_length=12, unique=True)
    level = models.CharField(_("livello"), max_length=20, choices=Level.choices, db_index=True)
    name_it = models.CharField(_("nome (italiano)"), max_length=200)
    name_en = models.CharField(_("nome (inglese)"), max_length=200, blank=True)
    nuts_code = models.CharField(_("codice NUTS"), max_length=8, blank=True, db_index=True)
    iso_code = models.CharField(_("codice ISO 3166"), max_length=8, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("territorio superiore"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("territorio")
        verbose_name_plural = _("territori")
        indexes = [models.Index(fields=["level", "name_it"])]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return translated(self, "name")

    @property
    def is_italian(self) -> bool:
        return self.code == "IT" or self.code[:1].isdigit() or self.nuts_code.startswith("IT")
