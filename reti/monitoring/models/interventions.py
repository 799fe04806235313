from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import end_after_start, translated

REGION_LEVELS = ("region", "autonomous_province")


class Intervention(models.Model):
    """An intervention (operazione): what participants take part in, run by organisations."""

    class Instrument(models.TextChoices):
        GLOBAL_GRANT = "sovvenzione_globale", _("Sovvenzione Globale (piccoli sussidi)")
        ORDINARY_CALL = "ordinary_call", _("Avviso pubblico ordinario")
        DIRECT_AWARD = "direct_award", _("Affidamento diretto")
        OTHER = "other", _("Altro")

    code = models.CharField(
        _("codice"),
        max_length=40,
        unique=True,
        help_text=_("CUP o codice dell'intervento nel sistema di monitoraggio regionale."),
    )
    title_it = models.CharField(_("titolo (italiano)"), max_length=400)
    title_en = models.CharField(_("titolo (inglese)"), max_length=400, blank=True)
    project = models.ForeignKey(
        "registry.Project",
        verbose_name=_("progetto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organizzazione titolare"),
        on_delete=models.PROTECT,
        related_name="owned_interventions",
        help_text=_("Chi detiene i dati dei partecipanti e li carica."),
    )
    implementers = models.ManyToManyField(
        "registry.Organisation",
        verbose_name=_("soggetti attuatori"),
        blank=True,
        related_name="implemented_interventions",
    )
    region = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("regione o provincia autonoma"),
        on_delete=models.PROTECT,
        related_name="interventions",
        limit_choices_to={"level__in": REGION_LEVELS},
    )
    period = models.ForeignKey(
        "registry.ProgrammingPeriod",
        verbose_name=_("periodo di programmazione"),
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    fund = models.ForeignKey(
        "registry.Fund",
        verbose_name=_("fondo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    instrument = models.CharField(
        _("strumento"), max_length=24, choices=Instrument.choices, db_index=True
    )
    budget = models.DecimalField(
        _("budget (euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField(_("inizio"))
    end_date = models.DateField(_("fine"))
    synthetic = models.BooleanField(
        _("dato sintetico"),
        default=False,
        db_index=True,
        help_text=_("Generato per dimostrazione: non descrive interventi reali."),
    )
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[implementers])

    class Meta:
        ordering = ["code"]
        verbose_name = _("intervento")
        verbose_name_plural = _("interventi")
        indexes = [models.Index(fields=["organisation", "code"], name="intervention_owner_idx")]
        constraints = [
            end_after_start("intervention_end_after_start"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="intervention_budget_not_negative",
                violation_error_message=_("Il budget non può essere negativo."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    @property
    def title(self):
        return translated(self, "title")


class InterventionTargetGroup(models.Model):
    """A group of people the intervention is for (destinatari)."""

    class Group(models.TextChoices):
        PENAL_EXECUTION = "penal_execution", _("Persone in esecuzione penale")
        TRAFFICKING_VICTIMS = "trafficking_victims", _("Vittime di tratta")
        DISABILITY = "disability", _("Persone con disabilità")
        YOUTH = "youth", _("Giovani")
        LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Disoccupati di lunga durata")
        MIGRANTS = "migrants", _("Migranti")
        HOMELESS = "homeless", _("Persone senza dimora")
        WOMEN = "women", _("Donne")
        OTHER = "other", _("Altri svantaggiati")

    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervento"),
        on_delete=models.CASCADE,
        related_name="target_groups",
    )
    group = models.CharField(_("destinatari"), max_length=24, choices=Group.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["intervention_id", "group"]
        verbose_name = _("gruppo di destinatari")
        verbose_name_plural = _("gruppi di destinatari")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "group"],
                name="target_group_unique",
                violation_error_message=_("Gruppo già indicato per questo intervento."),
            )
        ]

    def __str__(self):
        return self.get_group_display()


class SupportedEntity(models.Model):
    """An entity supported by the intervention, counted by the entity indicators (EECO18...)."""

    class Kind(models.TextChoices):
        PUBLIC_ADMINISTRATION = "public_administration", _("Pubblica amministrazione")
        SME = "sme", _("Piccola o media impresa")
        SOCIAL_ECONOMY = "social_economy", _("Impresa dell'economia sociale")
        NGO = "ngo", _("Organizzazione non governativa")
        OTHER = "other", _("Altro")

    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervento"),
        on_delete=models.CASCADE,
        related_name="supported_entities",
    )
    kind = models.CharField(_("tipo"), max_length=24, choices=Kind.choices)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organizzazione"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supported_by",
    )
    name = models.CharField(_("nome"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("dato sintetico"), default=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["intervention_id", "id"]
        verbose_name = _("soggetto sostenuto")
        verbose_name_plural = _("soggetti sostenuti")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "organisation"],
                name="supported_entity_unique",
                condition=Q(organisation__isnull=False),
                violation_error_message=_("Organizzazione già indicata per questo intervento."),
            )
        ]

    def __str__(self):
        return self.name or str(self.organisation or self.get_kind_display())
