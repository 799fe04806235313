from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

GENDERS = ("female", "male", "non_binary")
STATUSES = ("unemployed", "inactive", "employed")


class ParticipantRecord(models.Model):
    """One person's participation in one intervention, pseudonymised.

    The person is known only by `person_key`, the keyed hash of the codice fiscale
    (reti.monitoring.pseudonym); the clear code is never stored. Not in simple-history: the
    audit trail of these rows is the import batch log and the access log. The fields are those
    of participants.parquet (docs/monitoring.md).
    """

    class Gender(models.TextChoices):
        FEMALE = "female", _("Donna")
        MALE = "male", _("Uomo")
        NON_BINARY = "non_binary", _("Non binario")

    class Status(models.TextChoices):
        UNEMPLOYED = "unemployed", _("Disoccupato")
        INACTIVE = "inactive", _("Inattivo")
        EMPLOYED = "employed", _("Occupato, anche autonomo")

    intervention = models.ForeignKey(
        "monitoring.Intervention",
        verbose_name=_("intervento"),
        on_delete=models.PROTECT,
        related_name="participants",
    )
    batch = models.ForeignKey(
        "monitoring.ImportBatch",
        verbose_name=_("caricamento"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
        help_text=_("Il caricamento che ha scritto per ultimo il record."),
    )
    # No index of its own: the unique (intervention, person_key) serves every lookup (an
    # erasure passes the interventions), and an import then updates one index in random order.
    person_key = models.CharField(_("chiave pseudonima"), max_length=64)
    gender = models.CharField(_("genere"), max_length=10, choices=Gender.choices)
    age_at_entry = models.PositiveSmallIntegerField(_("età all'ingresso"))
    entry_date = models.DateField(_("data di ingresso"))
    exit_date = models.DateField(_("data di uscita"), null=True, blank=True)
    status_at_entry = models.CharField(
        _("condizione all'ingresso"), max_length=10, choices=Status.choices
    )
    long_term_unemployed = models.BooleanField(_("disoccupato di lunga durata"), default=False)
    inactive_not_in_education = models.BooleanField(
        _("inattivo non in istruzione o formazione"), default=False
    )
    isced = models.PositiveSmallIntegerField(_("livello ISCED"), null=True, blank=True)
    disability = models.BooleanField(_("persona con disabilità"), default=False)
    third_country_national = models.BooleanField(_("cittadino di paese terzo"), default=False)
    foreign_background = models.BooleanField(_("di origine straniera"), default=False)
    minority = models.BooleanField(_("appartenente a una minoranza"), default=False)
    homeless = models.BooleanField(_("senza dimora o escluso dall'alloggio"), default=False)
    rural_area = models.BooleanField(_("residente in zona rurale"), default=False)
    penal_execution = models.BooleanField(_("persona in esecuzione penale"), default=False)
    trafficking_victim = models.BooleanField(_("vittima di tratta"), default=False)
    other_disadvantaged = models.BooleanField(_("altro svantaggio"), default=False)
    leaving_observed_on = models.DateField(_("situazione all'uscita rilevata il"), null=True)
    leaving_job_searching = models.BooleanField(_("in cerca di lavoro all'uscita"), null=True)
    leaving_in_education = models.BooleanField(
        _("in istruzione o formazione all'uscita"), null=True
    )
    leaving_qualification = models.BooleanField(_("qualifica ottenuta all'uscita"), null=True)
    leaving_employed = models.BooleanField(_("occupato all'uscita"), null=True)
    followup_observed_on = models.DateField(_("situazione a sei mesi rilevata il"), null=True)
    followup_employed = models.BooleanField(_("occupato sei mesi dopo l'uscita"), null=True)
    followup_improved = models.BooleanField(
        _("situazione migliorata sei mesi dopo l'uscita"), null=True
    )
    synthetic = models.BooleanField(_("dato sintetico"), default=False, db_index=True)

    class Meta:
        ordering = ["intervention_id", "id"]
        verbose_name = _("record di partecipante")
        verbose_name_plural = _("record di partecipanti")
        permissions = [
            (
                "audit_participants",
                _("Può leggere ed esportare i dati dei partecipanti di ogni ente (revisore)"),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "person_key"], name="participant_once_per_intervention"
            ),
            models.CheckConstraint(
                condition=Q(age_at_entry__gte=0, age_at_entry__lte=120),
                name="participant_age_0_120",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                name="participant_exit_after_entry",
            ),
            models.CheckConstraint(
                condition=Q(gender__in=GENDERS), name="participant_gender_known"
            ),
            models.CheckConstraint(
                condition=Q(status_at_entry__in=STATUSES),
                name="participant_status_known",
            ),
            models.CheckConstraint(
                condition=Q(long_term_unemployed=False) | Q(status_at_entry="unemployed"),
                name="participant_long_term_only_unemployed",
            ),
            models.CheckConstraint(
                condition=Q(inactive_not_in_education=False) | Q(status_at_entry="inactive"),
                name="participant_not_in_education_only_inactive",
            ),
            models.CheckConstraint(
                condition=Q(isced__isnull=True) | Q(isced__gte=0, isced__lte=8),
                name="participant_isced_0_8",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=False)
                | Q(
                    leaving_observed_on__isnull=True,
                    followup_observed_on__isnull=True,
                    followup_employed__isnull=True,
                    followup_improved__isnull=True,
                ),
                name="participant_results_only_after_exit",
            ),
        ]

    def __str__(self):
        return f"{self.intervention_id}/{self.person_key[:8]}…"
