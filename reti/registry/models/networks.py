from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import Provenance, end_after_start, translated

from .base import overlaps


class Network(Provenance):
    """A network of Regions and other bodies (rete), interregional, transnational or EU-wide."""

    class Scope(models.TextChoices):
        INTERREGIONAL = "interregional", _("Interregionale")
        TRANSNATIONAL = "transnational", _("Transnazionale")
        EU_LEARNING = "eu_learning", _("Rete di apprendimento europea")

    class Status(models.TextChoices):
        STARTING = "starting", _("In fase di avvio")
        ACTIVE = "active", _("Attiva")
        CLOSED = "closed", _("Chiusa")

    slug = models.SlugField(_("identificativo"), max_length=80, unique=True)
    name_it = models.CharField(_("nome (italiano)"), max_length=300)
    name_en = models.CharField(_("nome (inglese)"), max_length=300, blank=True)
    acronym = models.CharField(_("sigla"), max_length=40, blank=True)
    scope = models.CharField(_("ambito"), max_length=20, choices=Scope.choices, db_index=True)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, db_index=True)
    purpose_it = models.TextField(_("finalità (italiano)"), blank=True)
    purpose_en = models.TextField(_("finalità (inglese)"), blank=True)
    themes = models.ManyToManyField(
        "registry.Theme", verbose_name=_("temi"), blank=True, related_name="networks"
    )
    periods = models.ManyToManyField(
        "registry.ProgrammingPeriod",
        verbose_name=_("periodi di programmazione"),
        blank=True,
        related_name="networks",
    )
    start_date = models.DateField(_("attiva dal"), null=True, blank=True)
    end_date = models.DateField(_("chiusa il"), null=True, blank=True)
    declared_member_count = models.PositiveIntegerField(
        _("numero di membri dichiarato"),
        null=True,
        blank=True,
        help_text=_("Quando la fonte dà un numero senza nomi."),
    )
    website = models.URLField(_("sito web"), blank=True)

    history = HistoricalRecords(m2m_fields=[themes, periods])

    class Meta:
        ordering = ["name_it", "id"]
        verbose_name = _("rete")
        verbose_name_plural = _("reti")
        indexes = [models.Index(fields=["name_it", "id"], name="network_name_idx")]
        constraints = [end_after_start("network_end_after_start")]

    def __str__(self):
        return self.acronym or self.name

    @property
    def name(self):
        return translated(self, "name")

    @property
    def purpose(self):
        return translated(self, "purpose")

    def get_absolute_url(self):
        return reverse("admin:registry_network_change", args=[self.pk])

    def projects_by_id(self, limit: int, newest: bool = False):
        """The network's first `limit` projects by id (the newest with `newest`).

        The ids come from the (network, project) index of the link table in order, so only
        those projects are read: a network has hundreds, each on its own page of a table of
        millions, and sorting them all to show twenty read every one.
        """
        order = "-project_id" if newest else "project_id"
        links = self.projects.through.objects.filter(network=self).order_by(order)
        ids = links.values("project_id")[:limit]
        return self.projects.model.objects.filter(pk__in=ids).order_by("-id" if newest else "id")

    def covers(self, start, end) -> bool:
        """Whether a date range lies within the network's lifetime (open bounds allowed)."""
        if self.start_date and start and start < self.start_date:
            return False
        if self.start_date and not start and end and end < self.start_date:
            return False
        return not (
            self.end_date and ((end and end > self.end_date) or (start and start > self.end_date))
        )


