from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.uploads import MAX_BYTES
from reti.lib.uploads import Kind as _Kind


class Attachment(models.Model):
    """A document or image attached to a practice; its text is extracted in the background."""

    Kind = _Kind  # the kinds reti.lib.uploads accepts

    class Extraction(models.TextChoices):
        PENDING = "pending", _("In attesa")
        DONE = "done", _("Testo estratto")
        FAILED = "failed", _("Estrazione non riuscita")
        NOT_APPLICABLE = "none", _("Immagine: nessun testo")

    # Kinds whose text is extracted; images carry none.
    TEXT_KINDS = (Kind.PDF, Kind.DOCX, Kind.ODT)

    practice = models.ForeignKey(
        "knowledge.GoodPractice",
        verbose_name=_("pratica"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="knowledge/attachments/%Y/%m/", max_length=300)
    original_name = models.CharField(_("nome del file"), max_length=255)
    title = models.CharField(_("titolo"), max_length=300, blank=True)
    kind = models.CharField(_("tipo"), max_length=4, choices=Kind.choices)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    extracted_text = models.TextField(_("testo estratto"), blank=True)
    extraction_status = models.CharField(
        _("estrazione del testo"),
        max_length=8,
        choices=Extraction.choices,
        default=Extraction.PENDING,
    )
    extraction_error = models.CharField(_("errore di estrazione"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("dato sintetico"), default=False, db_index=True)
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["extracted_text"])

    class Meta:
        ordering = ["practice_id", "id"]
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=MAX_BYTES),
                name="attachment_at_most_20_mb",
                violation_error_message=_("Un allegato non può superare i 20 MB."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["pdf", "docx", "odt", "png", "jpeg"]),
                name="attachment_kind_known",
            ),
            models.CheckConstraint(
                condition=~Q(extraction_status="failed") | ~Q(extraction_error=""),
                name="attachment_failure_has_reason",
            ),
        ]

    def __str__(self):
        return self.title or self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind in (self.Kind.PNG, self.Kind.JPEG)
