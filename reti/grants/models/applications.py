"""Applications (domande) and what they carry; protocol numbers and receipts.

An application is a draft of one organisation (edited by its verified representatives) until
it is submitted: then it is read-only, carries a `Receipt` (protocol number, server time,
SHA-256 of the canonical content and of each attachment) and may only be withdrawn before
the deadline. Protocol numbers come from a `ProtocolCounter(year, series)` row locked in the
submitting transaction: stored, unique and gapless, never derived from a primary key.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.monitoring.analytics.definitions import ESF_PLUS, INDICATORS
from reti.registry.models import Organisation

from .calls import Call, CallLine, CostCategory, RequiredAttachment
from .fields import MoneyField

# The ESF+ common indicators (Reg. (EU) 2021/1057, Annex I) an application may set targets for.
INDICATOR_CODES = tuple(i.code for i in INDICATORS if i.period == ESF_PLUS)
INDICATOR_NAMES = {i.code: i.name_en for i in INDICATORS if i.period == ESF_PLUS}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


class Application(models.Model):
    """Domanda di contributo of an organisation on a call."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        SUBMITTED = "submitted", _("Presentata")
        WITHDRAWN = "withdrawn", _("Ritirata")

    call = models.ForeignKey(
        Call, verbose_name=_("bando"), on_delete=models.PROTECT, related_name="applications"
    )
    line = models.ForeignKey(
        CallLine,
        verbose_name=_("linea"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("proponente"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creata da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("titolo del progetto"), max_length=300)
    summary = models.TextField(_("sintesi del progetto"), blank=True)
    objectives = models.TextField(_("obiettivi"), blank=True)
    target_groups = models.TextField(_("destinatari"), blank=True)
    activities = models.TextField(_("attività e cronoprogramma"), blank=True)
    requested_amount = MoneyField(_("contributo richiesto (euro)"), null=True, blank=True)
    cofinancing_amount = MoneyField(_("cofinanziamento (euro)"), null=True, blank=True)
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territorio di intervento"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant_type = models.CharField(
        _("tipo di proponente"), max_length=24, choices=Organisation.Kind.choices, blank=True
    )
    size_class = models.CharField(
        _("dimensione dell'organizzazione"),
        max_length=8,
        choices=[
            ("micro", _("Micro (meno di 10 addetti)")),
            ("small", _("Piccola (10-49 addetti)")),
            ("medium", _("Media (50-249 addetti)")),
            ("large", _("Grande (250 addetti e oltre)")),
        ],
        blank=True,
        help_text=_(
            "Dichiarata dal proponente; serve a misurare quante piccole organizzazioni il "
            "bando raggiunge."
        ),
    )
    declares_truthful = models.BooleanField(
        _("dichiaro che le informazioni sono veritiere (art. 46-47 d.P.R. 445/2000)"),
        default=False,
    )
    declares_no_double_funding = models.BooleanField(
        _("dichiaro che le stesse spese non sono finanziate da altre fonti"), default=False
    )
    declares_privacy = models.BooleanField(
        _("dichiaro di aver letto l'informativa sul trattamento dei dati"), default=False
    )
    form_updated_at = models.DateTimeField(_("modulo aggiornato il"), auto_now=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("presentata il"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ritirata il"), null=True, blank=True)
    synthetic = models.BooleanField(_("dato sintetico"), default=False, db_index=True)

    history = HistoricalRecords()

    DECLARATIONS = ("declares_truthful", "declares_no_double_funding", "declares_privacy")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("domanda")
        verbose_name_plural = _("domande")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"],
                condition=~Q(status="withdrawn"),
                name="application_one_per_call_and_organisation",
                violation_error_message=_("L'organizzazione ha già una domanda su questo bando."),
            ),
        ]
        # The officer's list of a call's applications, in submission order (keyset pages).
        indexes = [
            models.Index(fields=["call", "submitted_at", "id"], name="grant_application_call_order")
        ]

    def __str__(self):
        return f"{self.title} ({self.organisation})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def clean(self):
        if self.line_id and self.call_id and self.line.call_id != self.call_id:
            raise ValidationError({"line": _("La linea non appartiene a questo bando.")})

    def grid_organisations(self) -> list[Organisation]:
        """The organisations the application stands for in a committee's conflict checks
        (reti.grids.conflicts): the applicant and its partners of the registry."""
        partners = [p.organisation for p in self.partners.select_related("organisation")]
        return [self.organisation, *(org for org in partners if org is not None)]


class ApplicationPartner(models.Model):
    """Partner of an application: an organisation of the registry or a new one, by name."""

    application = models.ForeignKey(
        Application, verbose_name=_("domanda"), on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organizzazione del registro"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("nome (se non è nel registro)"), max_length=300, blank=True)
    role = models.CharField(_("ruolo nel progetto"), max_length=300)
    share = MoneyField(_("quota del budget (euro)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("partner")
        verbose_name_plural = _("partner")

    def __str__(self):
        return str(self.organisation or self.name)

    def clean(self):
        if bool(self.organisation_id) == bool(self.name.strip()):
            raise ValidationError(
                {"name": _("Indicare un'organizzazione del registro oppure il nome di una nuova.")}
            )


class BudgetItem(models.Model):
    """Voce del piano finanziario: an amount in one of the call's cost categories."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("domanda"),
        on_delete=models.CASCADE,
        related_name="budget_items",
    )
    category = models.ForeignKey(
        CostCategory,
        verbose_name=_("categoria di spesa"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("descrizione"), max_length=300, blank=True)
    amount = MoneyField(_("importo (euro)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "category__code", "id"]
        verbose_name = _("voce di spesa")
        verbose_name_plural = _("voci di spesa")

    def __str__(self):
        return f"{self.category.code}: {self.amount}"

    def clean(self):
        if (
            self.category_id
            and self.application_id
            and self.category.call_id != self.application.call_id
        ):
            raise ValidationError({"category": _("Categoria di spesa di un altro bando.")})


class IndicatorTarget(models.Model):
    """Valore obiettivo of an ESF+ common indicator (EECO/EECR) the project commits to."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("domanda"),
        on_delete=models.CASCADE,
        related_name="indicator_targets",
    )
    code = models.CharField(_("indicatore"), max_length=10)
    target = models.PositiveIntegerField(_("valore obiettivo"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "code"]
        verbose_name = _("indicatore obiettivo")
        verbose_name_plural = _("indicatori obiettivo")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "code"],
                name="indicator_target_once_per_application",
                violation_error_message=_("L'indicatore è già indicato."),
            )
        ]

    def __str__(self):
        return f"{self.code}: {self.target}"

    @property
    def name(self) -> str:
        return INDICATOR_NAMES.get(self.code, "")

    def clean(self):
        if self.code not in INDICATOR_CODES:
            raise ValidationError(
                {"code": _("Indicatore FSE+ sconosciuto: %(code)s.") % {"code": self.code}}
            )


class ApplicationAttachment(models.Model):
    """Allegato della domanda: a checked PDF, with its SHA-256 for the receipt."""

    application = models.ForeignKey(
        Application, verbose_name=_("domanda"), on_delete=models.CASCADE, related_name="attachments"
    )
    required = models.ForeignKey(
        RequiredAttachment,
        verbose_name=_("allegato richiesto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="grants/attachments/%Y/%m/", max_length=300)
    original_name = models.CharField(_("nome del file"), max_length=255)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "required__code", "id"]
        verbose_name = _("allegato della domanda")
        verbose_name_plural = _("allegati della domanda")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=MAX_ATTACHMENT_BYTES),
                name="grant_attachment_size_limit",
            )
        ]

    def __str__(self):
        return self.original_name


