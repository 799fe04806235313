from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import Provenance, end_after_start, translated


class TargetGroup(models.Model):
    """A group of people a practice serves (destinatari): detainees, NEET, migrants..."""

    code = models.SlugField(_("codice"), max_length=60, unique=True)
    name_it = models.CharField(_("nome (italiano)"), max_length=200)
    name_en = models.CharField(_("nome (inglese)"), max_length=200, blank=True)

    class Meta:
        ordering = ["name_it"]
        verbose_name = _("gruppo di destinatari")
        verbose_name_plural = _("gruppi di destinatari")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return translated(self, "name")


class TranslationStatus(models.TextChoices):
    """How far the text of one language is: written in it, translated, or still missing."""

    ORIGINAL = "original", _("Testo originale")
    TRANSLATED = "translated", _("Traduzione rivista")
    TO_REVIEW = "to_review", _("Traduzione da rivedere")
    MISSING = "missing", _("Da tradurre")


# The texts of a practice, each in Italian (`_it`) and English (`_en`).
TEXT_FIELDS = (
    "summary",
    "description",
    "context",
    "resources",
    "results",
    "evidence",
    "difficulties",
    "transfer_potential",
)


def _texts(label):
    """An Italian and an English text field for one part of a practice."""
    return (
        models.TextField(format_lazy("{} ({})", label, _("italiano")), blank=True),
        models.TextField(format_lazy("{} ({})", label, _("inglese")), blank=True),
    )


