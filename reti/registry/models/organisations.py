from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import Provenance, end_after_start, translated

from ..validators import compact_tax_code, validate_codice_fiscale, validate_partita_iva


class Organisation(Provenance):
    """An organisation: a Region, a ministry, a cooperative, a company, an EU body..."""

    class Kind(models.TextChoices):
        REGION = "region", _("Regione o Provincia autonoma")
        MINISTRY = "ministry", _("Ministero")
        MINISTRY_DEPARTMENT = "ministry_department", _("Dipartimento ministeriale")
        NATIONAL_AGENCY = "national_agency", _("Agenzia nazionale")
        EU_BODY = "eu_body", _("Organismo dell'Unione europea")
        FOREIGN_AUTHORITY = "foreign_authority", _("Autorità pubblica estera")
        THIRD_SECTOR = "third_sector", _("Ente del terzo settore")
        SOCIAL_COOP_A = "social_coop_a", _("Cooperativa sociale di tipo A")
        SOCIAL_COOP_B = "social_coop_b", _("Cooperativa sociale di tipo B")
        COMPANY = "company", _("Impresa")
        UNIVERSITY = "university", _("Università")
        TRAINING_BODY = "training_body", _("Ente di formazione")
        TECHNICAL_ASSISTANCE = "technical_assistance", _("Struttura di assistenza tecnica")
        OTHER = "other", _("Altro")

    class RuntsSection(models.TextChoices):
        """The seven sections of the Registro unico nazionale del terzo settore."""

        ODV = "odv", _("a) Organizzazioni di volontariato")
        APS = "aps", _("b) Associazioni di promozione sociale")
        ENTE_FILANTROPICO = "filantropico", _("c) Enti filantropici")
        IMPRESA_SOCIALE = "impresa_sociale", _("d) Imprese sociali, incluse le cooperative sociali")
        RETE_ASSOCIATIVA = "rete_associativa", _("e) Reti associative")
        SOMS = "soms", _("f) Società di mutuo soccorso")
        ALTRO = "altro", _("g) Altri enti del terzo settore")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Attiva")
        CEASED = "ceased", _("Cessata")

    name_it = models.CharField(_("nome (italiano)"), max_length=300)
    name_en = models.CharField(_("nome (inglese)"), max_length=300, blank=True)
    acronym = models.CharField(_("sigla"), max_length=40, blank=True)
    key = models.SlugField(
        _("chiave"),
        max_length=80,
        null=True,
        blank=True,
        unique=True,
        help_text=_(
            "Identificativo stabile nei file di dati caricati (es. data/presentation.yaml)."
        ),
    )
    kind = models.CharField(_("tipo"), max_length=24, choices=Kind.choices, db_index=True)
    runts_section = models.CharField(
        _("sezione RUNTS"), max_length=20, choices=RuntsSection.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ente di appartenenza"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territorio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    tax_code = models.CharField(
        _("codice fiscale"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_codice_fiscale],
    )
    vat_number = models.CharField(
        _("partita IVA"),
        max_length=11,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_partita_iva],
    )
    website = models.URLField(_("sito web"), blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    note_it = models.TextField(_("nota (italiano)"), blank=True)
    note_en = models.TextField(_("nota (inglese)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_it", "id"]
        verbose_name = _("organizzazione")
        verbose_name_plural = _("organizzazioni")
        indexes = [models.Index(fields=["name_it", "id"], name="org_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(runts_section="")
                | Q(kind__in=["third_sector", "social_coop_a", "social_coop_b"]),
                name="org_runts_only_third_sector",
                violation_error_message=_(
                    "La sezione RUNTS vale solo per gli enti del terzo settore e le cooperative "
                    "sociali."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="org_not_own_parent",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return translated(self, "name")

    def get_absolute_url(self):
        return reverse("admin:registry_organisation_change", args=[self.pk])

    def clean_fields(self, exclude=None):
        # Spaces and lower case are how people type codes; compact before the length check.
        self.tax_code = compact_tax_code(self.tax_code)
        self.vat_number = compact_tax_code(self.vat_number)
        super().clean_fields(exclude=exclude)

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Un ente non può appartenere a sé stesso.")})


class Person(Provenance):
    """A contact person. Listed publicly only with recorded consent."""

    given_name = models.CharField(_("nome"), max_length=120)
    family_name = models.CharField(_("cognome"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    public_consent = models.BooleanField(_("consenso alla pubblicazione"), default=False)
    consent_recorded_at = models.DateTimeField(_("consenso registrato il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("persona")
        verbose_name_plural = _("persone")
        constraints = [
            models.CheckConstraint(
                condition=Q(public_consent=False) | Q(consent_recorded_at__isnull=False),
                name="person_consent_has_date",
                violation_error_message=_("Il consenso deve avere una data di registrazione."),
            )
        ]

    def __str__(self):
        return f"{self.given_name} {self.family_name}"


class Affiliation(Provenance):
    """A person's role in an organisation, over time."""

    person = models.ForeignKey(
        Person, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organizzazione"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    position = models.CharField(_("ruolo"), max_length=200)
    start_date = models.DateField(_("dal"), null=True, blank=True)
    end_date = models.DateField(_("al"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation_id", "person_id"]
        verbose_name = _("ruolo di una persona")
        verbose_name_plural = _("ruoli delle persone")
        constraints = [end_after_start("affiliation_end_after_start")]

    def __str__(self):
        return f"{self.person} — {self.position}, {self.organisation}"