class ProtocolCounter(models.Model):
    """Registro di protocollo: the last number given in a series and year; locked to number."""

    year = models.PositiveSmallIntegerField(_("anno"))
    series = models.CharField(_("serie"), max_length=60)
    last = models.PositiveIntegerField(_("ultimo numero"), default=0)

    class Meta:
        verbose_name = _("contatore di protocollo")
        verbose_name_plural = _("contatori di protocollo")
        constraints = [
            models.UniqueConstraint(fields=["year", "series"], name="protocol_counter_unique")
        ]

    def __str__(self):
        return f"{self.series}/{self.year}: {self.last}"


class Receipt(models.Model):
    """Ricevuta di presentazione: protocol number, server time, SHA-256 of what was sent."""

    application = models.OneToOneField(
        Application, verbose_name=_("domanda"), on_delete=models.PROTECT, related_name="receipt"
    )
    series = models.CharField(_("serie"), max_length=60)
    year = models.PositiveSmallIntegerField(_("anno"))
    sequence = models.PositiveIntegerField(_("progressivo"))
    protocol_number = models.CharField(_("numero di protocollo"), max_length=100, unique=True)
    submitted_at = models.DateTimeField(_("presentata il"))
    content = models.TextField(_("contenuto canonico (JSON)"))
    content_sha256 = models.CharField(_("SHA-256 del contenuto"), max_length=64)
    attachment_hashes = models.JSONField(_("SHA-256 degli allegati"), default=list, blank=True)

    class Meta:
        ordering = ["series", "year", "sequence"]
        verbose_name = _("ricevuta")
        verbose_name_plural = _("ricevute")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "sequence"], name="receipt_protocol_unique"
            )
        ]

    def __str__(self):
        return self.protocol_number
