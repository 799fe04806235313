"""Use cases of grids: check permission, change state in a transaction, write the audit trail.

Template versions are loaded from YAML (the shipped catalogue by `reti grids load`), then
published (final) and retired. Assessments save drafts and are submitted: submission calls
the engine once and stores its result, trace and version. Committees assign subjects to
evaluators balanced by load, refusing detected conflicts unless the chair overrides with a
reason, and record their consensus. `user=None` is the system (a management command or
`reti demo`): it may load and publish the shipped catalogue.
"""

from pathlib import Path

import yaml
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.lib import audit

from . import conflicts, engine, permissions, scoring
from .models import (
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    CommitteeSubject,
    ConflictDeclaration,
    ConsensusRecord,
    GridTemplate,
)

CATALOGUE = Path(__file__).resolve().parent / "catalogue"
Status = GridTemplate.Status
State = Assessment.State
# Audit reasons, stored in Italian and translated when shown (reti.lib.audit).
LOADED = gettext_noop("Griglia caricata")
PUBLISHED = gettext_noop("Griglia pubblicata")
RETIRED = gettext_noop("Griglia ritirata")
DRAFT_SAVED = gettext_noop("Bozza salvata")
SUBMITTED = gettext_noop("Valutazione inviata")
REOPENED = gettext_noop("Valutazione riaperta dal presidente")
REPROJECTED = gettext_noop("Riproiettata su una nuova versione")
ASSIGNED = gettext_noop("Assegnazione")
SUBJECT_ADDED = gettext_noop("Soggetto sottoposto alla commissione")
OVERRIDDEN = gettext_noop("Conflitto superato dal presidente")
DECLARED = gettext_noop("Dichiarazione sul conflitto di interessi")
CONSENSUS = gettext_noop("Decisione collegiale")
RESULTS_PUBLISHED = gettext_noop("Esiti della commissione pubblicati")
FIXED = gettext_noop("Risposte fissate dai dati dell'applicazione")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _system_or(user, allowed) -> bool:
    return user is None or allowed(user)


# Templates


def parse(text: str):
    """The engine's Template for `text`, or a ValidationError naming every node and field."""
    try:
        return engine.load_template(text)
    except engine.TemplateError as error:
        raise ValidationError(
            [f"{p.node or '-'} · {p.field}: {p.message}" for p in error.problems], code="yaml"
        ) from None


def _fields(parsed, text: str) -> dict:
    title = dict(parsed.title)
    return {
        "title_it": title.get("it", ""),
        "title_en": title.get("en", ""),
        "source": parsed.source or "",
        "licence": parsed.licence or "",
        "yaml": text,
        "tree": yaml.safe_load(text),
    }


@transaction.atomic
def load_template(user, text: str, *, reason: str = "") -> tuple[GridTemplate, bool]:
    """Store a version from its YAML; (version, whether anything changed).

    Loading the same text again changes nothing; a different text for a published version is
    refused (a change makes a new version); a draft takes the new text. The YAML's status
    "published" publishes the version once stored."""
    _require(_system_or(user, permissions.can_manage_templates), "You do not load grids.")
    parsed = parse(text)
    stored = (
        GridTemplate.objects.select_for_update()
        .filter(code=parsed.code, version=parsed.version)
        .first()
    )
    if stored is not None and stored.yaml == text:
        changed = False
    elif stored is not None and stored.status != Status.DRAFT:
        raise ValidationError(
            _("La versione %(version)s di %(code)s è pubblicata e non cambia: crearne una nuova.")
            % {"version": parsed.version, "code": parsed.code}
        )
    else:
        template = stored or GridTemplate(code=parsed.code, version=parsed.version)
        for name, value in _fields(parsed, text).items():
            setattr(template, name, value)
        audit.save(template, user, reason or LOADED)
        stored, changed = template, True
    if parsed.status == "published" and stored.status == Status.DRAFT:
        stored, changed = publish_template(user, stored), True
    elif parsed.status == "retired" and stored.status != Status.RETIRED:
        if stored.status == Status.DRAFT:
            stored = publish_template(user, stored)
        stored, changed = retire_template(user, stored), True
    return stored, changed


def catalogue_files() -> list[Path]:
    return sorted(CATALOGUE.glob("*.yaml"))


def load_catalogue(user=None) -> list[tuple[GridTemplate, bool]]:
    """Load every shipped grid (reti/grids/catalogue/*.yaml); running it again changes nothing."""
    return [load_template(user, path.read_text(encoding="utf-8")) for path in catalogue_files()]


