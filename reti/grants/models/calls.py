"""The instrument and its calls: programme, global grant, call with lines, quotas and rules.

A call (bando) is written as a draft, then published by the intermediate body's officer: from
then on it is frozen, and every change is an amendment (`CallAmendment`, with its own date
and act); the only field an amendment changes on the call is the deadline (an extension).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import Provenance, end_after_start, translated
from reti.registry.models import Organisation

from ..agreement import DEFAULT_AGREEMENT, unknown_placeholders
from .fields import MoneyField, rate_field


class Programme(Provenance):
    """Programma operativo (PO/PR) of a managing authority (Autorità di gestione)."""

    code = models.CharField(_("codice"), max_length=40, unique=True)
    title_it = models.CharField(_("titolo (italiano)"), max_length=300)
    title_en = models.CharField(_("titolo (inglese)"), max_length=300, blank=True)
    managing_authority = models.ForeignKey(
        Organisation,
        verbose_name=_("autorità di gestione"),
        on_delete=models.PROTECT,
        related_name="managed_programmes",
    )
    fund = models.ForeignKey(
        "registry.Fund", verbose_name=_("fondo"), null=True, blank=True, on_delete=models.PROTECT
    )
    priority = models.CharField(_("priorità"), max_length=200, blank=True)
    period = models.ForeignKey(
        "registry.ProgrammingPeriod",
        verbose_name=_("periodo di programmazione"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("programma")
        verbose_name_plural = _("programmi")

    def __str__(self):
        return f"{self.code} — {self.title}"

    @property
    def title(self) -> str:
        return translated(self, "title")


class GlobalGrant(Provenance):
    """Sovvenzione Globale: funds a managing authority entrusts to an intermediate body."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.PROTECT, related_name="grants"
    )
    title_it = models.CharField(_("titolo (italiano)"), max_length=300)
    title_en = models.CharField(_("titolo (inglese)"), max_length=300, blank=True)
    intermediate_body = models.ForeignKey(
        Organisation,
        verbose_name=_("organismo intermedio"),
        on_delete=models.PROTECT,
        related_name="global_grants",
    )
    agreement_act = models.CharField(_("atto di convenzione"), max_length=200)
    agreement_date = models.DateField(_("data della convenzione"))
    allocation = MoneyField(_("dotazione (euro)"))
    start_date = models.DateField(_("dal"))
    end_date = models.DateField(_("al"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title_it"]
        verbose_name = _("sovvenzione globale")
        verbose_name_plural = _("sovvenzioni globali")
        constraints = [end_after_start("global_grant_end_after_start")]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return translated(self, "title")


class Call(Provenance):
    """Bando (avviso pubblico) of a global grant: lines, money, eligibility, ranking rules."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        PUBLISHED = "published", _("Pubblicato")
        CLOSED = "closed", _("Chiuso")

    class PartialFunding(models.TextChoices):
        """What happens to the last fundable application when the money left is not enough."""

        PARTIAL = "partial", _("Finanziamento parziale dell'ultima domanda")
        SKIP = "skip", _("Si passa alla prima domanda successiva che rientra")
        STOP = "stop", _("Ci si ferma")

    class TieBreak(models.TextChoices):
        """Criteria deciding ties of score, applied in the order the call lists them."""

        SUBMITTED_AT = "submitted_at", _("Prima la domanda presentata prima")
        REQUESTED_LESS = "requested_amount", _("Prima il contributo richiesto minore")
        COFINANCING_MORE = "cofinancing_share", _("Prima il cofinanziamento più alto")
        PROTOCOL = "protocol_number", _("Prima il numero di protocollo minore")

    global_grant = models.ForeignKey(
        GlobalGrant,
        verbose_name=_("sovvenzione globale"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    code = models.SlugField(_("codice"), max_length=60, unique=True)
    title_it = models.CharField(_("titolo (italiano)"), max_length=300)
    title_en = models.CharField(_("titolo (inglese)"), max_length=300, blank=True)
    text_it = models.TextField(_("testo (italiano)"))
    text_en = models.TextField(_("testo (inglese)"), blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    opens_at = models.DateTimeField(_("apertura"))
    deadline = models.DateTimeField(_("scadenza"))
    min_grant = MoneyField(_("contributo minimo (euro)"))
    max_grant = MoneyField(_("contributo massimo (euro)"))
    cofinancing_rate = rate_field(
        _("quota minima di cofinanziamento"),
        help_text=_("Frazione del costo totale a carico del proponente: 0,2 per il 20%."),
    )
    grid_template = models.ForeignKey(
        "grids.GridTemplate",
        verbose_name=_("griglia di merito"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merit_threshold = models.DecimalField(
        _("soglia di merito"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    tie_breaks = models.JSONField(
        _("criteri di spareggio"),
        default=list,
        blank=True,
        help_text=_(
            "In ordine: submitted_at, requested_amount, cofinancing_share, protocol_number."
        ),
    )
    partial_funding_policy = models.CharField(
        _("ultima domanda finanziabile"),
        max_length=10,
        choices=PartialFunding.choices,
        default=PartialFunding.PARTIAL,
    )
    ranking_validity_months = models.PositiveSmallIntegerField(
        _("validità della graduatoria (mesi)"), default=12
    )
    appeal_window_days = models.PositiveSmallIntegerField(
        _("termine per i ricorsi (giorni)"),
        default=15,
        help_text=_(
            "Giorni dalla pubblicazione della graduatoria provvisoria entro cui si presenta "
            "un ricorso (fino alla fine dell'ultimo giorno, ora italiana)."
        ),
    )
    committee = models.OneToOneField(
        "grids.Committee",
        verbose_name=_("commissione di valutazione"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    eligible_runts_sections = models.JSONField(
        _("sezioni RUNTS ammesse"), default=list, blank=True, help_text=_("Vuoto: tutte.")
    )
    eligible_legal_forms = models.JSONField(
        _("forme giuridiche ammesse"), default=list, blank=True, help_text=_("Vuoto: tutte.")
    )
    eligible_territories = models.ManyToManyField(
        "registry.Territory",
        verbose_name=_("territori ammessi"),
        blank=True,
        related_name="+",
        help_text=_("Vuoto: tutti."),
    )
    partnership_rules_it = models.TextField(_("regole di partenariato (italiano)"), blank=True)
    partnership_rules_en = models.TextField(_("regole di partenariato (inglese)"), blank=True)
    published_at = models.DateTimeField(_("pubblicato il"), null=True, blank=True)
    # Grant management terms, stated by the call (reti.grants.models.management).
    themes = models.ManyToManyField(
        "registry.Theme", verbose_name=_("temi"), blank=True, related_name="+"
    )
    agreement_template_it = models.TextField(
        _("modello di convenzione (italiano)"),
        default=DEFAULT_AGREEMENT,
        help_text=_(
            "Segnaposto tra graffe riempiti con i dati della concessione, ad esempio "
            "{beneficiario}, {cup}, {importo}: l'elenco è in docs/grants-management.md."
        ),
    )
    advance_rate = rate_field(_("anticipo (quota del contributo)"), default=Decimal("0.4"))
    advance_requires_guarantee = models.BooleanField(
        _("l'anticipo richiede una garanzia fideiussoria"), default=True
    )
    intermediate_rate = rate_field(
        _("acconto intermedio (quota del contributo)"), default=Decimal("0.4")
    )
    intermediate_min_verified_share = rate_field(
        _("acconto intermedio: spesa verificata minima (quota del contributo)"),
        default=Decimal("0.5"),
    )
    budget_shift_tolerance = rate_field(
        _("variazioni di budget tra categorie senza nuova istruttoria (quota)"),
        default=Decimal("0.1"),
        help_text=_("Quota della categoria di origine spostabile: 0,1 per il 10%."),
    )

    history = HistoricalRecords()

    # What a published call may still change: its status, the deadline (by an amendment),
    # the committee opened after the deadline.
    MUTABLE_WHEN_PUBLISHED = {"status", "deadline", "updated_at", "committee_id"}

    class Meta:
        ordering = ["-deadline", "code"]
        verbose_name = _("bando")
        verbose_name_plural = _("bandi")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opens_at")),
                name="call_deadline_after_opening",
                violation_error_message=_("La scadenza deve seguire l'apertura."),
            ),
            models.CheckConstraint(
                condition=Q(max_grant__gte=models.F("min_grant")),
                name="call_max_grant_not_below_min",
                violation_error_message=_("Il contributo massimo è inferiore al minimo."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def text(self) -> str:
        return translated(self, "text")

    @property
    def partnership_rules(self) -> str:
        return translated(self, "partnership_rules")

    def get_absolute_url(self):
        return reverse("grants:call_detail", args=[self.code])

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def is_open(self, now) -> bool:
        """Accepting applications at `now` (published, opened, deadline not reached)."""
        return self.status == self.Status.PUBLISHED and self.opens_at <= now < self.deadline

    def clean(self):
        errors = {}
        for name, values, allowed in (
            ("tie_breaks", self.tie_breaks, self.TieBreak.values),
            (
                "eligible_runts_sections",
                self.eligible_runts_sections,
                Organisation.RuntsSection.values,
            ),
            ("eligible_legal_forms", self.eligible_legal_forms, Organisation.Kind.values),
        ):
            if not isinstance(values, list) or any(v not in allowed for v in values):
                errors[name] = _("Valori ammessi: %(values)s.") % {"values": ", ".join(allowed)}
            elif len(set(values)) != len(values):
                errors[name] = _("Un valore è ripetuto.")
        unknown = unknown_placeholders(self.agreement_template_it)
        if unknown:
            errors["agreement_template_it"] = _("Segnaposto sconosciuti: %(names)s.") % {
                "names": ", ".join(unknown)
            }
        if self.pk and self.status != self.Status.DRAFT:
            changed = self.frozen_changes()
            if changed:
                errors["__all__"] = _(
                    "Un bando pubblicato non cambia: le modifiche sono rettifiche "
                    "(campi: %(fields)s)."
                ) % {"fields": ", ".join(sorted(changed))}
        if errors:
            raise ValidationError(errors)

    def frozen_changes(self) -> set[str]:
        """Fields changed on a call already published, other than those an amendment may change."""
        stored = type(self).objects.filter(pk=self.pk).values().first()
        if not stored or stored["status"] == self.Status.DRAFT:
            return set()
        changed = set()
        for field in self._meta.concrete_fields:
            if field.attname in self.MUTABLE_WHEN_PUBLISHED or field.attname == "id":
                continue
            if field.attname in ("created_at",):
                continue
            if getattr(self, field.attname) != stored[field.attname]:
                changed.add(field.name)
        return changed


class CallLine(models.Model):
    """Linea di intervento of a call, with its own budget."""

    call = models.ForeignKey(
        Call, verbose_name=_("bando"), on_delete=models.CASCADE, related_name="lines"
    )
    code = models.CharField(_("codice"), max_length=20)
    title_it = models.CharField(_("titolo (italiano)"), max_length=300)
    title_en = models.CharField(_("titolo (inglese)"), max_length=300, blank=True)
    budget = MoneyField(_("dotazione (euro)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "code"]
        verbose_name = _("linea")
        verbose_name_plural = _("linee")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "code"],
                name="call_line_code_unique",
                violation_error_message=_("Il bando ha già una linea con questo codice."),
            )
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    @property
    def title(self) -> str:
        return translated(self, "title")


class Quota(models.Model):
    """Riserva: part of a line's budget kept for a territory or a type of applicant."""

    line = models.ForeignKey(
        CallLine, verbose_name=_("linea"), on_delete=models.CASCADE, related_name="quotas"
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territorio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant_type = models.CharField(
        _("tipo di proponente"), max_length=24, choices=Organisation.Kind.choices, blank=True
    )
    amount = MoneyField(_("importo riservato (euro)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "id"]
        verbose_name = _("riserva")
        verbose_name_plural = _("riserve")
        constraints = [
            models.CheckConstraint(
                condition=(Q(territory__isnull=False) & Q(applicant_type=""))
                | (Q(territory__isnull=True) & ~Q(applicant_type="")),
                name="quota_territory_or_applicant_type",
                violation_error_message=_(
                    "Una riserva è per un territorio o per un tipo di proponente."
                ),
            )
        ]

    def __str__(self):
        return f"{self.line.code}: {self.territory or self.get_applicant_type_display()}"

    def clean(self):
        if self.line_id and self.amount is not None and self.amount > self.line.budget:
            raise ValidationError({"amount": _("La riserva supera la dotazione della linea.")})


class CostCategory(models.Model):
    """Categoria di spesa ammissibile, with an optional cap (amount or share of the total)."""

    call = models.ForeignKey(
        Call, verbose_name=_("bando"), on_delete=models.CASCADE, related_name="cost_categories"
    )
    code = models.CharField(_("codice"), max_length=20)
    name_it = models.CharField(_("nome (italiano)"), max_length=200)
    name_en = models.CharField(_("nome (inglese)"), max_length=200, blank=True)
    cap_amount = MoneyField(_("massimale (euro)"), null=True, blank=True)
    cap_share = rate_field(
        _("massimale (quota del costo totale)"),
        null=True,
        blank=True,
        help_text=_("0,1 per il 10% del costo totale del progetto."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "code"]
        verbose_name = _("categoria di spesa")
        verbose_name_plural = _("categorie di spesa")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "code"],
                name="cost_category_code_unique",
                violation_error_message=_("Il bando ha già una categoria con questo codice."),
            )
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def name(self) -> str:
        return translated(self, "name")


class RequiredAttachment(models.Model):
    """Allegato richiesto dal bando (PDF)."""

    call = models.ForeignKey(
        Call, verbose_name=_("bando"), on_delete=models.CASCADE, related_name="required_attachments"
    )
    code = models.CharField(_("codice"), max_length=20)
    title_it = models.CharField(_("titolo (italiano)"), max_length=300)
    title_en = models.CharField(_("titolo (inglese)"), max_length=300, blank=True)
    mandatory = models.BooleanField(_("obbligatorio"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "code"]
        verbose_name = _("allegato richiesto")
        verbose_name_plural = _("allegati richiesti")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "code"],
                name="required_attachment_code_unique",
                violation_error_message=_("Il bando richiede già un allegato con questo codice."),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return translated(self, "title")


class CallAmendment(models.Model):
    """Rettifica of a published call: its own date and act; may extend the deadline."""

    call = models.ForeignKey(
        Call, verbose_name=_("bando"), on_delete=models.PROTECT, related_name="amendments"
    )
    date = models.DateField(_("data"))
    act = models.CharField(_("atto"), max_length=200)
    text_it = models.TextField(_("testo (italiano)"))
    text_en = models.TextField(_("testo (inglese)"), blank=True)
    new_deadline = models.DateTimeField(_("nuova scadenza"), null=True, blank=True)
    created_at = models.DateTimeField(_("registrata il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "date", "id"]
        verbose_name = _("rettifica")
        verbose_name_plural = _("rettifiche")

    def __str__(self):
        return f"{self.act} ({self.date})"

    @property
    def text(self) -> str:
        return translated(self, "text")


class CallFAQ(models.Model):
    """Chiarimento (FAQ) on a call: shown once published, with its date."""

    call = models.ForeignKey(
        Call, verbose_name=_("bando"), on_delete=models.CASCADE, related_name="faqs"
    )
    question_it = models.TextField(_("domanda (italiano)"))
    question_en = models.TextField(_("domanda (inglese)"), blank=True)
    answer_it = models.TextField(_("risposta (italiano)"))
    answer_en = models.TextField(_("risposta (inglese)"), blank=True)
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["call", "published_at", "id"]
        verbose_name = _("chiarimento (FAQ)")
        verbose_name_plural = _("chiarimenti (FAQ)")

    def __str__(self):
        return self.question[:80]

    @property
    def question(self) -> str:
        return translated(self, "question")

    @property
    def answer(self) -> str:
        return translated(self, "answer")