class NetworkLink(Provenance):
    """A typed link from one network to another (ESFCoNet is linked to EARLALL)."""

    class Kind(models.TextChoices):
        LINKED_TO = "linked_to", _("collegata a")
        SUPPORTS = "supports", _("sostiene")
        PART_OF = "part_of", _("fa parte di")

    from_network = models.ForeignKey(
        Network, verbose_name=_("da"), on_delete=models.CASCADE, related_name="links_out"
    )
    to_network = models.ForeignKey(
        Network, verbose_name=_("a"), on_delete=models.CASCADE, related_name="links_in"
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    note_it = models.TextField(_("nota (italiano)"), blank=True)
    note_en = models.TextField(_("nota (inglese)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["from_network_id", "to_network_id"]
        verbose_name = _("collegamento tra reti")
        verbose_name_plural = _("collegamenti tra reti")
        constraints = [
            models.UniqueConstraint(
                fields=["from_network", "to_network", "kind"], name="network_link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_network=F("to_network")),
                name="network_link_not_self",
                violation_error_message=_("Una rete non può essere collegata a sé stessa."),
            ),
        ]

    def __str__(self):
        return f"{self.from_network} {self.get_kind_display()} {self.to_network}"


class GoverningRole(Provenance):
    """An organisation's role in a network over time: secretariat, presidency, member..."""

    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("Segretariato")
        PRESIDENCY = "presidency", _("Presidenza")
        COORDINATOR = "coordinator", _("Coordinamento")
        MEMBER = "member", _("Membro")
        OBSERVER = "observer", _("Osservatore")

    # Roles held by one organisation at a time: their terms may not overlap.
    EXCLUSIVE = {Role.SECRETARIAT, Role.PRESIDENCY}

    network = models.ForeignKey(
        Network, verbose_name=_("rete"), on_delete=models.CASCADE, related_name="roles"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organizzazione"),
        on_delete=models.PROTECT,
        related_name="network_roles",
    )
    role = models.CharField(_("ruolo"), max_length=12, choices=Role.choices, db_index=True)
    start_date = models.DateField(_("dal"), null=True, blank=True)
    end_date = models.DateField(_("al"), null=True, blank=True)
    attested_on = models.DateField(
        _("attestato il"),
        null=True,
        blank=True,
        help_text=_("Data in cui la fonte attesta il ruolo, quando inizio e fine non sono noti."),
    )
    note_it = models.TextField(_("nota (italiano)"), blank=True)
    note_en = models.TextField(_("nota (inglese)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["network_id", "role", "start_date", "id"]
        verbose_name = _("ruolo nella rete")
        verbose_name_plural = _("ruoli nella rete")
        indexes = [models.Index(fields=["organisation", "network"], name="role_org_idx")]
        constraints = [end_after_start("role_end_after_start")]

    def __str__(self):
        return f"{self.organisation} — {self.get_role_display()} ({self.network})"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La data di fine precede quella di inizio.")
        network = self.network if self.network_id else None
        if network and not network.covers(self.start_date, self.end_date):
            errors["start_date"] = _(
                "Il ruolo cade fuori dalla vita della rete (%(start)s – %(end)s)."
            ) % {"start": network.start_date or "…", "end": network.end_date or "…"}
        if network and self.role in self.EXCLUSIVE and not errors:
            clash = self._overlapping_term()
            if clash is not None:
                errors["start_date"] = _("%(role)s si sovrappone a quella di %(org)s.") % {
                    "role": self.get_role_display(),
                    "org": clash.organisation,
                }
        if errors:
            raise ValidationError(errors)

    def _overlapping_term(self):
        """Another term of this exclusive role overlapping this one; undated terms never clash."""
        if not (self.start_date or self.end_date):
            return None
        others = GoverningRole.objects.filter(network_id=self.network_id, role=self.role)
        for other in others.exclude(pk=self.pk).select_related("organisation"):
            dated = other.start_date or other.end_date
            if dated and overlaps(self.start_date, self.end_date, other.start_date, other.end_date):
                return other
        return None

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class WorkingGroup(Provenance):
    """A working group of a network with its yearly programme (gruppo di lavoro)."""

    class NetworkRelation(models.TextChoices):
        """What the source says of the group's related networks (slide 8 says both)."""

        SUPPORTED_BY = "supported_by", _("Con il sostegno di")
        IN_CONNECTION = "in_connection", _("In collegamento con")

    network = models.ForeignKey(
        Network, verbose_name=_("rete"), on_delete=models.CASCADE, related_name="working_groups"
    )
    title_it = models.CharField(_("titolo (italiano)"), max_length=300)
    title_en = models.CharField(_("titolo (inglese)"), max_length=300, blank=True)
    programme_year = models.PositiveSmallIntegerField(_("anno del programma"))
    themes = models.ManyToManyField(
        "registry.Theme", verbose_name=_("temi"), blank=True, related_name="working_groups"
    )
    coordinator = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("coordinatore"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_groups",
    )
    priorities_it = models.TextField(
        _("priorità (italiano)"), blank=True, help_text=_("Una priorità per riga.")
    )
    priorities_en = models.TextField(_("priorità (inglese)"), blank=True)
    programme_it = models.TextField(_("programma annuale (italiano)"), blank=True)
    programme_en = models.TextField(_("programma annuale (inglese)"), blank=True)
    related_networks = models.ManyToManyField(
        Network, verbose_name=_("reti collegate"), blank=True, related_name="supported_groups"
    )
    network_relation = models.CharField(
        _("rapporto con le reti collegate"),
        max_length=16,
        choices=NetworkRelation.choices,
        default=NetworkRelation.IN_CONNECTION,
        help_text=_("Come la fonte lega il gruppo alle reti collegate."),
    )

    history = HistoricalRecords(m2m_fields=[themes, related_networks])

    class Meta:
        ordering = ["network_id", "-programme_year", "title_it"]
        verbose_name = _("gruppo di lavoro")
        verbose_name_plural = _("gruppi di lavoro")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "programme_year", "title_it"], name="working_group_unique"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.programme_year})"

    @property
    def title(self):
        return translated(self, "title")

    @property
    def priorities(self) -> list[str]:
        return [
            line.strip() for line in translated(self, "priorities").splitlines() if line.strip()
        ]