def _locked_template(template: GridTemplate) -> GridTemplate:
    return GridTemplate.objects.select_for_update().get(pk=template.pk)


@transaction.atomic
def publish_template(user, template: GridTemplate) -> GridTemplate:
    """Publish a draft version: from now on it never changes."""
    _require(_system_or(user, permissions.can_manage_templates), "You do not publish grids.")
    template = _locked_template(template)
    if template.status != Status.DRAFT:
        raise ValidationError({"status": _("Solo una bozza si pubblica.")})
    parse(template.yaml)
    template.status = Status.PUBLISHED
    template.published_at = timezone.now()
    audit.save(template, user, PUBLISHED)
    return template


@transaction.atomic
def retire_template(user, template: GridTemplate) -> GridTemplate:
    """Retire a published version: no new assessments on it; old ones keep it."""
    _require(_system_or(user, permissions.can_manage_templates), "You do not retire grids.")
    template = _locked_template(template)
    if template.status != Status.PUBLISHED:
        raise ValidationError({"status": _("Solo una versione pubblicata si ritira.")})
    template.status = Status.RETIRED
    audit.save(template, user, RETIRED)
    return template


# Assessments


def fixed_answers(assessment: Assessment) -> dict:
    """The answers the apps fix for a committee's assessment, by node code (stored form).

    An app that opened the committee may read some answers from its own records (e.g. a
    call's CSR bonus from the applicant's attestation): it declares `grid_fixed_answers` on
    its AppConfig (reti.lib.extensions). grids applies them over whatever the evaluator or
    the consensus gave and knows nothing of where they come from."""
    if assessment.committee_id is None:
        return {}
    found: dict = {}
    for config in apps.get_app_configs():
        if getattr(config, "grid_fixed_answers", ""):
            found.update(import_string(config.grid_fixed_answers)(assessment))
    return scoring.clean_answers(found)


def _apply_fixed(assessment: Assessment, reason: str) -> str:
    """Set the fixed answers on `assessment`; the audit reason, naming them when they changed."""
    fixed = fixed_answers(assessment)
    changed = [code for code, item in fixed.items() if assessment.answers.get(code) != item]
    if not changed:
        return reason
    assessment.answers = {**assessment.answers, **fixed}
    detail = "; ".join(f"{code}: {fixed[code]['justification']}" for code in sorted(changed))
    return audit.reason(FIXED, detail[:400])


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("template").get(pk=assessment.pk)


@transaction.atomic
def start_assessment(user, assignment: Assignment) -> Assessment:
    """The assigned evaluator's assessment of the subject (a new draft the first time)."""
    _require(permissions.can_score(user, assignment), "You do not score this subject.")
    committee = assignment.committee
    found = committee.assessments.filter(
        evaluator=user, **assignment.same_subject(), template=committee.template
    ).exclude(mode=Assessment.Mode.CONSENSUS)
    existing = found.first()
    if existing is not None:
        existing.template = committee.template  # the same row, already read with the committee
        return existing
    if committee.template.status != Status.PUBLISHED:
        raise ValidationError(_("La griglia della commissione non è pubblicata."))
    assessment = Assessment(
        template=committee.template,
        committee=committee,
        mode=Assessment.Mode.EXPERT,
        evaluator=user,
        synthetic=committee.synthetic,
        **assignment.same_subject(),
    )
    # A subject that states its attributes (a prize candidacy's size class) gets the nodes
    # that apply to it.
    attributes = getattr(assignment.subject, "subject_attributes", None)
    if callable(attributes):
        assessment.subject_attributes = scoring.attributes(attributes())
    audit.save(assessment, user, _apply_fixed(assessment, DRAFT_SAVED))
    return assessment


@transaction.atomic
def start_self_assessment(user, template: GridTemplate, subject) -> Assessment:
    """A company's (or any subject's) own assessment on a published grid: the user's draft."""
    _require(permissions.can_self_assess(user, subject), "You do not assess this subject.")
    if template.status != Status.PUBLISHED:
        raise ValidationError({"template": _("La versione scelta non è pubblicata.")})
    fields = _subject_fields(subject)
    existing = Assessment.objects.filter(
        template=template, mode=Assessment.Mode.SELF, evaluator=user, state=State.DRAFT, **fields
    ).first()
    if existing is not None:
        return existing
    assessment = Assessment(
        template=template,
        mode=Assessment.Mode.SELF,
        evaluator=user,
        synthetic=getattr(subject, "synthetic", False),
        **fields,
    )
    audit.save(assessment, user, DRAFT_SAVED)
    return assessment


