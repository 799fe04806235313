from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import translated


class IndicatorDefinition(models.Model):
    """A monitoring indicator, declared once: an EU common indicator or a programme's own.

    The common ones come from data/indicators.yaml (`reti load-indicators`); `sql_key` names
    the SQL expression of the analytics engine (reti/monitoring/analytics) that computes it.
    """

    class Subject(models.TextChoices):
        PARTICIPANTS = "participants", _("Partecipanti")
        ENTITIES = "entities", _("Soggetti")

    class Kind(models.TextChoices):
        OUTPUT = "output", _("Realizzazione")
        RESULT = "result", _("Risultato")

    class Unit(models.TextChoices):
        PERSONS = "persons", _("Persone")
        ENTITIES = "entities", _("Soggetti")
        PROJECTS = "projects", _("Progetti")
        EURO = "euro", _("Euro")

    code = models.CharField(_("codice"), max_length=20, unique=True)
    name_it = models.CharField(_("nome (italiano)"), max_length=300)
    name_en = models.CharField(_("nome (inglese)"), max_length=300)
    definition_it = models.TextField(_("definizione (italiano)"), blank=True)
    definition_en = models.TextField(_("definizione (inglese)"), blank=True)
    subject = models.CharField(_("oggetto"), max_length=12, choices=Subject.choices)
    kind = models.CharField(_("tipo"), max_length=8, choices=Kind.choices)
    unit = models.CharField(_("unità di misura"), max_length=10, choices=Unit.choices)
    breakdowns = models.JSONField(
        _("disaggregazioni"),
        default=list,
        blank=True,
        help_text=_('Es. ["gender"]: ogni indicatore sui partecipanti è disaggregato per genere.'),
    )
    period = models.ForeignKey(
        "registry.ProgrammingPeriod",
        verbose_name=_("periodo di programmazione"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    common = models.BooleanField(
        _("indicatore comune UE"),
        default=False,
        help_text=_("Dichiarato da un regolamento; altrimenti specifico del programma."),
    )
    source_regulation = models.CharField(_("fonte: atto"), max_length=200, blank=True)
    source_annex = models.CharField(_("fonte: allegato"), max_length=20, blank=True)
    source_point = models.CharField(_("fonte: punto"), max_length=60, blank=True)
    sql_key = models.CharField(
        _("chiave SQL"),
        max_length=40,
        blank=True,
        help_text=_("Nome dell'espressione SQL del motore di analisi (di norma il codice)."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicatore")
        verbose_name_plural = _("indicatori")

    def __str__(self):
        return f"{self.code} — {self.name}"

    def clean(self):
        # JSON containment has no portable check constraint (SQLite lacks it): checked here.
        if self.subject == self.Subject.PARTICIPANTS and "gender" not in (self.breakdowns or []):
            raise ValidationError(
                {"breakdowns": _("Ogni indicatore sui partecipanti è disaggregato per genere.")}
            )

    @property
    def name(self):
        return translated(self, "name")

    @property
    def definition(self):
        return translated(self, "definition")

    @property
    def source(self) -> str:
        parts = [self.source_regulation]
        if self.source_annex:
            parts.append(f"Annex {self.source_annex}")
        if self.source_point:
            parts.append(self.source_point)
        return ", ".join(p for p in parts if p)


class IndicatorTarget(models.Model):
    """The value an intervention aims at for one indicator (valore obiettivo)."""

    intervention = models.ForeignKey(
        "monitoring.Intervention",
        verbose_name=_("intervento"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    indicator = models.ForeignKey(
        IndicatorDefinition,
        verbose_name=_("indicatore"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    target = models.DecimalField(_("valore obiettivo"), max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["intervention_id", "indicator__code"]
        verbose_name = _("valore obiettivo")
        verbose_name_plural = _("valori obiettivo")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "indicator"],
                name="indicator_target_unique",
                violation_error_message=_("Obiettivo già fissato per questo indicatore."),
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0),
                name="indicator_target_not_negative",
                violation_error_message=_("Il valore obiettivo non può essere negativo."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code}: {self.target}"
