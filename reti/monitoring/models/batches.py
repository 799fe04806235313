from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded file of participant records and what became of it (the import log).

    An accepted batch either replaces the intervention's records (the file is the whole list)
    or adds to them (people already recorded are re-entries). The same content (sha256) as
    an accepted batch of the same intervention changes nothing.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("In coda")
        RUNNING = "running", _("In corso")
        ACCEPTED = "accepted", _("Accettato")
        REJECTED = "rejected", _("Respinto")
        DUPLICATE = "duplicate", _("Già caricato: nessuna modifica")
        REPLACED = "replaced", _("Sostituito")
        FAILED = "failed", _("Errore interno")

    class Failure(models.TextChoices):
        """Why a batch failed, as the batch page and the API tell its uploader."""

        NONE = "", ""
        ERROR = (
            "error",
            _(
                "Errore interno durante l'importazione: nessun dato è stato salvato e il file "
                "caricato è stato cancellato. Caricare di nuovo il file; se l'errore si ripete, "
                "segnalarlo all'assistenza."
            ),
        )
        ABANDONED = (
            "abandoned",
            _(
                "L'importazione si è interrotta perché il processo che la eseguiva è terminato "
                "(ad esempio un riavvio del server): nessun dato è stato salvato e il file "
                "caricato è stato cancellato. Caricare di nuovo il file."
            ),
        )
        INTERRUPTED = (
            "interrupted",
            _(
                "L'importazione è stata interrotta dall'arresto del servizio: nessun dato è stato "
                "salvato e il file caricato è stato cancellato. Caricare di nuovo il file."
            ),
        )

    class Mode(models.TextChoices):
        REPLACE = "replace", _("Sostituisce i dati caricati in precedenza")
        APPEND = "append", _("Aggiunge ai dati caricati in precedenza")

    intervention = models.ForeignKey(
        "monitoring.Intervention",
        verbose_name=_("intervento"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    file_name = models.CharField(_("nome del file"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("dimensione (byte)"), default=0)
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64, db_index=True)
    mode = models.CharField(_("modalità"), max_length=8, choices=Mode.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caricato da"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)
    finished_at = models.DateTimeField(_("concluso il"), null=True, blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    rows_read = models.PositiveIntegerField(_("righe lette"), default=0)
    rows_created = models.PositiveIntegerField(_("record creati"), default=0)
    rows_updated = models.PositiveIntegerField(_("record aggiornati (rientri)"), default=0)
    rows_removed = models.PositiveIntegerField(_("record sostituiti"), default=0)
    error_count = models.PositiveIntegerField(_("errori"), default=0)
    report = models.JSONField(
        _("rapporto di validazione"),
        default=list,
        blank=True,
        help_text=_("Gli errori: [riga, colonna, valore mascherato, motivo]."),
    )
    replaced_batch = models.OneToOneField(
        "self",
        verbose_name=_("caricamento sostituito"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    stored_file = models.CharField(_("file in lavorazione"), max_length=300, blank=True)
    failure = models.CharField(
        _("motivo dell'errore"), max_length=12, choices=Failure.choices, blank=True, default=""
    )
    confirm_shrink = models.BooleanField(
        _("riduzione confermata"),
        default=False,
        help_text=_(
            "Chi ha caricato il file ha confermato che può sostituire i record "
            "dell'intervento con meno della metà di essi."
        ),
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("caricamento")
        verbose_name_plural = _("caricamenti")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="rejected") | Q(error_count=0),
                name="batch_errors_only_rejected",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)


class ParticipantAccessLog(models.Model):
    """Who read, exported, imported or erased participant-level data, and when (append-only)."""

    class Action(models.TextChoices):
        READ = "read", _("Lettura")
        EXPORT = "export", _("Esportazione")
        IMPORT = "import", _("Caricamento")
        ERASE = "erase", _("Cancellazione di una persona")
        REFUSED = "refused", _("Accesso negato")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("il"), auto_now_add=True, db_index=True)
    action = models.CharField(_("azione"), max_length=8, choices=Action.choices)
    intervention = models.ForeignKey(
        "monitoring.Intervention",
        verbose_name=_("intervento"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    what = models.CharField(_("che cosa"), max_length=300)
    record_count = models.PositiveIntegerField(_("record"), default=0)
    channel = models.CharField(_("canale"), max_length=12, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("accesso ai dati dei partecipanti")
        verbose_name_plural = _("accessi ai dati dei partecipanti")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.what}"
