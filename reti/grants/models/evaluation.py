"""After the deadline: admissibility and the stored ranking runs (graduatoria).

These are the records the later stages share. `Admissibility` is the officer's decision on
one submitted application (istruttoria di ammissibilità). A `RankingRun` is one run of
`reti.grants.ranking.fund` or `scroll` for a call: its inputs (the applications as the
ranking saw them, scores included), its rules and its result are stored whole, so running it
again on the same inputs gives the same list (`reti grants replay` reads the same shape).
Its `RankingEntry` rows are the result in queryable form: one per application, with its
position, status and amount granted. Grant management starts from the entries of the
call's current run (`RankingRun.objects.current(call)`): a published final run, or the last
scorrimento made from it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import ranking
from .applications import Application
from .calls import Call
from .fields import MoneyField


class Admissibility(models.Model):
    """Esito dell'istruttoria di ammissibilità of one submitted application."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("In istruttoria")
        ADMITTED = "admitted", _("Ammissibile")
        NOT_ADMISSIBLE = "not_admissible", _("Non ammissibile")

    application = models.OneToOneField(
        Application,
        verbose_name=_("domanda"),
        on_delete=models.PROTECT,
        related_name="admissibility",
    )
    outcome = models.CharField(
        _("esito"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING, db_index=True
    )
    reasons = models.TextField(_("motivazione"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deciso da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("deciso il"), null=True, blank=True)

    # Every decision and re-decision is audited (reti.lib.audit), with its reason.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ammissibilità")
        verbose_name_plural = _("ammissibilità")

    def __str__(self):
        return f"{self.application}: {self.get_outcome_display()}"


class RankingRunQuerySet(models.QuerySet):
    def current(self, call: Call):
        """The run that decides the call's funding now: the latest run descending from the
        published final ranking (a scorrimento), or None before the final ranking."""
        return (
            self.filter(call=call, kind__in=[RankingRun.Kind.FINAL, RankingRun.Kind.SCROLL])
            .exclude(published_at=None)
            .order_by("-number")
            .first()
        )


class RankingRun(models.Model):
    """Una elaborazione della graduatoria: inputs, rules and result, stored whole."""

    class Kind(models.TextChoices):
        PROVISIONAL = "provisional", _("Graduatoria provvisoria")
        FINAL = "final", _("Graduatoria definitiva")
        SCROLL = "scroll", _("Scorrimento")

    call = models.ForeignKey(
        Call, verbose_name=_("bando"), on_delete=models.PROTECT, related_name="ranking_runs"
    )
    number = models.PositiveIntegerField(_("numero"))
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("elaborazione precedente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seed = models.CharField(_("seme del sorteggio"), max_length=100, blank=True)
    inputs = models.JSONField(_("dati in ingresso"))
    rules = models.JSONField(_("regole"))
    result = models.JSONField(_("risultato"))
    engine_version = models.CharField(_("versione del motore"), max_length=20)
    reason = models.TextField(_("motivo"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eseguita da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("eseguita il"))
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)
    appeal_deadline = models.DateTimeField(_("termine per i ricorsi"), null=True, blank=True)
    valid_until = models.DateField(_("validità della graduatoria"), null=True, blank=True)

    objects = RankingRunQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "number"]
        verbose_name = _("elaborazione della graduatoria")
        verbose_name_plural = _("elaborazioni della graduatoria")
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="ranking_run_number_unique")
        ]

    def __str__(self):
        return f"{self.call} — {self.get_kind_display()} n. {self.number}"


class RankingEntry(models.Model):
    """One application's place in a run: position in its line, status, amount granted."""

    class Status(models.TextChoices):
        FUNDED = ranking.FUNDED, _("Finanziata")
        PARTIAL = ranking.PARTIAL, _("Finanziata parzialmente")
        NOT_FUNDED = ranking.NOT_FUNDED, _("Idonea non finanziata")
        BELOW = ranking.BELOW, _("Non idonea (sotto soglia)")
        NOT_ADMISSIBLE = ranking.NOT_ADMISSIBLE, _("Non ammissibile")
        WITHDRAWN = ranking.WITHDRAWN, _("Ritirata")
        REVOKED = ranking.REVOKED, _("Revocata")

    run = models.ForeignKey(
        RankingRun, verbose_name=_("elaborazione"), on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("domanda"),
        on_delete=models.PROTECT,
        related_name="ranking_entries",
    )
    line = models.CharField(_("linea"), max_length=40)
    position = models.PositiveIntegerField(_("posizione"), null=True, blank=True)
    score = models.DecimalField(_("punteggio"), max_digits=9, decimal_places=3)
    status = models.CharField(_("esito"), max_length=20, choices=Status.choices, db_index=True)
    granted = MoneyField(_("contributo concesso"))
    quota = models.CharField(_("riserva"), max_length=40, blank=True)
    decided_by = models.CharField(_("criterio decisivo"), max_length=100, blank=True)
    reason = models.CharField(_("motivo"), max_length=300, blank=True)

    class Meta:
        ordering = ["run", "line", "position"]
        verbose_name = _("posizione in graduatoria")
        verbose_name_plural = _("posizioni in graduatoria")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "application"], name="ranking_entry_application_unique"
            )
        ]

    def __str__(self):
        return f"{self.application}: {self.get_status_display()}"

    @property
    def is_funded(self) -> bool:
        return self.status in (self.Status.FUNDED, self.Status.PARTIAL)


class Appeal(models.Model):
    """Ricorso of an applicant against the provisional ranking: against the admissibility
    decision or against the score, lodged by the server clock before the run's deadline and
    decided by the call's officer with a reasoned outcome."""

    class Against(models.TextChoices):
        ADMISSIBILITY = "admissibility", _("Contro l'esito dell'ammissibilità")
        SCORE = "score", _("Contro il punteggio")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Da decidere")
        UPHELD = "upheld", _("Accolto")
        REJECTED = "rejected", _("Respinto")

    application = models.ForeignKey(
        Application, verbose_name=_("domanda"), on_delete=models.PROTECT, related_name="appeals"
    )
    run = models.ForeignKey(
        RankingRun,
        verbose_name=_("graduatoria impugnata"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    against = models.CharField(_("oggetto"), max_length=20, choices=Against.choices)
    text = models.TextField(_("motivi del ricorso"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presentato da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lodged_at = models.DateTimeField(_("presentato il"))
    decision = models.CharField(
        _("decisione"),
        max_length=10,
        choices=Decision.choices,
        default=Decision.PENDING,
        db_index=True,
    )
    outcome = models.TextField(_("motivazione della decisione"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deciso da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("deciso il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["lodged_at", "id"]
        verbose_name = _("ricorso")
        verbose_name_plural = _("ricorsi")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "run", "against"],
                name="appeal_once_per_run_and_subject",
                violation_error_message=_(
                    "Un ricorso con lo stesso oggetto contro questa graduatoria è già presentato."
                ),
            )
        ]

    def __str__(self):
        return f"{self.application}: {self.get_against_display()} ({self.get_decision_display()})"

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING

    def clean(self):
        if not (self.text or "").strip():
            raise ValidationError({"text": _("Indicare i motivi del ricorso.")})
        if self.decision != self.Decision.PENDING and not (self.outcome or "").strip():
            raise ValidationError({"outcome": _("Motivare la decisione sul ricorso.")})
