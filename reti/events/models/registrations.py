from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

ACTIVE = ~Q(status="cancelled")


class Registration(models.Model):
    """A person's registration to an event: confirmed, on the waiting list, or cancelled."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confermata")
        WAITLISTED = "waitlisted", _("In lista d'attesa")
        CANCELLED = "cancelled", _("Annullata")

    class Language(models.TextChoices):
        IT = "it", _("Italiano")
        EN = "en", _("Inglese")

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("evento"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(_("nome e cognome"), max_length=200)
    email = models.EmailField(_("e-mail"))
    affiliation = models.CharField(_("ente di appartenenza"), max_length=300, blank=True)
    language = models.CharField(
        _("lingua"), max_length=2, choices=Language.choices, default=Language.IT
    )
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, db_index=True)
    position = models.PositiveIntegerField(
        _("posizione"),
        help_text=_("Ordine di iscrizione; la lista d'attesa scorre in quest'ordine."),
    )
    public_consent = models.BooleanField(
        _("consenso a comparire nell'elenco pubblico dei partecipanti"), default=False
    )
    attended = models.BooleanField(_("presente"), null=True, blank=True)
    synthetic = models.BooleanField(_("dato sintetico"), default=False, db_index=True)
    created_at = models.DateTimeField(_("iscritto il"), auto_now_add=True)
    promoted_at = models.DateTimeField(
        _("confermata dalla lista d'attesa il"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("annullata il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event_id", "position"]
        verbose_name = _("iscrizione")
        verbose_name_plural = _("iscrizioni")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "position"], name="registration_position_unique"
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=ACTIVE,
                name="registration_one_active_per_email",
                violation_error_message=_("Questa persona è già iscritta all'evento."),
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=ACTIVE & Q(user__isnull=False),
                name="registration_one_active_per_user",
                violation_error_message=_("Questa persona è già iscritta all'evento."),
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "position"], name="registration_queue_idx")
        ]

    def __str__(self):
        return f"{self.name} — {self.event} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED
