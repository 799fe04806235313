import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import Provenance, translated


class Event(Provenance):
    """A study visit, peer review, seminar or meeting organised within a network or project.

    The host, network, project and working group are kept as SET_NULL: an event stays in the
    record (and in the audit trail) when the registry record it hung from is removed.
    """

    class Kind(models.TextChoices):
        STUDY_VISIT = "study_visit", _("Visita di studio")
        PEER_REVIEW = "peer_review", _("Peer review")
        EXPERT_SEMINAR = "expert_seminar", _("Seminario con esperti")
        THEMATIC_MEETING = "thematic_meeting", _("Incontro tematico")
        WORKING_GROUP_MEETING = "working_group_meeting", _("Riunione del gruppo di lavoro")
        CONFERENCE = "conference", _("Conferenza")

    uid = models.UUIDField(
        _("identificativo iCalendar"), default=uuid.uuid4, unique=True, editable=False
    )
    kind = models.CharField(_("tipo"), max_length=24, choices=Kind.choices, db_index=True)
    title_it = models.CharField(_("titolo (italiano)"), max_length=300)
    title_en = models.CharField(_("titolo (inglese)"), max_length=300, blank=True)
    summary_it = models.TextField(_("descrizione (italiano)"), blank=True)
    summary_en = models.TextField(_("descrizione (inglese)"), blank=True)
    host = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("ente ospitante"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="hosted_events",
    )
    network = models.ForeignKey(
        "registry.Network",
        verbose_name=_("rete"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    project = models.ForeignKey(
        "registry.Project",
        verbose_name=_("progetto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    working_group = models.ForeignKey(
        "registry.WorkingGroup",
        verbose_name=_("gruppo di lavoro"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    themes = models.ManyToManyField(
        "registry.Theme", verbose_name=_("temi"), blank=True, related_name="events"
    )
    practices = models.ManyToManyField(
        "knowledge.GoodPractice",
        verbose_name=_("buone pratiche presentate o visitate"),
        blank=True,
        related_name="events",
    )
    place = models.CharField(
        _("luogo"), max_length=300, blank=True, help_text=_("Indirizzo e città; vuoto se online.")
    )
    online_url = models.URLField(_("collegamento online"), blank=True)
    start = models.DateTimeField(_("inizio"), db_index=True)
    end = models.DateTimeField(_("fine"))
    agenda_it = models.TextField(
        _("programma (italiano)"), blank=True, help_text=_("Un punto per riga, es. 09:30 Apertura.")
    )
    agenda_en = models.TextField(_("programma (inglese)"), blank=True)
    capacity = models.PositiveIntegerField(
        _("posti"), null=True, blank=True, help_text=_("Vuoto: senza limite di posti.")
    )
    registration_deadline = models.DateTimeField(
        _("iscrizioni entro"), null=True, blank=True, help_text=_("Vuoto: fino all'inizio.")
    )
    minutes_it = models.TextField(_("verbale (italiano)"), blank=True)
    minutes_en = models.TextField(_("verbale (inglese)"), blank=True)

    history = HistoricalRecords(m2m_fields=[themes, practices])

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")
        indexes = [
            models.Index(fields=["network", "start"], name="event_network_start_idx"),
            models.Index(fields=["host", "start"], name="event_host_start_idx"),
            # Upcoming and past lists: the first start among the events still to end, and
            # their count, read from the index without the rows.
            models.Index(fields=["start", "end"], name="event_start_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="event_end_after_start",
                violation_error_message=_("La fine dell'evento deve seguire l'inizio."),
            ),
            models.CheckConstraint(
                condition=models.Q(registration_deadline__isnull=True)
                | models.Q(registration_deadline__lte=models.F("end")),
                name="event_deadline_before_end",
                violation_error_message=_("La scadenza delle iscrizioni cade dopo l'evento."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # Named errors, so forms and the API point at the field (the constraints back them).
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("La fine dell'evento deve seguire l'inizio.")
        elif self.end and self.registration_deadline and self.registration_deadline > self.end:
            errors["registration_deadline"] = _("La scadenza delle iscrizioni cade dopo l'evento.")
        if errors:
            raise ValidationError(errors)

    @property
    def title(self):
        return translated(self, "title")

    @property
    def summary(self):
        return translated(self, "summary")

    @property
    def minutes(self):
        return translated(self, "minutes")

    @property
    def agenda(self) -> list[str]:
        return [line.strip() for line in translated(self, "agenda").splitlines() if line.strip()]

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    @property
    def registration_closes(self):
        """When registrations close: the deadline, or the start of the event."""
        return self.registration_deadline or self.start

    def registration_is_open(self) -> bool:
        return timezone.now() <= self.registration_closes

    @property
    def is_peer_review(self) -> bool:
        return self.kind == self.Kind.PEER_REVIEW
