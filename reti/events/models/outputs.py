from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..uploads import validate_document


def _document_path(document, filename: str) -> str:
    return f"events/{document.event_id}/{filename}"


class EventDocument(models.Model):
    """A file an event produced or used: minutes, a presentation, a report."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Verbale")
        PRESENTATION = "presentation", _("Presentazione")
        REPORT = "report", _("Rapporto")
        OTHER = "other", _("Altro")

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("evento"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("titolo"), max_length=300)
    file = models.FileField(
        _("file"), upload_to=_document_path, max_length=300, validators=[validate_document]
    )
    size = models.PositiveBigIntegerField(_("dimensione (byte)"), default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caricato da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("caricato il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event_id", "kind", "id"]
        verbose_name = _("documento dell'evento")
        verbose_name_plural = _("documenti dell'evento")

    def __str__(self):
        return self.title


class PeerReviewPoint(models.Model):
    """In a peer review: a question the host asks, or a recommendation of the peers."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Domanda dell'ente ospitante")
        RECOMMENDATION = "recommendation", _("Raccomandazione dei pari")

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("evento"),
        on_delete=models.CASCADE,
        related_name="review_points",
    )
    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("testo"))
    answers = models.ForeignKey(
        "self",
        verbose_name=_("risponde alla domanda"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
        limit_choices_to={"kind": "question"},
    )
    author = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("proposta da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event_id", "kind", "id"]
        verbose_name = _("punto della peer review")
        verbose_name_plural = _("punti della peer review")

    def __str__(self):
        return self.text[:80]


class FollowUpItem(models.Model):
    """A follow-up to-do after a peer review: who does what by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Da fare")
        IN_PROGRESS = "in_progress", _("In corso")
        DONE = "done", _("Fatto")
        DROPPED = "dropped", _("Abbandonato")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("evento"),
        on_delete=models.CASCADE,
        related_name="follow_up",
    )
    recommendation = models.ForeignKey(
        PeerReviewPoint,
        verbose_name=_("raccomandazione"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_up",
        limit_choices_to={"kind": "recommendation"},
    )
    title = models.CharField(_("attività"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsabile"),
        on_delete=models.PROTECT,
        related_name="event_follow_up",
    )
    due_date = models.DateField(_("scadenza"), db_index=True)
    status = models.CharField(
        _("stato"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    note = models.TextField(_("nota"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event_id", "due_date", "id"]
        verbose_name = _("attività di follow-up")
        verbose_name_plural = _("attività di follow-up")

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ReminderSent(models.Model):
    """A reminder e-mail already sent for a follow-up item: it is never sent twice."""

    item = models.ForeignKey(
        FollowUpItem,
        verbose_name=_("attività"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    days_before = models.SmallIntegerField(_("giorni prima della scadenza"))
    due_date = models.DateField(_("scadenza ricordata"))
    sent_at = models.DateTimeField(_("inviato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("promemoria inviato")
        verbose_name_plural = _("promemoria inviati")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "days_before", "due_date"], name="reminder_sent_once"
            )
        ]

    def __str__(self):
        return f"{self.item} — {self.days_before}"
