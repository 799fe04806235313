"""Reads the grids' pages share: what an evaluator has before them."""

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