@transaction.atomic
def save_draft(user, assessment: Assessment, answers: dict, subject_attributes=None) -> Assessment:
    """Keep the answers given so far; nothing is computed until submission."""
    assessment = _locked(assessment)
    _require(permissions.can_edit_assessment(user, assessment), "You do not edit this assessment.")
    merged = dict(assessment.answers)
    merged.update(scoring.clean_answers(answers))
    assessment.answers = merged
    if subject_attributes is not None:
        assessment.subject_attributes = scoring.attributes(subject_attributes)
    audit.save(assessment, user, _apply_fixed(assessment, DRAFT_SAVED))
    return assessment


def _compute(assessment: Assessment) -> None:
    template = assessment.template.engine_template()
    found = scoring.problems(template, assessment.answers, assessment.subject_attributes)
    if found:
        errors: dict[str, list[str]] = {}
        for p in found:
            errors.setdefault(f"{p.node}.{p.field}" if p.node else "__all__", []).append(p.message)
        raise ValidationError(errors)
    result = scoring.run(template, assessment.answers, assessment.subject_attributes)
    assessment.result, assessment.trace = scoring.stored(result)
    assessment.total = result.total
    assessment.outcome = result.outcome
    assessment.engine_version = engine.ENGINE_VERSION


@transaction.atomic
def submit_assessment(user, assessment: Assessment) -> Assessment:
    """Compute the result with the engine and store it with its trace; no more edits."""
    assessment = _locked(assessment)
    _require(permissions.can_edit_assessment(user, assessment), "You do not submit this one.")
    why = _apply_fixed(assessment, SUBMITTED)
    _compute(assessment)
    assessment.state = State.SUBMITTED
    assessment.submitted_at = timezone.now()
    audit.save(assessment, user, why)
    return assessment


@transaction.atomic
def reopen_assessment(user, assessment: Assessment, reason: str) -> Assessment:
    """The chair sends a submitted assessment back to its evaluator, saying why."""
    assessment = _locked(assessment)
    _require(permissions.can_reopen(user, assessment), "You do not reopen this assessment.")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indicare il motivo della riapertura.")})
    assessment.state = State.DRAFT
    assessment.submitted_at = None
    assessment.result = assessment.trace = assessment.total = None
    assessment.outcome = assessment.engine_version = ""
    audit.save(assessment, user, audit.reason(REOPENED, reason[:200]))
    return assessment


@transaction.atomic
def reproject_assessment(
    user, assessment: Assessment, target: GridTemplate, reason: str
) -> Assessment:
    """A new draft on a newer version of the same grid, answers carried by node code.

    The original stays as it was; the new draft names it and lists the dropped and new nodes."""
    _require(permissions.can_reproject(user, assessment), "You do not re-project this one.")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indicare il motivo della riproiezione.")})
    source = assessment.template
    if target.code != source.code or target.version <= source.version:
        raise ValidationError({"template": _("Scegliere una versione più recente della griglia.")})
    if target.status != Status.PUBLISHED:
        raise ValidationError({"template": _("La versione scelta non è pubblicata.")})
    old = source.engine_template()
    carried, notes = engine.reproject(
        old, target.engine_template(), scoring.to_engine(old, assessment.answers)
    )
    answers = {
        code: {
            "value": scoring.stored_value(answer.value),
            "justification": answer.justification,
            "evidence": [{"kind": e[0], "ref": e[1]} for e in answer.evidence],
        }
        for code, answer in carried.items()
    }
    copy = Assessment(
        template=target,
        committee=assessment.committee,
        mode=assessment.mode,
        evaluator=assessment.evaluator,
        subject_type_id=assessment.subject_type_id,
        subject_id=assessment.subject_id,
        answers=answers,
        subject_attributes=assessment.subject_attributes,
        reprojected_from=assessment,
        reprojection_notes=[str(note) for note in notes],
        synthetic=assessment.synthetic,
    )
    audit.save(copy, user, audit.reason(REPROJECTED, reason[:200]))
    return copy


# Committees


def _subject_fields(subject) -> dict:
    from django.contrib.contenttypes.models import ContentType

    return {
        "subject_type": ContentType.objects.get_for_model(subject),
        "subject_id": subject.pk,
    }


def declared_conflict(committee: Committee, evaluator, subject_fields: dict) -> bool:
    return committee.declarations.filter(
        evaluator=evaluator, has_conflict=True, **subject_fields
    ).exists()


def _evaluator_roles():
    return (CommitteeMember.Role.CHAIR, CommitteeMember.Role.MEMBER)


