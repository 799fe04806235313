from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import Provenance, end_after_start, translated


class Project(Provenance):
    """A project: interregional, transnational, or an inter-institutional agreement."""

    class Kind(models.TextChoices):
        INTERREGIONAL = "interregional", _("Progetto interregionale")
        TRANSNATIONAL = "transnational", _("Progetto transnazionale")
        AGREEMENT = "agreement", _("Accordo interistituzionale")
        GRANT = "grant", _("Progetto finanziato da un bando (piccoli sussidi)")
        # A project of a cohesion programme, as OpenCoesione publishes it (reti.opencoesione).
        OPERATION = "operation", _("Progetto di un programma della coesione")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Programmato")
        ACTIVE = "active", _("In corso")
        COMPLETED = "completed", _("Concluso")

    title_it = models.CharField(_("titolo (italiano)"), max_length=400)
    title_en = models.CharField(_("titolo (inglese)"), max_length=400, blank=True)
    acronym = models.CharField(_("sigla"), max_length=60, blank=True)
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
    cup = models.CharField(
        _("CUP"),
        max_length=15,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Codice unico di progetto."),
    )
    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices, db_index=True)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, db_index=True)
    period = models.ForeignKey(
        "registry.ProgrammingPeriod",
        verbose_name=_("periodo di programmazione"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    fund = models.ForeignKey(
        "registry.Fund",
        verbose_name=_("fondo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    themes = models.ManyToManyField(
        "registry.Theme", verbose_name=_("temi"), blank=True, related_name="projects"
    )
    networks = models.ManyToManyField(
        "registry.Network", verbose_name=_("reti collegate"), blank=True, related_name="projects"
    )
    objectives_it = models.TextField(_("finalità (italiano)"), blank=True)
    objectives_en = models.TextField(_("finalità (inglese)"), blank=True)
    results_it = models.TextField(_("risultati (italiano)"), blank=True)
    results_en = models.TextField(_("risultati (inglese)"), blank=True)
    budget = models.DecimalField(
        _("budget (euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField(_("inizio"), null=True, blank=True)
    end_date = models.DateField(_("fine"), null=True, blank=True)
    declared_partner_count = models.PositiveIntegerField(
        _("numero di partner dichiarato"),
        null=True,
        blank=True,
        help_text=_("Quando la fonte dà un numero di partner senza nominarli tutti."),
    )
    declared_region_count = models.PositiveIntegerField(
        _("numero di Regioni dichiarato"),
        null=True,
        blank=True,
        help_text=_(
            "Quando la fonte dice quante Regioni partecipano senza nominarle tutte "
            "(«11 Regioni italiane»): accanto a quelle note per nome, mai inventate."
        ),
    )
    partners_note_it = models.TextField(_("partner secondo la fonte (italiano)"), blank=True)
    partners_note_en = models.TextField(_("partner secondo la fonte (inglese)"), blank=True)
    history = HistoricalRecords(m2m_fields=[themes, networks])

    class Meta:
        ordering = ["-id"]
        verbose_name = _("progetto")
        verbose_name_plural = _("progetti")
        indexes = [
            models.Index(fields=["period", "status", "id"], name="project_period_idx"),
            models.Index(fields=["fund", "id"], name="project_fund_idx"),
            models.Index(fields=["kind", "id"], name="project_kind_idx"),
        ]
        constraints = [end_after_start("project_end_after_start")]

    def __str__(self):
        return self.acronym or self.title

    @property
    def title(self):
        return translated(self, "title")

    @property
    def objectives(self):
        return translated(self, "objectives")

    def get_absolute_url(self):
        return reverse("admin:registry_project_change", args=[self.pk])


class Partnership(Provenance):
    """An organisation's place in a project (partenariato)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Capofila")
        PARTNER = "partner", _("Partner")
        ASSOCIATED = "associated", _("Associato")

    project = models.ForeignKey(
        Project, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organizzazione"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    role = models.CharField(_("ruolo"), max_length=10, choices=Role.choices, db_index=True)
    contribution_it = models.TextField(_("esperienza e contributo (italiano)"), blank=True)
    contribution_en = models.TextField(_("esperienza e contributo (inglese)"), blank=True)
    start_date = models.DateField(_("dal"), null=True, blank=True)
    end_date = models.DateField(_("al"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "role", "id"]
        verbose_name = _("partenariato")
        verbose_name_plural = _("partenariati")
        indexes = [models.Index(fields=["organisation", "project"], name="partnership_org_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="partnership_unique",
                violation_error_message=_("Questa organizzazione è già partner del progetto."),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(role="lead"),
                name="partnership_one_lead",
                violation_error_message=_("Il progetto ha già un capofila."),
            ),
            end_after_start("partnership_end_after_start"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.get_role_display()}"


class Action(Provenance):
    """An action of a project or of a network (ricognizione, monitoraggio, visite di studio...)."""

    class Kind(models.TextChoices):
        SURVEY_ANALYSIS = "survey_analysis", _("Ricognizione e analisi")
        MONITORING_EVALUATION = "monitoring_evaluation", _("Monitoraggio e valutazione")
        COMMUNICATION = "communication", _("Comunicazione e diffusione")
        STUDY_VISIT = "study_visit", _("Visite di studio")
        EXCHANGE = "exchange", _("Scambio di esperienze e buone pratiche")
        SEMINAR = "seminar", _("Seminari con esperti")
        THEMATIC_MEETING = "thematic_meeting", _("Incontri tematici")
        PEER_REVIEW = "peer_review", _("Peer review")
        COMMUNITY_OF_PRACTICE = "community_of_practice", _("Comunità di pratiche")
        INTERVENTION = "intervention", _("Interventi nei territori")
        COMMON_PRODUCTS = "common_products", _("Prodotti comuni")
        FACILITATION = "facilitation", _("Facilitazioni amministrative")
        AWARD = "award", _("Premi e valorizzazione")
        OTHER = "other", _("Altro")

    class Level(models.TextChoices):
        TERRITORIAL = "territorial", _("Nei territori")
        INTERREGIONAL = "interregional", _("Interregionale e interistituzionale")
        TRANSNATIONAL = "transnational", _("Transnazionale")

    project = models.ForeignKey(
        Project,
        verbose_name=_("progetto"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    network = models.ForeignKey(
        "registry.Network",
        verbose_name=_("rete"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    kind = models.CharField(_("tipo"), max_length=24, choices=Kind.choices)
    level = models.CharField(_("livello"), max_length=16, choices=Level.choices)
    title_it = models.CharField(_("titolo (italiano)"), max_length=400)
    title_en = models.CharField(_("titolo (inglese)"), max_length=400, blank=True)
    description_it = models.TextField(_("descrizione (italiano)"), blank=True)
    description_en = models.TextField(_("descrizione (inglese)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("azione")
        verbose_name_plural = _("azioni")
        constraints = [
            models.CheckConstraint(
                condition=(Q(project__isnull=False) & Q(network__isnull=True))
                | (Q(project__isnull=True) & Q(network__isnull=False)),
                name="action_of_project_or_network",
                violation_error_message=_("Un'azione appartiene a un progetto o a una rete."),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return translated(self, "title")


class ProjectPlace(models.Model):
    """A territory where one of a project's partners is located: its municipality, province
    (or autonomous province) and region, once per project.

    Derived from partnerships and organisations (reti.registry.places keeps it up to date) and
    read by the territory filter of project lists: any level is one index range, already in
    project order, instead of a walk over every project probing its partners.
    """

    # Keyed by project first, so a bulk load appends rows in the order it makes projects;
    # the territory index is built once, sorted, at the end.
    pk = models.CompositePrimaryKey("project", "territory")
    project = models.ForeignKey(
        Project,
        verbose_name=_("progetto"),
        on_delete=models.CASCADE,
        related_name="places",
        db_index=False,  # the primary key starts with it
    )
    territory = models.ForeignKey(
        "registry.Territory",
        verbose_name=_("territorio"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # projectplace_territory_idx starts with it
    )

    class Meta:
        verbose_name = _("territorio di un progetto")
        verbose_name_plural = _("territori dei progetti")
        indexes = [models.Index(fields=["territory", "project"], name="projectplace_territory_idx")]

    def __str__(self):
        return f"{self.project_id} @ {self.territory_id}"
