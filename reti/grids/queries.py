"""Reads the grids' pages and API share: what an evaluator has before them, and a
committee's ranking (graduatoria)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from reti.accounts.permissions import editable_organisation_ids
from reti.registry.models import Organisation

from .engine.ranking import Entry, rank
from .models import Assessment, Assignment


def assignments_of(user) -> list[tuple]:
    """(assignment, the evaluator's own assessment or None, their declaration or None) for
    each subject assigned to `user`, by committee."""
    assignments = (
        Assignment.objects.filter(evaluator=user)
        .select_related("committee__template", "subject_type")
        .order_by("committee_id", "pk")
    )
    mine = {
        (a.committee_id, a.subject_type_id, a.subject_id): a
        for a in Assessment.objects.filter(evaluator=user).exclude(mode=Assessment.Mode.CONSENSUS)
    }
    declared = {
        (d.committee_id, d.subject_type_id, d.subject_id): d
        for d in user.grid_declarations.order_by("declared_at", "pk")
    }
    rows = []
    for assignment in assignments:
        key = (assignment.committee_id, assignment.subject_type_id, assignment.subject_id)
        rows.append((assignment, mine.get(key), declared.get(key)))
    return rows


@dataclass(frozen=True)
class RankingRow:
    """One ranked subject: its position, what decided it, and the figures it was ranked on."""

    position: int
    subject: object
    subject_key: str
    total: Decimal
    max_points: str
    outcome: str
    scores: dict
    submitted_at: object
    decided_by: str
    lot: str
    assessment_id: int


@dataclass(frozen=True)
class Ranking:
    """A committee's ranking (graduatoria): the rows, the declared tie-breaks, the seed, and
    the subjects still without a consensus (not ranked)."""

    committee: object
    tie_breaks: tuple
    seed: str
    rows: list
    pending: list = field(default_factory=list)


def subject_key(subject_type_id: int, subject_id: int) -> str:
    """The key a subject is ranked and drawn by ("<content type id>:<id>"): stored data only,
    so anyone can redo the lot from the seed."""
    return f"{subject_type_id}:{subject_id}"


def committee_ranking(committee) -> Ranking:
    """The committee's consensus results ranked by `engine.ranking.rank` with its declared
    tie-breaks and recorded seed. "submitted_at" is the subject's own submission time (an
    application's), when the subject has one; subjects without a consensus are listed apart."""
    tie_breaks = tuple(committee.tie_breaks or ())
    nodes = [name[5:] for name in tie_breaks if name.startswith("node:")]
    records = list(
        committee.consensus.select_related("assessment", "subject_type")
        .prefetch_related("subject")
        .order_by("pk")
    )
    subjects = {}
    entries = []
    for record in records:
        assessment = record.assessment
        key = subject_key(record.subject_type_id, record.subject_id)
        by_node = {e["node"]: e for e in assessment.trace or [] if e.get("node") in nodes}
        scores = {
            code: Decimal(by_node[code]["points"])
            for code in nodes
            if code in by_node and by_node[code].get("points") is not None
        }
        subject = record.subject
        subjects[key] = (subject, assessment)
        entries.append(
            Entry(
                subject=key,
                total=Decimal(assessment.result["total"]),
                scores=scores,
                submitted_at=getattr(subject, "submitted_at", None),
                outcome=assessment.outcome,
            )
        )
    ranked = rank(entries, tie_breaks, committee.ranking_seed)
    rows = []
    for item in ranked:
        subject, assessment = subjects[item.entry.subject]
        rows.append(
            RankingRow(
                position=item.position,
                subject=subject,
                subject_key=item.entry.subject,
                total=item.entry.total,
                max_points=assessment.result["max_points"],
                outcome=item.entry.outcome,
                scores=dict(item.entry.scores),
                submitted_at=item.entry.submitted_at,
                decided_by=item.decided_by,
                lot=item.lot,
                assessment_id=assessment.pk,
            )
        )
    decided = {(r.subject_type_id, r.subject_id) for r in records}
    pending = [
        row.subject
        for row in committee.subjects.select_related("subject_type")
        if (row.subject_type_id, row.subject_id) not in decided
    ]
    return Ranking(committee, tie_breaks, committee.ranking_seed, rows, pending)


def published_sheets_of(user) -> list:
    """The committees' published sheets (consensus assessments) of the organisations `user`
    edits, newest first: what an applicant reads of its own evaluation. Subjects of other
    kinds (a practice, an application) are reached from their own pages."""
    mine = editable_organisation_ids(user)
    if not mine:
        return []
    return list(
        Assessment.objects.filter(
            mode=Assessment.Mode.CONSENSUS,
            state=Assessment.State.SUBMITTED,
            committee__results_published_at__isnull=False,
            subject_type=ContentType.objects.get_for_model(Organisation),
            subject_id__in=mine,
        )
        .select_related("committee", "template")
        .order_by("-committee__results_published_at", "-pk")
    )
