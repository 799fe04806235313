"""CSR (responsabilità sociale d'impresa): companies, their self-assessments, attestations.

A company is a registry `Organisation` (kind "company"); `Company` holds what is CSR-specific:
legal form, ATECO 2025 activity, the figures its EU size class comes from, its seat and local
units. Users act for it once a region officer verifies their `CompanyClaim` (which gives them
an editor membership of the organisation). Self-assessments are grids `Assessment`s on the
interregional CSR grid; `CsrAssessment` follows one through the CSR states (draft, submitted,
validated, refused), holds its PDF evidence and improvement plan, and the validator's own
grids assessment. A validated one with a level yields an `Attestation`. `CompanyScore` keeps
each company's latest submitted result per area, the precomputed rows the benchmark reads.
"""

import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import MoneyField, Provenance

from . import ateco, sizes

AREAS = ("A1", "A2", "A3", "A4", "A5", "A6", "A7")


class Company(Provenance):
    """Impresa: the CSR data of a registry organisation."""

    class LegalForm(models.TextChoices):
        SOLE = "sole", _("Impresa individuale")
        SNC = "snc", _("Società in nome collettivo")
        SAS = "sas", _("Società in accomandita semplice")
        SRL = "srl", _("Società a responsabilità limitata")
        SRLS = "srls", _("Società a responsabilità limitata semplificata")
        SPA = "spa", _("Società per azioni")
        SAPA = "sapa", _("Società in accomandita per azioni")
        COOP = "coop", _("Società cooperativa")
        CONSORTIUM = "consortium", _("Consorzio")
        OTHER = "other", _("Altra forma")

    class SizeClass(models.TextChoices):
        MICRO = sizes.MICRO, _("Microimpresa")
        SMALL = sizes.SMALL, _("Piccola impresa")
        MEDIUM = sizes.MEDIUM, _("Media impresa")
        LARGE = sizes.LARGE, _("Grande impresa")

    organisation = models.OneToOneField(
        "registry.Organisation",
        verbose_name=_("organizzazione"),
        on_delete=models.PROTECT,
        related_name="csr_company",
    )
    legal_form = models.CharField(_("forma giuridica"), max_length=12, choices=LegalForm.choices)
    ateco_code = models.CharField(
        _("codice ATECO 2025"), max_length=8, validators=[ateco.validate_code]
    )
    ateco_section = models.CharField(_("sezione ATECO"), max_length=1, editable=False)
    employees = models.DecimalField(
        _("occupati (ULA)"),
        max_digits=9,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("Unità lavorative annue dell'ultimo esercizio chiuso."),
    )
    turnover = MoneyField(_("fatturato annuo (euro)"))
    balance_sheet = MoneyField(_("totale di bilancio annuo (euro)"))
    size_class = models.CharField(
        _("classe dimensionale"), max_length=8, choices=SizeClass.choices, editable=False
    )
    region = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("regione della sede legale"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": ["region", "autonomous_province"]},
    )
    seat_address = models.CharField(_("indirizzo della sede legale"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrata da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name_it", "id"]
        verbose_name = _("impresa")
        verbose_name_plural = _("imprese")
        indexes = [models.Index(fields=["ateco_section", "size_class"], name="csr_company_group")]

    def __str__(self):
        return str(self.organisation)

    def get_absolute_url(self):
        return reverse("csr:company_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return self.organisation.name

    def grid_organisations(self):
        """What grids' conflict rules and permissions read as this subject's organisations."""
        return [self.organisation]

    def subject_attributes(self) -> dict[str, str]:
        """The attributes the grid's applicability reads."""
        return {
            "size_class": self.size_class,
            "ateco": self.ateco_code,
            "legal_form": self.legal_form,
        }

    def clean_fields(self, exclude=None):
        # The section and the size class are derived, never typed: set before they are checked.
        if self.ateco_code:
            self.ateco_code = ateco.canonical(self.ateco_code)
            self.ateco_section = ateco.section_of(self.ateco_code) or "?"
        figures = (self.employees, self.turnover, self.balance_sheet)
        if None not in figures:
            self.size_class = sizes.size_class(*(Decimal(str(v)) for v in figures))
        super().clean_fields(exclude=exclude)

    def clean(self):
        if self.region_id and self.region.level not in ("region", "autonomous_province"):
            raise ValidationError({"region": _("Indicare una regione o provincia autonoma.")})


class LocalUnit(models.Model):
    """Unità locale: a place the company works from, with its region."""

    company = models.ForeignKey(
        Company, verbose_name=_("impresa"), on_delete=models.CASCADE, related_name="local_units"
    )
    address = models.CharField(_("indirizzo"), max_length=300)
    region = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("regione"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": ["region", "autonomous_province"]},
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["company_id", "id"]
        verbose_name = _("unità locale")
        verbose_name_plural = _("unità locali")

    def __str__(self):
        return f"{self.address} ({self.region})"


class CompanyClaim(models.Model):
    """A user's request to act for a company (richiesta di abilitazione), verified by an
    officer of the company's region; a verified claim makes the user an editor of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("In attesa di verifica")
        VERIFIED = "verified", _("Verificata")
        REFUSED = "refused", _("Respinta")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="csr_claims",
    )
    company = models.ForeignKey(
        Company, verbose_name=_("impresa"), on_delete=models.CASCADE, related_name="claims"
    )
    legal_representative = models.CharField(_("legale rappresentante"), max_length=200)
    position = models.CharField(_("ruolo nell'impresa"), max_length=200)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decisa da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)
    refusal_reason = models.TextField(_("motivo del rifiuto"), blank=True)
    created_at = models.DateTimeField(_("richiesta il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("richiesta di abilitazione per un'impresa")
        verbose_name_plural = _("richieste di abilitazione per un'impresa")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"],
                condition=~Q(status="refused"),
                name="csr_claim_one_open",
                violation_error_message=_(
                    "Hai già una richiesta in attesa o verificata per questa impresa."
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.company} ({self.get_status_display()})"


class CsrAssessment(Provenance):
    """One yearly self-assessment of a company (autovalutazione RSI) and its validation."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        SUBMITTED = "submitted", _("Inviata, in attesa di validazione")
        VALIDATED = "validated", _("Validata")
        REFUSED = "refused", _("Non validata")

    company = models.ForeignKey(
        Company, verbose_name=_("impresa"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    assessment = models.OneToOneField(
        "grids.Assessment",
        verbose_name=_("autovalutazione"),
        on_delete=models.PROTECT,
        related_name="csr_self",
    )
    state = models.CharField(
        _("stato"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("inviata il"), null=True, blank=True)
    validator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validatore"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="csr_validations",
    )
    review = models.OneToOneField(
        "grids.Assessment",
        verbose_name=_("valutazione del validatore"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="csr_review",
    )
    decision_note = models.TextField(_("motivazione della decisione"), blank=True)
    level = models.CharField(_("livello"), max_length=12, blank=True)
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("autovalutazione RSI")
        verbose_name_plural = _("autovalutazioni RSI")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year"],
                name="csr_assessment_one_per_year",
                violation_error_message=_("L'impresa ha già un'autovalutazione per questo anno."),
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="csr_assessment_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.company} — {self.year}"

    def get_absolute_url(self):
        return reverse("csr:assessment_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


def _evidence_path(instance, filename: str) -> str:
    return f"csr/evidence/{instance.csr_assessment_id}/{secrets.token_hex(8)}.pdf"


class Evidence(models.Model):
    """A PDF the company gives in support of one answer (evidenza documentale)."""

    MAX_BYTES = 10 * 1024 * 1024

    csr_assessment = models.ForeignKey(
        CsrAssessment,
        verbose_name=_("autovalutazione"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    node = models.CharField(_("voce della griglia"), max_length=40)
    file = models.FileField(_("file"), upload_to=_evidence_path)
    original_name = models.CharField(_("nome del file"), max_length=255)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caricata da"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("caricata il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["node", "id"]
        verbose_name = _("evidenza")
        verbose_name_plural = _("evidenze")

    def __str__(self):
        return f"{self.node}: {self.original_name}"

    @property
    def ref(self) -> str:
        """How the grids answer names it (kind "document")."""
        return f"{self.original_name} (#{self.pk})"


class ImprovementAction(models.Model):
    """One action of the company's improvement plan (piano di miglioramento)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Da avviare")
        ONGOING = "ongoing", _("In corso")
        DONE = "done", _("Completata")

    company = models.ForeignKey(
        Company, verbose_name=_("impresa"), on_delete=models.CASCADE, related_name="plan"
    )
    csr_assessment = models.ForeignKey(
        CsrAssessment,
        verbose_name=_("dall'autovalutazione"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    area = models.CharField(_("area"), max_length=8, choices=[(a, a) for a in AREAS])
    description = models.CharField(_("azione"), max_length=500)
    owner = models.CharField(_("responsabile"), max_length=200)
    due_date = models.DateField(_("scadenza"))
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    updated_at = models.DateTimeField(_("aggiornata il"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "due_date", "id"]
        verbose_name = _("azione di miglioramento")
        verbose_name_plural = _("azioni di miglioramento")

    def __str__(self):
        return self.description


def _attestation_code() -> str:
    return secrets.token_urlsafe(12)


class Attestation(Provenance):
    """Attestazione RSI: a validated self-assessment's level, valid for a period."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valida")
        EXPIRED = "expired", _("Scaduta")
        REVOKED = "revoked", _("Revocata")

    csr_assessment = models.OneToOneField(
        CsrAssessment,
        verbose_name=_("autovalutazione"),
        on_delete=models.PROTECT,
        related_name="attestation",
    )
    company = models.ForeignKey(
        Company, verbose_name=_("impresa"), on_delete=models.PROTECT, related_name="attestations"
    )
    code = models.CharField(
        _("codice di verifica"), max_length=24, unique=True, default=_attestation_code
    )
    level = models.CharField(_("livello"), max_length=12)
    total = models.DecimalField(_("punteggio validato"), max_digits=7, decimal_places=2)
    valid_from = models.DateField(_("valida dal"))
    valid_until = models.DateField(_("valida fino al"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rilasciata da"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revocata il"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocata da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revocation_reason = models.TextField(_("motivo della revoca"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("attestazione RSI")
        verbose_name_plural = _("attestazioni RSI")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="csr_attestation_period",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="csr_attestation_revocation_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.company} — {self.level} ({self.valid_from:%Y})"

    def get_absolute_url(self):
        return reverse("csr:attestation_verify", args=[self.code])

    def status_on(self, day: date | None = None) -> str:
        """valid, expired or revoked on `day` (today, in Europe/Rome, by default)."""
        if self.revoked_at is not None:
            return self.Status.REVOKED
        day = day or timezone.localdate()
        return self.Status.VALID if day <= self.valid_until else self.Status.EXPIRED

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def level_label(self) -> str:
        from django.utils.translation import get_language

        from . import levels

        return levels.label(self.level, (get_language() or "it")[:2])


class CompanyScore(models.Model):
    """A company's latest submitted result by area, kept for the benchmark (precomputed).

    One row per company, rewritten when a self-assessment is submitted; the benchmark reads
    only these rows through the (section, size class) index."""

    company = models.OneToOneField(
        Company, verbose_name=_("impresa"), on_delete=models.CASCADE, related_name="score"
    )
    csr_assessment = models.ForeignKey(
        CsrAssessment, verbose_name=_("autovalutazione"), on_delete=models.CASCADE, related_name="+"
    )
    ateco_section = models.CharField(_("sezione ATECO"), max_length=1)
    size_class = models.CharField(_("classe dimensionale"), max_length=8)
    a1 = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    a2 = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    a3 = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    a4 = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    a5 = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    a6 = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    a7 = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    total = models.DecimalField(max_digits=7, decimal_places=2)
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("punteggio per il confronto")
        verbose_name_plural = _("punteggi per il confronto")
        indexes = [models.Index(fields=["ateco_section", "size_class"], name="csr_score_group")]

    def __str__(self):
        return f"{self.company_id}: {self.ateco_section}/{self.size_class}"


class Expert(models.Model):
    """An expert appointed by a region to validate CSR self-assessments (valutatore RSI)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.PROTECT,
        related_name="csr_expert_roles",
    )
    region = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("regione"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": ["region", "autonomous_province"]},
    )
    active = models.BooleanField(_("in carica"), default=True)
    appointed_at = models.DateTimeField(_("nominato il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region_id", "user_id"]
        verbose_name = _("esperto RSI")
        verbose_name_plural = _("esperti RSI")
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="csr_expert_unique")]

    def __str__(self):
        return f"{self.user} — {self.region}"


class CallBonus(models.Model):
    """Premialità RSI of a grants call: a bonus node of the call's merit grid whose answer is
    read from the applicant's CSR attestation valid at the call's deadline (reti.csr.bonus).

    `values` gives, by attestation level, the answer the node gets on its scale (true for a
    yes/no bonus, a number for a range); a level not listed, no valid attestation or an
    applicant that is not a company gets the scale's lowest answer."""

    call = models.OneToOneField(
        "grants.Call", verbose_name=_("bando"), on_delete=models.CASCADE, related_name="csr_bonus"
    )
    node = models.CharField(_("voce premiale della griglia"), max_length=40)
    values = models.JSONField(
        _("risposta per livello"),
        default=dict,
        help_text=_('Per livello dell\'attestazione, es. {"base": 1, "advanced": 2}.'),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("premialità RSI di un bando")
        verbose_name_plural = _("premialità RSI dei bandi")

    def __str__(self):
        return f"{self.call} — {self.node}"

    def clean(self):
        from . import levels

        known = {level["code"] for level in levels.rules()["levels"]}
        if not isinstance(self.values, dict) or set(self.values) - known:
            raise ValidationError({"values": _("Livelli ammessi: %s.") % ", ".join(sorted(known))})
        template = self.call.grid_template if self.call_id else None
        if template is None:
            raise ValidationError({"node": _("Il bando non ha una griglia di merito.")})
        try:
            node = template.engine_template().node(self.node)
        except (KeyError, LookupError):
            node = None
        if node is None or node.kind != "bonus" or node.scale is None:
            message = _("Indicare una voce premiale della griglia del bando.")
            raise ValidationError({"node": message})


class PrizeEdition(Provenance):
    """Edizione del Premio nazionale RSI: categories, candidacies, a jury (a grids committee
    on the prize grid), a ranking per category and its published winners and mentions."""

    year = models.PositiveSmallIntegerField(_("anno"), unique=True)
    title_it = models.CharField(_("titolo (it)"), max_length=200)
    title_en = models.CharField(_("titolo (en)"), max_length=200, blank=True)
    network = models.ForeignKey(
        "registry.Network",
        verbose_name=_("rete che promuove il premio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "grids.GridTemplate", verbose_name=_("griglia della giuria"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    deadline = models.DateField(_("scadenza delle candidature"))
    mentions = models.PositiveSmallIntegerField(_("menzioni per categoria"), default=2)
    committee = models.OneToOneField(
        "grids.Committee",
        verbose_name=_("giuria"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("vincitori pubblicati il"), null=True, blank=True)
    ceremony = models.OneToOneField(
        "events.Event",
        verbose_name=_("cerimonia di premiazione"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="csr_prize_edition",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("edizione del premio RSI")
        verbose_name_plural = _("edizioni del premio RSI")

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "it").startswith("en")
        return (self.title_en if english and self.title_en else self.title_it) or str(self.year)

    def get_absolute_url(self):
        return reverse("csr:prize_edition", args=[self.year])

    @property
    def is_open(self) -> bool:
        return self.committee_id is None and timezone.localdate() <= self.deadline


class PrizeCategory(models.Model):
    """A category of an edition: the companies of some size classes, or the public
    administrations of the network (`public_administrations`), whatever their size."""

    edition = models.ForeignKey(
        PrizeEdition, verbose_name=_("edizione"), on_delete=models.CASCADE,
        related_name="categories",
    )  # fmt: skip
    code = models.SlugField(_("codice"), max_length=30)
    name_it = models.CharField(_("nome (it)"), max_length=200)
    name_en = models.CharField(_("nome (en)"), max_length=200, blank=True)
    size_classes = models.JSONField(_("classi dimensionali"), default=list, blank=True)
    public_administrations = models.BooleanField(
        _("categoria delle pubbliche amministrazioni"),
        default=False,
        help_text=_("Vi concorrono le pubbliche amministrazioni, qualunque sia la loro classe."),
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        ordering = ["edition_id", "order", "code"]
        verbose_name = _("categoria del premio")
        verbose_name_plural = _("categorie del premio")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="csr_prize_category_code")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "it").startswith("en")
        return self.name_en if english and self.name_en else self.name_it


class Candidacy(Provenance):
    """Candidatura di un'impresa al premio, with its validated self-assessment."""

    class Award(models.TextChoices):
        NONE = "", _("Nessun riconoscimento")
        WINNER = "winner", _("Vincitrice")
        MENTION = "mention", _("Menzione")

    edition = models.ForeignKey(
        PrizeEdition, verbose_name=_("edizione"), on_delete=models.PROTECT,
        related_name="candidacies",
    )  # fmt: skip
    category = models.ForeignKey(
        PrizeCategory, verbose_name=_("categoria"), on_delete=models.PROTECT, related_name="+"
    )
    company = models.ForeignKey(
        Company, verbose_name=_("impresa"), on_delete=models.PROTECT, related_name="candidacies"
    )
    csr_assessment = models.ForeignKey(
        CsrAssessment, verbose_name=_("autovalutazione validata"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    initiative = models.CharField(_("iniziativa candidata"), max_length=300)
    description = models.TextField(_("descrizione"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("presentata da"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("presentata il"), default=timezone.now)
    position = models.PositiveIntegerField(_("posizione in categoria"), null=True, blank=True)
    decided_by = models.CharField(_("spareggio decisivo"), max_length=40, blank=True)
    score = models.DecimalField(
        _("punteggio della giuria"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    award = models.CharField(
        _("riconoscimento"), max_length=10, choices=Award.choices, default="", blank=True
    )
    motivation = models.TextField(_("motivazione della giuria"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["edition_id", "category__order", "position", "submitted_at", "id"]
        verbose_name = _("candidatura al premio RSI")
        verbose_name_plural = _("candidature al premio RSI")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "company"],
                name="csr_candidacy_one_per_edition",
                violation_error_message=_("L'impresa è già candidata a questa edizione."),
            )
        ]

    def __str__(self):
        return f"{self.company} — {self.initiative}"

    def grid_organisations(self):
        """What grids' conflict rules read: the candidate company's organisation."""
        return [self.company.organisation]

    def subject_attributes(self) -> dict[str, str]:
        return {"size_class": self.company.size_class}


class Facilitation(Provenance):
    """Agevolazione amministrativa for socially responsible companies: a measure a region or
    administration grants to companies whose CSR attestation reaches a level."""

    class Kind(models.TextChoices):
        GUARANTEES = "guarantees", _("Riduzione delle garanzie")
        PROCEDURES = "procedures", _("Procedure più rapide")
        POINTS = "points", _("Punteggio aggiuntivo nei bandi")
        FEES = "fees", _("Riduzione di oneri e tributi")
        OTHER = "other", _("Altra agevolazione")

    region = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("regione"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": ["region", "autonomous_province"]},
    )
    granted_by = models.CharField(_("amministrazione che la concede"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    title_it = models.CharField(_("agevolazione (it)"), max_length=300)
    title_en = models.CharField(_("agevolazione (en)"), max_length=300, blank=True)
    required_level = models.CharField(_("livello RSI richiesto"), max_length=12)
    legal_basis = models.CharField(_("base giuridica"), max_length=300)
    valid_from = models.DateField(_("in vigore dal"))
    valid_until = models.DateField(_("in vigore fino al"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name_it", "required_level", "title_it", "id"]
        verbose_name = _("agevolazione per imprese socialmente responsabili")
        verbose_name_plural = _("agevolazioni per imprese socialmente responsabili")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="csr_facilitation_period",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "it").startswith("en")
        return self.title_en if english and self.title_en else self.title_it

    @property
    def level_label(self) -> str:
        from django.utils.translation import get_language

        from . import levels

        return levels.label(self.required_level, (get_language() or "it")[:2])

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def clean(self):
        from . import levels

        known = [level["code"] for level in levels.rules()["levels"]]
        if self.required_level not in known:
            raise ValidationError({"required_level": _("Livello sconosciuto.")})
        if self.region_id and self.region.level not in ("region", "autonomous_province"):
            raise ValidationError({"region": _("Indicare una regione o provincia autonoma.")})