class GoodPractice(Provenance):
    """A good practice (buona pratica) shared by a network or project, with its lifecycle.

    Authors (editors of the lead organisation) write a draft and submit it; the secretariat of
    its network validates it with a comment or sends it back with reasons, then publishes it.
    Only published practices are public.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        SUBMITTED = "submitted", _("Inviata alla validazione")
        SENT_BACK = "sent_back", _("Rinviata all'autore")
        VALIDATED = "validated", _("Validata")
        PUBLISHED = "published", _("Pubblicata")
        ARCHIVED = "archived", _("Archiviata")

    # States in which the authors may still change the text.
    EDITABLE = (State.DRAFT, State.SENT_BACK)

    title_it = models.CharField(_("titolo (italiano)"), max_length=300)
    title_en = models.CharField(_("titolo (inglese)"), max_length=300, blank=True)
    summary_it, summary_en = _texts(_("sintesi"))
    description_it, description_en = _texts(_("descrizione"))
    context_it, context_en = _texts(_("contesto e problema affrontato"))
    resources_it, resources_en = _texts(_("risorse necessarie"))
    results_it, results_en = _texts(_("risultati"))
    evidence_it, evidence_en = _texts(_("prove di successo"))
    difficulties_it, difficulties_en = _texts(_("difficoltà incontrate"))
    transfer_potential_it, transfer_potential_en = _texts(_("potenziale di trasferimento"))
    status_it = models.CharField(
        _("stato del testo italiano"),
        max_length=12,
        choices=TranslationStatus.choices,
        default=TranslationStatus.ORIGINAL,
    )
    status_en = models.CharField(
        _("stato del testo inglese"),
        max_length=12,
        choices=TranslationStatus.choices,
        default=TranslationStatus.MISSING,
    )

    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("destinatari"), blank=True, related_name="practices"
    )
    themes = models.ManyToManyField(
        "registry.Theme", verbose_name=_("temi"), blank=True, related_name="practices"
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territorio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    # The region containing `territory`, kept by the actions for the region facet.
    region = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("regione"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="region_practices",
        editable=False,
    )
    lead_organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organizzazione capofila"),
        on_delete=models.PROTECT,
        related_name="led_practices",
    )
    partner_organisations = models.ManyToManyField(
        "registry.Organisation",
        verbose_name=_("organizzazioni partner"),
        blank=True,
        related_name="partner_practices",
    )
    network = models.ForeignKey(
        "registry.Network",
        verbose_name=_("rete di origine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    project = models.ForeignKey(
        "registry.Project",
        verbose_name=_("progetto di origine"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    period = models.ForeignKey(
        "registry.ProgrammingPeriod",
        verbose_name=_("periodo di programmazione"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    start_date = models.DateField(_("inizio"), null=True, blank=True)
    end_date = models.DateField(_("fine"), null=True, blank=True)
    fund = models.ForeignKey(
        "registry.Fund",
        verbose_name=_("fondo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    amount = models.DecimalField(
        _("importo (euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    state = models.CharField(
        _("stato"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    sent_back_reason = models.TextField(_("motivi del rinvio"), blank=True)
    validation_comment = models.TextField(_("commento di validazione"), blank=True)
    submitted_at = models.DateTimeField(_("inviata il"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validata il"), null=True, blank=True)
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True, db_index=True)

    # Folded texts of both languages and of the attachments: what the search engine indexes.
    search_text = models.TextField(_("testo per la ricerca"), blank=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[target_groups, themes, partner_organisations],
        excluded_fields=["search_text"],
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("buona pratica")
        verbose_name_plural = _("buone pratiche")
        indexes = [
            models.Index(fields=["state", "-published_at", "-id"], name="practice_state_idx"),
            # Facet counts of published practices read these without touching the rows.
            models.Index(fields=["state", "network"], name="practice_state_network_idx"),
            models.Index(fields=["state", "region"], name="practice_state_region_idx"),
            models.Index(fields=["state", "period"], name="practice_state_period_idx"),
        ]
        constraints = [
            end_after_start("practice_end_after_start"),
            models.CheckConstraint(
                condition=~Q(title_it=""),
                name="practice_has_italian_title",
                violation_error_message=_("Il titolo in italiano è obbligatorio."),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="practice_amount_not_negative",
                violation_error_message=_("L'importo non può essere negativo."),
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "draft",
                        "submitted",
                        "sent_back",
                        "validated",
                        "published",
                        "archived",
                    ]
                ),
                name="practice_state_known",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent_back") | ~Q(sent_back_reason=""),
                name="practice_sent_back_has_reason",
                violation_error_message=_("Una pratica rinviata deve avere i motivi del rinvio."),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["submitted", "validated", "published"])
                | Q(submitted_at__isnull=False),
                name="practice_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["validated", "published"]) | Q(validated_at__isnull=False),
                name="practice_validated_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="practice_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(validated_at__isnull=True)
                | Q(published_at__gte=F("validated_at")),
                name="practice_published_after_validation",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return translated(self, "title")

    def text(self, field: str) -> str:
        """One of TEXT_FIELDS in the reader's language, Italian when English is missing."""
        return translated(self, field)

    @property
    def is_public(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE

    def get_absolute_url(self):
        return reverse("knowledge:practice_detail", args=[self.pk])

    def clean(self):
        # The constraints say the same; here the error names the field to correct.
        errors = {}
        if self.amount is not None and self.amount < 0:
            errors["amount"] = _("L'importo non può essere negativo.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La data di fine precede quella di inizio.")
        if errors:
            raise ValidationError(errors)


class PracticeResult(models.Model):
    """A quantified result of a practice, with the evidence it rests on."""

    practice = models.ForeignKey(
        GoodPractice, verbose_name=_("pratica"), on_delete=models.CASCADE, related_name="figures"
    )
    label_it = models.CharField(_("risultato (italiano)"), max_length=300)
    label_en = models.CharField(_("risultato (inglese)"), max_length=300, blank=True)
    value = models.DecimalField(_("valore"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unità"), max_length=60, blank=True, help_text=_("Es. persone, %"))
    evidence = models.CharField(
        _("fonte della prova"),
        max_length=400,
        blank=True,
        help_text=_("Rapporto di valutazione, dati di monitoraggio..."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["practice_id", "id"]
        verbose_name = _("risultato quantificato")
        verbose_name_plural = _("risultati quantificati")

    def __str__(self):
        return f"{self.label}: {self.value} {self.unit}".strip()

    @property
    def label(self):
        return translated(self, "label")


class PracticeContact(models.Model):
    """A contact for a practice: a registry person, or a name typed with recorded consent."""

    practice = models.ForeignKey(
        GoodPractice, verbose_name=_("pratica"), on_delete=models.CASCADE, related_name="contacts"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("persona del registro"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="practice_contacts",
    )
    name = models.CharField(_("nome e cognome"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("ruolo"), max_length=200, blank=True)
    consent = models.BooleanField(
        _("consenso alla pubblicazione"),
        default=False,
        help_text=_("Obbligatorio per un contatto scritto a mano."),
    )
    consent_recorded_at = models.DateTimeField(_("consenso registrato il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["practice_id", "id"]
        verbose_name = _("contatto")
        verbose_name_plural = _("contatti")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(name=""))
                | (Q(person__isnull=True) & ~Q(name="")),
                name="contact_person_or_name",
                violation_error_message=_(
                    "Indicare una persona del registro oppure un nome, non entrambi."
                ),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | (Q(consent=True) & Q(consent_recorded_at__isnull=False)),
                name="contact_free_text_has_consent",
                violation_error_message=_(
                    "Un contatto scritto a mano richiede il consenso alla pubblicazione."
                ),
            ),
        ]

    def __str__(self):
        return str(self.person) if self.person_id else self.name

    @property
    def is_public(self) -> bool:
        """Registry people are shown only with their own consent; typed names always have it."""
        if self.person_id:
            return self.person.public_consent
        return self.consent


class PracticeLink(models.Model):
    """A web link about a practice (its site, a report, a video)."""

    practice = models.ForeignKey(
        GoodPractice, verbose_name=_("pratica"), on_delete=models.CASCADE, related_name="links"
    )
    url = models.URLField(_("indirizzo"), max_length=500)
    label_it = models.CharField(_("descrizione (italiano)"), max_length=200)
    label_en = models.CharField(_("descrizione (inglese)"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["practice_id", "id"]
        verbose_name = _("collegamento")
        verbose_name_plural = _("collegamenti")
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="practice_link_is_web",
                violation_error_message=_("Il collegamento deve iniziare con http:// o https://."),
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return translated(self, "label")
