"""From the ranking to the closed grant (gestione della concessione).

A `Grant` starts from an application whose entry in the call's current ranking run is
funded (or partially funded): the officer records the funding decision (atto di concessione,
CUP, amount, State-aid code), generates the agreement from the call's template, the
beneficiary's representative accepts it, and the grant becomes a registry `Project` and a
monitoring `Intervention`. Then: payments (`Payment`, erogazioni) through a three-person
chain, expenditure reports (`ExpenditureReport`) with their first-level verification,
changes (`ChangeRequest`), revocations and renunciations (`Revocation`) with their
recoveries (`Recovery`), and the closure with result indicators (`ResultIndicator`).

Money records are append-only: a payment's amount never changes and no payment is deleted;
a correction is a reversing entry (`Payment.Kind.REVERSAL`). The financial state is a pure
function of these records (`reti.grants.finance`, loaded by `grant_state`).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import finance
from .applications import Application
from .calls import CostCategory
from .evaluation import RankingEntry
from .fields import MoneyField

# Codice Unico di Progetto: 15 characters, a letter, two digits, a letter, eleven digits
# (e.g. J51B21000000001; the CIPE system issues it, Reti checks its shape only).
CUP_PATTERN = re.compile(r"^[A-Z][0-9]{2}[A-Z][0-9]{11}$")


def validate_cup(value: str) -> None:
    if len(value) != 15:
        raise ValidationError(
            _("Il CUP ha 15 caratteri (ne sono stati indicati %(count)s)."),
            params={"count": len(value)},
            code="cup_length",
        )
    if not CUP_PATTERN.match(value):
        raise ValidationError(
            _(
                "Il CUP non ha la forma prevista: una lettera, due cifre, una lettera e undici "
                "cifre (es. J51B21000000001)."
            ),
            code="cup_pattern",
        )


def _user(verbose_name, **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
        **kwargs,
    )


class Grant(models.Model):
    """Concessione: a funded application under management, from decision to closure."""

    class Status(models.TextChoices):
        DECIDED = "decided", _("Concesso (in attesa di adesione)")
        ACTIVE = "active", _("In corso")
        CLOSED = "closed", _("Chiuso")
        RENOUNCED = "renounced", _("Rinunciato")
        REVOKED = "revoked", _("Revocato")

    application = models.OneToOneField(
        Application, verbose_name=_("domanda"), on_delete=models.PROTECT, related_name="grant"
    )
    ranking_entry = models.ForeignKey(
        RankingEntry,
        verbose_name=_("posizione in graduatoria"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.DECIDED, db_index=True
    )
    decree_number = models.CharField(_("atto di concessione: numero"), max_length=100)
    decree_date = models.DateField(_("atto di concessione: data"))
    decree_signer = models.CharField(_("atto di concessione: firmatario"), max_length=200)
    cup = models.CharField(_("CUP"), max_length=15, unique=True, validators=[validate_cup])
    amount = MoneyField(_("contributo concesso (euro)"))
    state_aid_code = models.CharField(
        _("codice RNA COR"),
        max_length=40,
        blank=True,
        help_text=_("Codice di registrazione dell'aiuto nel Registro nazionale aiuti, se c'è."),
    )
    decided_by = _user(_("registrato da"))
    decided_at = models.DateTimeField(_("registrato il"))
    agreement_text = models.TextField(_("testo della convenzione"), blank=True)
    start_date = models.DateField(_("inizio"), null=True, blank=True)
    end_date = models.DateField(_("fine"), null=True, blank=True)
    accepted_by = _user(_("accettata da"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accettata il"), null=True, blank=True)
    project = models.OneToOneField(
        "registry.Project",
        verbose_name=_("progetto del registro"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant",
    )
    intervention = models.OneToOneField(
        "monitoring.Intervention",
        verbose_name=_("intervento"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant",
    )
    on_the_spot_sample = models.BooleanField(_("estratto per la verifica in loco"), default=False)
    final_report = models.TextField(_("relazione finale"), blank=True)
    savings = MoneyField(_("economie alla chiusura (euro)"), default=0)
    closed_by = _user(_("chiuso da"), null=True, blank=True)
    closed_at = models.DateTimeField(_("chiuso il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("concessione")
        verbose_name_plural = _("concessioni")
        permissions = [
            ("approve_payment", _("Approva le erogazioni (dirigente)")),
            ("pay_payment", _("Registra i pagamenti e i recuperi (ragioneria)")),
            ("audit_grants", _("Legge ogni concessione (revisore)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="grant_end_after_start",
                violation_error_message=_("La fine precede l'inizio."),
            )
        ]

    def __str__(self):
        return f"{self.cup} — {self.application.title}"

    def get_absolute_url(self):
        return reverse("grants:grant_detail", args=[self.pk])

    @property
    def call(self):
        return self.application.call

    def clean(self):
        if (
            self.ranking_entry_id
            and self.amount is not None
            and self.amount > self.ranking_entry.granted
        ):
            raise ValidationError(
                {
                    "amount": _(
                        "L'importo supera il contributo assegnato in graduatoria "
                        "(%(granted)s euro)."
                    )
                    % {"granted": self.ranking_entry.granted}
                }
            )


class Payment(models.Model):
    """Erogazione: a tranche prepared by the officer, approved by the manager, booked by
    accounting, three different people. Append-only: a correction is a reversing entry."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Anticipo")
        INTERMEDIATE = "intermediate", _("Acconto intermedio")
        BALANCE = "balance", _("Saldo")
        REVERSAL = "reversal", _("Storno")

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Predisposta")
        APPROVED = "approved", _("Approvata")
        PAID = "paid", _("Pagata")

    grant = models.ForeignKey(
        Grant, verbose_name=_("concessione"), on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    amount = MoneyField(_("importo (euro)"))
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("storna"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    guarantee = models.CharField(_("garanzia fideiussoria"), max_length=200, blank=True)
    note = models.CharField(_("nota"), max_length=300, blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.PREPARED
    )
    prepared_by = _user(_("predisposta da"))
    prepared_at = models.DateTimeField(_("predisposta il"))
    approved_by = _user(_("approvata da"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approvata il"), null=True, blank=True)
    paid_by = _user(_("pagata da"), null=True, blank=True)
    paid_at = models.DateTimeField(_("pagata il"), null=True, blank=True)
    payment_reference = models.CharField(_("mandato di pagamento"), max_length=100, blank=True)

    history = HistoricalRecords()

    # Fields fixed once the row exists; the chain fills its steps once each.
    FIXED = ("grant_id", "kind", "amount", "reverses_id", "prepared_by_id", "prepared_at")

    class Meta:
        ordering = ["grant", "prepared_at", "id"]
        verbose_name = _("erogazione")
        verbose_name_plural = _("erogazioni")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="payment_reversal_names_its_payment",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values(*self.FIXED, "status").first()
            if stored and any(stored[name] != getattr(self, name) for name in self.FIXED):
                raise ValidationError(_("Un'erogazione non cambia: si corregge con uno storno."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Un'erogazione non si cancella: si corregge con uno storno."))

    @property
    def signed_amount(self):
        return -self.amount if self.kind == self.Kind.REVERSAL else self.amount


class ExpenditureReport(models.Model):
    """Rendicontazione: expenditure by cost category with its documents, then verified."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        SUBMITTED = "submitted", _("Inviata")
        VERIFIED = "verified", _("Verificata")

    grant = models.ForeignKey(
        Grant, verbose_name=_("concessione"), on_delete=models.PROTECT, related_name="reports"
    )
    number = models.PositiveSmallIntegerField(_("numero"))
    final = models.BooleanField(_("rendiconto finale"), default=False)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = _user(_("creata da"))
    submitted_by = _user(_("inviata da"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("inviata il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "number"]
        verbose_name = _("rendiconto")
        verbose_name_plural = _("rendiconti")
        constraints = [
            models.UniqueConstraint(fields=["grant", "number"], name="report_number_unique")
        ]

    def __str__(self):
        return _("Rendiconto n. %(number)s") % {"number": self.number}


class ExpenseItem(models.Model):
    """Spesa rendicontata in one cost category; the verification accepts all or part of it."""

    report = models.ForeignKey(
        ExpenditureReport,
        verbose_name=_("rendiconto"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    category = models.ForeignKey(
        CostCategory,
        verbose_name=_("categoria di spesa"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("descrizione"), max_length=300)
    amount = MoneyField(_("importo rendicontato (euro)"))
    accepted = MoneyField(_("importo ammesso (euro)"), null=True, blank=True)
    cut_reason = models.CharField(_("motivo del taglio"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "category__code", "id"]
        verbose_name = _("spesa rendicontata")
        verbose_name_plural = _("spese rendicontate")

    def __str__(self):
        return f"{self.category.code}: {self.amount}"

    @property
    def cut(self):
        return None if self.accepted is None else self.amount - self.accepted

    def clean(self):
        errors = {}
        if (
            self.category_id
            and self.report_id
            and self.category.call_id != self.report.grant.application.call_id
        ):
            errors["category"] = _("Categoria di spesa di un altro bando.")
        if self.accepted is not None and self.amount is not None:
            if self.accepted > self.amount:
                errors["accepted"] = _("L'importo ammesso supera quello rendicontato.")
            elif self.accepted < self.amount and not self.cut_reason.strip():
                errors["cut_reason"] = _("Indicare il motivo del taglio.")
        if errors:
            raise ValidationError(errors)


class ExpenseDocument(models.Model):
    """Giustificativo di spesa: a checked PDF attached to a report, with its SHA-256."""

    report = models.ForeignKey(
        ExpenditureReport,
        verbose_name=_("rendiconto"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    file = models.FileField(_("file"), upload_to="grants/reports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("nome del file"), max_length=255)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("giustificativo")
        verbose_name_plural = _("giustificativi")

    def __str__(self):
        return self.original_name


# The first-level verification's checklist (verifica di gestione, art. 74 Reg. (EU) 2021/1060).
DESK_CHECKLIST = (
    ("period", _("Spese sostenute nel periodo del progetto")),
    ("category", _("Spese nelle categorie del piano finanziario approvato")),
    ("documents", _("Giustificativi completi, intestati e quietanzati")),
    ("no_double_funding", _("Nessun doppio finanziamento delle stesse spese")),
    ("procurement", _("Regole di affidamento rispettate")),
)
ON_THE_SPOT_CHECKLIST = (
    ("activities", _("Attività realizzate come dichiarato (verifica in loco)")),
    ("originals", _("Originali dei giustificativi presso il beneficiario")),
    ("publicity", _("Obblighi di pubblicità FSE+ rispettati")),
)


class Verification(models.Model):
    """Verifica di primo livello of a report: desk, or on the spot for the sample."""

    class Kind(models.TextChoices):
        DESK = "desk", _("Documentale")
        ON_THE_SPOT = "on_the_spot", _("In loco")

    report = models.OneToOneField(
        ExpenditureReport,
        verbose_name=_("rendiconto"),
        on_delete=models.PROTECT,
        related_name="verification",
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    checklist = models.JSONField(_("lista di controllo"), default=dict)
    notes = models.TextField(_("note"), blank=True)
    verified_by = _user(_("verificata da"))
    verified_at = models.DateTimeField(_("verificata il"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verifica")
        verbose_name_plural = _("verifiche")

    def __str__(self):
        return f"{self.report}: {self.get_kind_display()}"

    @classmethod
    def checklist_for(cls, kind: str):
        return DESK_CHECKLIST + (ON_THE_SPOT_CHECKLIST if kind == cls.Kind.ON_THE_SPOT else ())

    def clean(self):
        expected = {code for code, _label in self.checklist_for(self.kind)}
        if not isinstance(self.checklist, dict) or set(self.checklist) != expected:
            raise ValidationError({"checklist": _("Compilare ogni voce della lista di controllo.")})
        if any(not isinstance(v, bool) for v in self.checklist.values()):
            raise ValidationError({"checklist": _("Ogni voce è sì o no.")})


class ChangeRequest(models.Model):
    """Variazione chiesta dal beneficiario: a budget shift between categories, or an
    extension of the end date; approved or refused by the officer."""

    class Kind(models.TextChoices):
        BUDGET_SHIFT = "budget_shift", _("Spostamento di budget tra categorie")
        EXTENSION = "extension", _("Proroga della data di fine")

    class Status(models.TextChoices):
        PENDING = "pending", _("In attesa")
        APPROVED = "approved", _("Approvata")
        REFUSED = "refused", _("Respinta")

    grant = models.ForeignKey(
        Grant, verbose_name=_("concessione"), on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    from_category = models.ForeignKey(
        CostCategory,
        verbose_name=_("dalla categoria"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_category = models.ForeignKey(
        CostCategory,
        verbose_name=_("alla categoria"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = MoneyField(_("importo spostato (euro)"), null=True, blank=True)
    new_end_date = models.DateField(_("nuova data di fine"), null=True, blank=True)
    reason = models.TextField(_("motivazione"))
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = _user(_("chiesta da"))
    requested_at = models.DateTimeField(_("chiesta il"))
    decided_by = _user(_("decisa da"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)
    decision_reason = models.TextField(_("motivazione della decisione"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "requested_at", "id"]
        verbose_name = _("variazione")
        verbose_name_plural = _("variazioni")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def clean(self):
        errors = {}
        if self.kind == self.Kind.BUDGET_SHIFT:
            for name in ("from_category", "to_category", "amount"):
                if getattr(self, f"{name}_id" if name != "amount" else name) in (None, ""):
                    errors[name] = _("Campo obbligatorio per uno spostamento di budget.")
            if self.amount is not None and self.amount <= 0:
                errors["amount"] = _("L'importo deve essere positivo.")
            if self.from_category_id and self.from_category_id == self.to_category_id:
                errors["to_category"] = _("Le due categorie coincidono.")
        elif self.kind == self.Kind.EXTENSION and self.new_end_date is None:
            errors["new_end_date"] = _("Indicare la nuova data di fine.")
        if not (self.reason or "").strip():
            errors["reason"] = _("Indicare la motivazione.")
        if errors:
            raise ValidationError(errors)


class Revocation(models.Model):
    """Revoca (totale o parziale) or rinuncia: the amount taken back from the grant and the
    amount to recover from what was paid."""

    class Kind(models.TextChoices):
        TOTAL = "total", _("Revoca totale")
        PARTIAL = "partial", _("Revoca parziale")
        RENUNCIATION = "renunciation", _("Rinuncia del beneficiario")

    grant = models.ForeignKey(
        Grant, verbose_name=_("concessione"), on_delete=models.PROTECT, related_name="revocations"
    )
    kind = models.CharField(_("tipo"), max_length=14, choices=Kind.choices)
    amount = MoneyField(_("importo revocato (euro)"))
    to_recover = MoneyField(_("importo da recuperare (euro)"))
    act = models.CharField(_("atto"), max_length=200, blank=True)
    reason = models.TextField(_("motivazione"))
    decided_by = _user(_("registrata da"))
    decided_at = models.DateTimeField(_("registrata il"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "decided_at", "id"]
        verbose_name = _("revoca o rinuncia")
        verbose_name_plural = _("revoche e rinunce")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount}"


class Recovery(models.Model):
    """Recupero: money the beneficiary paid back on a revocation, booked by accounting."""

    revocation = models.ForeignKey(
        Revocation, verbose_name=_("revoca"), on_delete=models.PROTECT, related_name="recoveries"
    )
    amount = MoneyField(_("importo recuperato (euro)"))
    date = models.DateField(_("data"))
    reference = models.CharField(_("riferimento (reversale)"), max_length=100)
    recorded_by = _user(_("registrato da"))
    recorded_at = models.DateTimeField(_("registrato il"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["revocation", "date", "id"]
        verbose_name = _("recupero")
        verbose_name_plural = _("recuperi")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive")
        ]

    def __str__(self):
        return f"{self.amount} ({self.date})"


class ResultIndicator(models.Model):
    """Valore raggiunto at closure of an ESF+ indicator the application targeted."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("concessione"), on_delete=models.PROTECT, related_name="results"
    )
    code = models.CharField(_("indicatore"), max_length=10)
    target = models.PositiveIntegerField(_("valore obiettivo"))
    achieved = models.PositiveIntegerField(_("valore raggiunto"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "code"]
        verbose_name = _("indicatore di risultato")
        verbose_name_plural = _("indicatori di risultato")
        constraints = [
            models.UniqueConstraint(fields=["grant", "code"], name="result_indicator_unique")
        ]

    def __str__(self):
        return f"{self.code}: {self.achieved}/{self.target}"


def grant_state(grant: Grant) -> finance.FinancialState:
    """The grant's financial state, from its stored records (reti.grants.finance)."""
    items = (
        ExpenseItem.objects.filter(report__grant=grant)
        .exclude(report__status=ExpenditureReport.Status.DRAFT)
        .select_related("report")
    )
    checked = [i for i in items if i.report.status == ExpenditureReport.Status.VERIFIED]
    revocations = list(grant.revocations.all())
    return finance.financial_state(
        granted=grant.amount,
        revoked=[r.amount for r in revocations],
        reported=[i.amount for i in items],
        checked=[i.amount for i in checked],
        verified=[i.accepted for i in checked],
        payments=[p.signed_amount for p in grant.payments.filter(status=Payment.Status.PAID)],
        to_recover=[r.to_recover for r in revocations],
        recovered=Recovery.objects.filter(revocation__grant=grant).values_list("amount", flat=True),
        savings=grant.savings,
    )


class ManagementCost(models.Model):
    """Costo di gestione of a global grant recorded by its intermediate body (staff, technical
    assistance, systems), for a call or for the global grant as a whole: what the instrument
    report divides by the amount granted."""

    global_grant = models.ForeignKey(
        "grants.GlobalGrant",
        verbose_name=_("sovvenzione globale"),
        on_delete=models.PROTECT,
        related_name="management_costs",
    )
    call = models.ForeignKey(
        "grants.Call",
        verbose_name=_("bando"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="management_costs",
        help_text=_("Vuoto per i costi della sovvenzione globale nel suo insieme."),
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    description = models.CharField(_("voce"), max_length=300)
    amount = MoneyField(_("importo (euro)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["global_grant", "year", "id"]
        verbose_name = _("costo di gestione")
        verbose_name_plural = _("costi di gestione")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="management_cost_amount_positive"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.description}: {self.amount}"

    def clean(self):
        if (
            self.call_id
            and self.global_grant_id
            and self.call.global_grant_id != self.global_grant_id
        ):
            raise ValidationError({"call": _("Il bando è di un'altra sovvenzione globale.")})
