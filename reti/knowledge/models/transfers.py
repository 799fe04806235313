from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import Provenance, end_after_start, translated


class Transfer(Provenance):
    """A practice taken up by another organisation or region: a network's learning outcome."""

    class Stage(models.TextChoices):
        INTEREST = "interest", _("Interesse manifestato")
        STUDY_VISIT = "study_visit", _("Visita di studio svolta")
        ADAPTATION = "adaptation", _("Adattamento pianificato")
        IMPLEMENTATION = "implementation", _("In attuazione")
        ADOPTED = "adopted", _("Adottata")

    # In order: a transfer moves forward through these.
    ORDER = [stage.value for stage in Stage]

    practice = models.ForeignKey(
        "knowledge.GoodPractice",
        verbose_name=_("pratica"),
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    adopting_organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organizzazione che adotta"),
        on_delete=models.PROTECT,
        related_name="adopted_practices",
    )
    adopting_region = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("regione che adotta"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adopted_practices",
    )
    stage = models.CharField(_("fase"), max_length=14, choices=Stage.choices, db_index=True)
    adapted_it = models.TextField(_("cosa è stato adattato (italiano)"), blank=True)
    adapted_en = models.TextField(_("cosa è stato adattato (inglese)"), blank=True)
    results_it = models.TextField(_("risultati (italiano)"), blank=True)
    results_en = models.TextField(_("risultati (inglese)"), blank=True)
    start_date = models.DateField(_("inizio"), null=True, blank=True)
    end_date = models.DateField(_("adozione o fine"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("trasferimento")
        verbose_name_plural = _("trasferimenti")
        constraints = [
            end_after_start("transfer_end_after_start"),
            models.UniqueConstraint(
                fields=["practice", "adopting_organisation"],
                name="transfer_unique_per_organisation",
                violation_error_message=_(
                    "Questa organizzazione ha già un trasferimento di questa pratica."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    stage__in=["interest", "study_visit", "adaptation", "implementation", "adopted"]
                ),
                name="transfer_stage_known",
            ),
            models.CheckConstraint(
                condition=~Q(stage="adopted") | Q(start_date__isnull=False),
                name="transfer_adopted_has_start",
                violation_error_message=_("Un'adozione deve avere una data di inizio."),
            ),
        ]

    def __str__(self):
        return f"{self.practice} → {self.adopting_organisation} ({self.get_stage_display()})"

    @property
    def adapted(self):
        return translated(self, "adapted")

    @property
    def results(self):
        return translated(self, "results")

    def clean(self):
        if (
            self.practice_id
            and self.adopting_organisation_id
            and Transfer.objects.filter(
                practice_id=self.practice_id, adopting_organisation_id=self.adopting_organisation_id
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {
                    "adopting_organisation": _(
                        "Questa organizzazione ha già un trasferimento di questa pratica."
                    )
                }
            )
        if (
            self.practice_id
            and self.adopting_organisation_id
            and self.adopting_organisation_id == self.practice.lead_organisation_id
        ):
            raise ValidationError(
                {
                    "adopting_organisation": _(
                        "La capofila non può trasferire la pratica a sé stessa."
                    )
                }
            )
