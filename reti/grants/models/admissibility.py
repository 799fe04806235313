"""The istruttoria di ammissibilità's working records: the checklist and the soccorso istruttorio.

`AdmissibilityCheck` is one item of an application's checklist: an admissibility gate of the
call's merit grid (`source` "gate", judged by the officer) or a documentary check Reti
computes from the application (`source` "document": required attachments, grant requested,
co-financing, budget; the computed result and its detail are stored beside the officer's).
`DocumentRequest` is a soccorso istruttorio: the officer asks the applicant for a missing or
irregular document, or a clarification, by a deadline; the applicant answers in Reti before
it, by the server clock. The decision itself is `evaluation.Admissibility`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import translated

from .applications import MAX_ATTACHMENT_BYTES, Application
from .evaluation import Admissibility


class AdmissibilityCheck(models.Model):
    """Voce della checklist di ammissibilità: met, not met or still to record, with a note."""

    class Source(models.TextChoices):
        GATE = "gate", _("Requisito della griglia")
        DOCUMENT = "document", _("Verifica documentale")

    class Result(models.TextChoices):
        PENDING = "pending", _("Da verificare")
        MET = "met", _("Soddisfatto")
        NOT_MET = "not_met", _("Non soddisfatto")

    admissibility = models.ForeignKey(
        Admissibility,
        verbose_name=_("ammissibilità"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    code = models.CharField(_("codice"), max_length=40)
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    position = models.PositiveSmallIntegerField(_("posizione"))
    label_it = models.CharField(_("voce (italiano)"), max_length=300)
    label_en = models.CharField(_("voce (inglese)"), max_length=300, blank=True)
    guidance_it = models.TextField(_("indicazioni (italiano)"), blank=True)
    guidance_en = models.TextField(_("indicazioni (inglese)"), blank=True)
    computed = models.BooleanField(_("esito calcolato da Reti"), null=True, blank=True)
    detail_it = models.TextField(_("dettaglio del calcolo (italiano)"), blank=True)
    detail_en = models.TextField(_("dettaglio del calcolo (inglese)"), blank=True)
    result = models.CharField(
        _("esito"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    note = models.TextField(_("nota"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrato da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("registrato il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["admissibility", "position"]
        verbose_name = _("voce della checklist di ammissibilità")
        verbose_name_plural = _("voci della checklist di ammissibilità")
        constraints = [
            models.UniqueConstraint(
                fields=["admissibility", "code"], name="admissibility_check_once"
            )
        ]

    def __str__(self):
        return f"{self.code}: {self.get_result_display()}"

    @property
    def label(self) -> str:
        return translated(self, "label")

    @property
    def guidance(self) -> str:
        return translated(self, "guidance")

    @property
    def detail(self) -> str:
        return translated(self, "detail")


class DocumentRequestQuerySet(models.QuerySet):
    def running(self, now):
        """Open and before their deadline: the applicant may still answer."""
        return self.filter(status=DocumentRequest.Status.OPEN, deadline__gt=now)

    def lapsed(self, now):
        """Not answered by their deadline (recorded as expired, or still open past it)."""
        return self.filter(
            Q(status=DocumentRequest.Status.EXPIRED)
            | Q(status=DocumentRequest.Status.OPEN, deadline__lte=now)
        )

    def unanswered(self):
        return self.exclude(status=DocumentRequest.Status.ANSWERED)


class DocumentRequest(models.Model):
    """Soccorso istruttorio: a document or clarification asked of the applicant by a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("In attesa di risposta")
        ANSWERED = "answered", _("Risposta ricevuta")
        EXPIRED = "expired", _("Scaduta senza risposta")

    application = models.ForeignKey(
        Application,
        verbose_name=_("domanda"),
        on_delete=models.PROTECT,
        related_name="document_requests",
    )
    text = models.TextField(_("richiesta"))
    deadline = models.DateTimeField(_("termine per rispondere"))
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("richiesta da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("richiesta il"))
    answer_text = models.TextField(_("risposta"), blank=True)
    answer_file = models.FileField(
        _("documento"), upload_to="grants/requests/%Y/%m/", max_length=300, blank=True
    )
    answer_name = models.CharField(_("nome del file"), max_length=255, blank=True)
    answer_size = models.PositiveIntegerField(_("dimensione (byte)"), null=True, blank=True)
    answer_sha256 = models.CharField(_("impronta SHA-256"), max_length=64, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("risposta da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("risposta il"), null=True, blank=True)

    history = HistoricalRecords()
    objects = DocumentRequestQuerySet.as_manager()

    class Meta:
        ordering = ["application", "asked_at", "id"]
        verbose_name = _("richiesta di integrazione (soccorso istruttorio)")
        verbose_name_plural = _("richieste di integrazione (soccorso istruttorio)")
        indexes = [
            models.Index(fields=["application", "status", "deadline"], name="grant_request_state")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_size__isnull=True) | Q(answer_size__lte=MAX_ATTACHMENT_BYTES),
                name="grant_request_answer_size_limit",
            )
        ]

    def __str__(self):
        return f"{self.application}: {self.text[:60]}"

    def state(self, now) -> str:
        """The status as of `now`: an open request past its deadline has expired."""
        if self.status == self.Status.OPEN and now >= self.deadline:
            return self.Status.EXPIRED
        return self.status

    def state_label(self, now) -> str:
        return self.Status(self.state(now)).label
