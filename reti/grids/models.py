"""Evaluation grids (griglie di valutazione): template versions, assessments, committees.

The engine (reti/grids/engine/) computes; these models hold what it reads and what it
returned: a template version's YAML, an assessment's answers and the stored result with its
trace and the engine version, so `reti grids verify` can replay every result.
"""

import secrets
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import Provenance, translated


@lru_cache(maxsize=64)
def _parsed(text: str):
    from .engine import load_template

    return load_template(text)


class GridTemplate(models.Model):
    """One version of a grid (griglia); published versions never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        PUBLISHED = "published", _("Pubblicata")
        RETIRED = "retired", _("Ritirata")

    code = models.SlugField(_("codice"), max_length=80)
    version = models.PositiveIntegerField(_("versione"))
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title_it = models.CharField(_("titolo (italiano)"), max_length=300)
    title_en = models.CharField(_("titolo (inglese)"), max_length=300, blank=True)
    source = models.TextField(_("fonte"), blank=True)
    licence = models.CharField(_("licenza"), max_length=120, blank=True)
    yaml = models.TextField(_("testo YAML"))
    tree = models.JSONField(_("albero"), default=dict, blank=True, editable=False)
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornata il"), auto_now=True)

    history = HistoricalRecords()

    # What a published version may still change: its status (to retired) and timestamps.
    MUTABLE_WHEN_PUBLISHED = {"status", "updated_at"}

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("griglia (versione)")
        verbose_name_plural = _("griglie (versioni)")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="grid_template_code_version_unique",
                violation_error_message=_("Questa versione della griglia esiste già."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "retired"]),
                name="grid_template_status_known",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def save(self, *args, **kwargs):
        # Also refused outside the actions (a shell, a script): a published text is final.
        if self.frozen_changes():
            raise ValidationError(_("Una versione pubblicata non cambia: crearne una nuova."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("grids:grid_detail", args=[self.code, self.version])

    def clean(self):
        changed = self.frozen_changes()
        if changed:
            raise ValidationError(
                _("Una versione pubblicata non cambia: crearne una nuova (campi: %(fields)s).")
                % {"fields": ", ".join(changed)}
            )
        was = getattr(self._stored(), "status", None)
        if was == self.Status.RETIRED and self.status != self.Status.RETIRED:
            raise ValidationError({"status": _("Una versione ritirata resta ritirata.")})
        if was == self.Status.PUBLISHED and self.status == self.Status.DRAFT:
            raise ValidationError({"status": _("Una versione pubblicata non torna bozza.")})

    @property
    def title(self) -> str:
        return translated(self, "title")

    def engine_template(self):
        """The engine's Template parsed from the stored YAML (cached by text)."""
        return _parsed(self.yaml)

    def _stored(self):
        if self.pk is None:
            return None
        return GridTemplate.objects.filter(pk=self.pk).first()

    def frozen_changes(self) -> list[str]:
        """Fields changed on a version already published (or retired): none are allowed."""
        stored = self._stored()
        if stored is None or stored.status == self.Status.DRAFT:
            return []
        names = [f.attname for f in self._meta.concrete_fields]
        return [
            name
            for name in names
            if name not in self.MUTABLE_WHEN_PUBLISHED
            and getattr(stored, name) != getattr(self, name)
        ]


def _new_seed() -> str:
    return secrets.token_hex(8)


TIE_BREAKS_HELP = _(
    "In ordine, dopo esito e punteggio: node:<codice> (il punteggio più alto di quel criterio), "
    "submitted_at (la domanda presentata prima), lot (sorteggio dal seme)."
)