@transaction.atomic
def assign(user, committee: Committee, evaluator, subject, override_reason: str = "") -> Assignment:
    """Give `subject` to `evaluator`; a detected conflict needs the chair's reason to pass."""
    _require(permissions.can_manage_committee(user, committee), "You do not assign here.")
    Committee.objects.select_for_update().get(pk=committee.pk)
    add_subjects(user, committee, [subject])
    if not committee.members.filter(user=evaluator, role__in=_evaluator_roles()).exists():
        raise ValidationError({"evaluator": _("Il valutatore non è componente della commissione.")})
    fields = _subject_fields(subject)
    if declared_conflict(committee, evaluator, fields):
        raise ValidationError(
            {"evaluator": _("Il valutatore ha dichiarato un conflitto su questo soggetto.")}
        )
    found = conflicts.detect(evaluator, subject, interregional=committee.interregional)
    override_reason = (override_reason or "").strip()
    if found and not override_reason:
        raise ValidationError({"evaluator": [c.message for c in found]}, code="conflict")
    assignment = Assignment(committee=committee, evaluator=evaluator, **fields)
    reason = ASSIGNED
    if found:
        assignment.overridden_conflicts = [c.as_dict() for c in found]
        assignment.override_reason = override_reason
        reason = audit.reason(OVERRIDDEN, override_reason[:200])
    audit.save(assignment, user, reason)
    return assignment


@transaction.atomic
def add_subjects(user, committee: Committee, subjects) -> list[CommitteeSubject]:
    """Put subjects before the committee (those already there are left as they are)."""
    _require(permissions.can_manage_committee(user, committee), "You do not add subjects here.")
    added = []
    for subject in subjects:
        fields = _subject_fields(subject)
        if not committee.subjects.filter(**fields).exists():
            row = CommitteeSubject(committee=committee, **fields)
            audit.save(row, user, SUBJECT_ADDED)
            added.append(row)
    return added


@transaction.atomic
def assign_balanced(user, committee: Committee, subjects=None) -> tuple[list[Assignment], list]:
    """Give each subject (by default the committee's) the committee's number of evaluators,
    least loaded first, skipping evaluators in conflict (detected or declared); the subjects
    are put before the committee; (assignments made, subjects left short)."""
    _require(permissions.can_manage_committee(user, committee), "You do not assign here.")
    if subjects is None:
        subjects = [row.subject for row in committee.subjects.all()]
    else:
        add_subjects(user, committee, subjects)
    Committee.objects.select_for_update().get(pk=committee.pk)
    members = list(committee.members.filter(role__in=_evaluator_roles()).select_related("user"))
    load = dict(
        committee.assignments.values("evaluator_id")
        .annotate(n=Count("id"))
        .values_list("evaluator_id", "n")
    )
    made, short = [], []
    for subject in subjects:
        fields = _subject_fields(subject)
        have = set(committee.assignments.filter(**fields).values_list("evaluator_id", flat=True))
        need = committee.evaluators_per_subject - len(have)
        candidates = sorted(
            (m.user for m in members if m.user_id not in have),
            key=lambda u: (load.get(u.pk, 0), u.pk),
        )
        for candidate in candidates:
            if need <= 0:
                break
            if declared_conflict(committee, candidate, fields) or conflicts.detect(
                candidate, subject, interregional=committee.interregional
            ):
                continue
            assignment = Assignment(committee=committee, evaluator=candidate, **fields)
            audit.save(assignment, user, ASSIGNED)
            made.append(assignment)
            load[candidate.pk] = load.get(candidate.pk, 0) + 1
            need -= 1
        if need > 0:
            short.append(subject)
    return made, short


@transaction.atomic
def declare_conflict(
    user, assignment: Assignment, has_conflict: bool, kinds=(), description: str = ""
) -> ConflictDeclaration:
    """The assigned evaluator's declaration on the subject; a conflict stops their scoring."""
    _require(user.is_authenticated and assignment.evaluator_id == user.pk, "Not your assignment.")
    declaration = ConflictDeclaration(
        committee=assignment.committee,
        evaluator=user,
        has_conflict=has_conflict,
        kinds=list(kinds),
        description=(description or "").strip(),
        **assignment.same_subject(),
    )
    audit.save(declaration, user, DECLARED)
    return declaration


def submitted_results(committee: Committee, subject_fields: dict) -> list[Assessment]:
    """The evaluators' submitted assessments of a subject (the consensus one aside)."""
    return list(
        committee.assessments.filter(state=State.SUBMITTED, **subject_fields)
        .exclude(mode=Assessment.Mode.CONSENSUS)
        .select_related("evaluator")
        .order_by("submitted_at", "pk")
    )