class Committee(Provenance):
    """A committee (commissione di valutazione) scoring subjects on one grid version.

    Its ranking (graduatoria) orders the consensus results by `engine.ranking.rank` with the
    committee's declared `tie_breaks` and its recorded `ranking_seed`."""

    name_it = models.CharField(_("nome (italiano)"), max_length=300)
    name_en = models.CharField(_("nome (inglese)"), max_length=300, blank=True)
    template = models.ForeignKey(
        GridTemplate, verbose_name=_("griglia"), on_delete=models.PROTECT, related_name="+"
    )
    network = models.ForeignKey(
        "registry.Network",
        verbose_name=_("rete"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    interregional = models.BooleanField(
        _("premio o avviso interregionale"),
        default=False,
        help_text=_("Un valutatore non valuta soggetti della propria regione."),
    )
    evaluators_per_subject = models.PositiveSmallIntegerField(
        _("valutatori per soggetto"), default=2
    )
    tie_breaks = models.JSONField(
        _("criteri di spareggio"),
        default=list,
        blank=True,
        help_text=TIE_BREAKS_HELP,
    )
    ranking_seed = models.CharField(
        _("seme del sorteggio"),
        max_length=64,
        default=_new_seed,
        help_text=_("Registrato: chiunque può rifare il sorteggio dai dati e dal seme."),
    )
    results_published_at = models.DateTimeField(
        _("esiti pubblicati il"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Dalla pubblicazione ogni soggetto vede la propria scheda collegiale; "
            "la pubblica il presidente."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_it", "id"]
        verbose_name = _("commissione")
        verbose_name_plural = _("commissioni")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")

    def get_absolute_url(self):
        return reverse("grids:committee_detail", args=[self.pk])

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    def clean(self):
        breaks = self.tie_breaks if isinstance(self.tie_breaks, list) else None
        if breaks is None or not all(isinstance(name, str) for name in breaks):
            raise ValidationError({"tie_breaks": _("Un elenco di criteri di spareggio.")})
        template = self.template.engine_template() if self.template_id else None
        codes = {node.code for node in template.walk()} if template else set()
        for name in breaks:
            if name in ("submitted_at", "lot"):
                continue
            if not (name.startswith("node:") and name[5:] in codes):
                raise ValidationError(
                    {
                        "tie_breaks": _(
                            "Criterio di spareggio sconosciuto: %(name)s (node:<codice della "
                            "griglia>, submitted_at o lot)."
                        )
                        % {"name": name}
                    }
                )
        if len(set(breaks)) != len(breaks):
            raise ValidationError({"tie_breaks": _("Un criterio di spareggio compare due volte.")})


class CommitteeMember(models.Model):
    """A user's role in a committee: chair (presidente), member, secretary."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Presidente")
        MEMBER = "member", _("Componente")
        SECRETARY = "secretary", _("Segretario")

    committee = models.ForeignKey(
        Committee, verbose_name=_("commissione"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.PROTECT,
        related_name="grid_committees",
    )
    role = models.CharField(_("ruolo"), max_length=10, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["committee_id", "role", "id"]
        verbose_name = _("componente della commissione")
        verbose_name_plural = _("componenti della commissione")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user"],
                name="grid_committee_member_unique",
                violation_error_message=_("Questa persona è già nella commissione."),
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class Subject(models.Model):
    """Anything a grid scores: an application, a company, a practice, a prize candidacy."""

    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("tipo di soggetto"), on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("soggetto"))
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        abstract = True

    def same_subject(self):
        return {"subject_type_id": self.subject_type_id, "subject_id": self.subject_id}


class CommitteeSubject(Subject):
    """A subject put before a committee (a candidacy, an application, a company)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("commissione"), on_delete=models.CASCADE, related_name="subjects"
    )
    added_at = models.DateTimeField(_("aggiunto il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["committee_id", "id"]
        verbose_name = _("soggetto da valutare")
        verbose_name_plural = _("soggetti da valutare")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "subject_type", "subject_id"],
                name="grid_committee_subject_unique",
                violation_error_message=_("Il soggetto è già davanti alla commissione."),
            )
        ]

    def __str__(self):
        return str(self.subject)


class Assignment(Subject):
    """A subject given to one evaluator of a committee."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("commissione"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("valutatore"),
        on_delete=models.PROTECT,
        related_name="grid_assignments",
    )
    # The conflicts detected when the chair assigned it anyway, and why (see conflicts.py).
    overridden_conflicts = models.JSONField(_("conflitti superati"), default=list, blank=True)
    override_reason = models.TextField(_("motivo della deroga"), blank=True)
    created_at = models.DateTimeField(_("assegnata il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["committee_id", "subject_type_id", "subject_id", "id"]
        verbose_name = _("assegnazione")
        verbose_name_plural = _("assegnazioni")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "evaluator", "subject_type", "subject_id"],
                name="grid_assignment_unique",
                violation_error_message=_("Il soggetto è già assegnato a questo valutatore."),
            )
        ]

    def __str__(self):
        return f"{self.evaluator} → {self.subject}"


class ConflictDeclaration(Subject):
    """An evaluator's declaration about one subject (ANAC guidelines 15/2019 kind)."""

    class Kind(models.TextChoices):
        FINANCIAL = "financial", _("Interesse finanziario o economico")
        FAMILY = "family", _("Rapporti di parentela, affinità o convivenza")
        PROFESSIONAL = "professional", _("Rapporti di lavoro, consulenza o collaborazione")
        ROLE = "role", _("Cariche in organi del soggetto o di enti collegati")
        DISPUTE = "dispute", _("Contenzioso, grave inimicizia, crediti o debiti")
        OTHER = "other", _("Altre gravi ragioni di convenienza")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("commissione"),
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("valutatore"),
        on_delete=models.PROTECT,
        related_name="grid_declarations",
    )
    has_conflict = models.BooleanField(_("dichiara un conflitto di interessi"))
    kinds = models.JSONField(_("tipi di interesse"), default=list, blank=True)
    description = models.TextField(_("descrizione"), blank=True)
    declared_at = models.DateTimeField(_("dichiarata il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("dichiarazione sul conflitto di interessi")
        verbose_name_plural = _("dichiarazioni sul conflitto di interessi")

    def __str__(self):
        return f"{self.evaluator} — {self.subject}"

    def clean(self):
        kinds = self.kinds if isinstance(self.kinds, list) else None
        if kinds is None or any(kind not in self.Kind.values for kind in kinds):
            raise ValidationError({"kinds": _("Tipo di interesse sconosciuto.")})
        if self.has_conflict and not kinds:
            raise ValidationError({"kinds": _("Indicare di che interesse si tratta.")})
        if self.has_conflict and not self.description.strip():
            raise ValidationError({"description": _("Descrivere il conflitto dichiarato.")})
        if not self.has_conflict and kinds:
            raise ValidationError({"kinds": _("Senza conflitto non si indicano interessi.")})

    def kind_labels(self) -> list[str]:
        return [str(self.Kind(kind).label) for kind in self.kinds]


class Assessment(Subject, Provenance):
    """One scoring (valutazione) of a subject on one template version, in a mode."""

    class Mode(models.TextChoices):
        SELF = "self", _("Autovalutazione")
        EXPERT = "expert", _("Valutazione esperta")
        PEER = "peer", _("Valutazione tra pari")
        CONSENSUS = "consensus", _("Valutazione collegiale")

    class State(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        SUBMITTED = "submitted", _("Inviata")

    template = models.ForeignKey(
        GridTemplate,
        verbose_name=_("griglia"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("commissione"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    mode = models.CharField(_("modalità"), max_length=10, choices=Mode.choices)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("valutatore"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grid_assessments",
    )
    state = models.CharField(
        _("stato"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    answers = models.JSONField(_("risposte"), default=dict, blank=True)
    subject_attributes = models.JSONField(_("attributi del soggetto"), default=dict, blank=True)
    # The engine's result (`Result.as_dict`) without its trace, which has a column of its own:
    # stored once, read only by the pages that show it. `full_result` joins the two.
    result = models.JSONField(_("risultato"), null=True, blank=True)
    trace = models.JSONField(_("traccia del calcolo"), null=True, blank=True)
    total = models.DecimalField(
        _("punteggio"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    outcome = models.CharField(_("esito"), max_length=20, blank=True)
    engine_version = models.CharField(_("versione del motore"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("inviata il"), null=True, blank=True)
    reprojected_from = models.ForeignKey(
        "self",
        verbose_name=_("riproiettata da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reprojections",
    )
    reprojection_notes = models.JSONField(_("note della riproiezione"), default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("valutazione")
        verbose_name_plural = _("valutazioni")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="grid_assessment_subject_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False, result__isnull=False),
                name="grid_assessment_submitted_has_result",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["self", "expert", "peer", "consensus"]),
                name="grid_assessment_mode_known",
            ),
        ]

    def __str__(self):
        return f"{self.template} — {self.subject} ({self.get_mode_display()})"

    def get_absolute_url(self):
        return reverse("grids:assessment_sheet", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def full_result(self) -> dict | None:
        """The engine's whole result, trace included (what `engine.Result.from_dict` reads)."""
        if self.result is None:
            return None
        return {**self.result, "trace": self.trace or []}


class ConsensusRecord(Subject):
    """The committee's decision on a subject: a consensus assessment and its justification."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("commissione"), on_delete=models.CASCADE, related_name="consensus"
    )
    assessment = models.OneToOneField(
        Assessment,
        verbose_name=_("valutazione collegiale"),
        on_delete=models.PROTECT,
        related_name="consensus_record",
    )
    justification = models.TextField(_("motivazione"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrata da"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("registrata il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("decisione collegiale")
        verbose_name_plural = _("decisioni collegiali")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "subject_type", "subject_id"],
                name="grid_consensus_unique",
                violation_error_message=_("La commissione ha già deciso su questo soggetto."),
            )
        ]

    def __str__(self):
        return f"{self.committee} — {self.subject}"

    def clean(self):
        if not (self.justification or "").strip():
            raise ValidationError({"justification": _("Motivare la decisione collegiale.")})