def divergence(committee: Committee, assessments: list[Assessment]):
    """The engine's divergence of these assessments under the grid's rule (None with < 2)."""
    if len(assessments) < 2:
        return None
    template = committee.template.engine_template()
    results = [engine.Result.from_dict(a.full_result) for a in assessments]
    return engine.divergence(results, template.divergence)


@transaction.atomic
def record_consensus(
    user, committee: Committee, subject, answers: dict, justification: str, subject_attributes=None
) -> ConsensusRecord:
    """The committee's decision: its own scores, computed by the engine, with a justification.

    Recorded by the chair or the secretary once every assigned evaluator has submitted."""
    _require(permissions.can_record_consensus(user, committee), "You do not record consensus.")
    if Committee.objects.filter(pk=committee.pk, results_published_at__isnull=False).exists():
        raise ValidationError(_("Gli esiti della commissione sono pubblicati: sono definitivi."))
    fields = _subject_fields(subject)
    if not permissions.all_submitted(committee, fields["subject_type"].pk, subject.pk):
        raise ValidationError(_("Non tutti i valutatori assegnati hanno inviato la valutazione."))
    if not (justification or "").strip():
        raise ValidationError({"justification": _("Motivare la decisione collegiale.")})
    if subject_attributes is None:
        first = submitted_results(committee, fields)
        subject_attributes = first[0].subject_attributes if first else {}
    # A consensus reopened (reopen_assessment) is recorded again on the same record.
    record = (
        ConsensusRecord.objects.select_for_update()
        .filter(committee=committee, **fields)
        .select_related("assessment")
        .first()
    )
    if record is not None and record.assessment.state != State.DRAFT:
        raise ValidationError(_("La commissione ha già deciso su questo soggetto."))
    assessment = (
        record.assessment
        if record is not None
        else Assessment(
            template=committee.template,
            committee=committee,
            mode=Assessment.Mode.CONSENSUS,
            synthetic=committee.synthetic,
            **fields,
        )
    )
    assessment.evaluator = user
    assessment.answers = scoring.clean_answers(answers)
    assessment.subject_attributes = scoring.attributes(subject_attributes)
    why = _apply_fixed(assessment, CONSENSUS)
    _compute(assessment)
    assessment.state = State.SUBMITTED
    assessment.submitted_at = timezone.now()
    audit.save(assessment, user, why)
    if record is None:
        record = ConsensusRecord(committee=committee, assessment=assessment, **fields)
    record.justification = justification.strip()
    record.recorded_by = user
    audit.save(record, user, audit.reason(CONSENSUS, justification.strip()[:200]))
    return record


@transaction.atomic
def publish_results(user, committee: Committee, note: str = "") -> Committee:
    """The chair publishes the committee's results: from now on each subject's owner sees the
    committee's sheet of its own subject (and nothing else), and no consensus changes."""
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    _require(permissions.can_publish_results(user, committee), "You do not publish results.")
    if committee.results_published:
        raise ValidationError(_("Gli esiti della commissione sono già pubblicati."))
    if not committee.consensus.exists():
        raise ValidationError(_("Nessuna decisione collegiale da pubblicare."))
    committee.results_published_at = timezone.now()
    audit.save(committee, user, audit.reason(RESULTS_PUBLISHED, (note or "")[:200]))
    return committee


# The check command


def verify(assessments=None):
    """Recompute stored submitted assessments; yields (assessment, differences) that differ.

    The rows are read as plain values, the trace as the text the database holds, and
    compared by `scoring.Replay` (each template parsed once); only an assessment that
    differs is read as a model instance."""
    queryset = assessments if assessments is not None else Assessment.objects.all()
    rows = (
        queryset.filter(state=State.SUBMITTED)
        .annotate(trace_text=Cast("trace", output_field=TextField()))
        .order_by("pk")
        .values_list(
            "pk",
            "template_id",
            "answers",
            "subject_attributes",
            "result",
            "trace_text",
            "engine_version",
        )
    )
    replays = {}
    for pk, template_id, answers, subject, result, trace, version in rows.iterator(2000):
        replay = replays.get(template_id)
        if replay is None:
            parsed = GridTemplate.objects.get(pk=template_id).engine_template()
            replay = replays[template_id] = scoring.Replay(parsed, connection.vendor)
        differences = replay.differences(answers, subject, result, trace)
        if version != engine.ENGINE_VERSION:
            differences.append(f"engine {version} → {engine.ENGINE_VERSION}")
        if differences:
            yield Assessment.objects.select_related("template").get(pk=pk), differences
