"""What grids hold about a person, and what erasing it does (reti.accounts.rights).

Their seats on evaluation committees, the assessments they wrote and their declarations of
conflicts of interest. Nothing is erased: they are the record of an evaluation in a public
procedure (who scored what, and whether they declared a conflict), which an applicant may ask
to see and an auditor to check; after erasure they point to the pseudonym, not the person.
"""

from django.utils.translation import gettext_noop

from reti.accounts.rights import Outcome, iso

from .models import Assessment, CommitteeMember, ConflictDeclaration

REASON = gettext_noop(
    "Le valutazioni e le dichiarazioni di conflitto di interessi sono atti di un procedimento"
    " pubblico, che i richiedenti possono consultare e i revisori verificare: restano legate"
    " allo pseudonimo."
)


def collect(user) -> dict[str, list[dict]]:
    return {
        "grids.committee_seats": [
            {"committee": str(m.committee), "role": m.role}
            for m in CommitteeMember.objects.filter(user=user).select_related("committee")
        ],
        "grids.assessments": [
            {
                "template": str(a.template),
                "committee": str(a.committee) if a.committee else None,
                "mode": a.mode,
                "subject_type": a.subject_type.model,
                "subject_id": a.subject_id,
                "state": a.state,
                "answers": a.answers,
                "total": str(a.total) if a.total is not None else None,
                "outcome": a.outcome,
                "submitted_at": iso(a.submitted_at),
            }
            for a in Assessment.objects.filter(evaluator=user).select_related(
                "template", "committee", "subject_type"
            )
        ],
        "grids.conflict_declarations": [
            {
                "committee": str(d.committee),
                "subject_type": d.subject_type.model,
                "subject_id": d.subject_id,
                "has_conflict": d.has_conflict,
                "description": d.description,
                "declared_at": iso(d.declared_at),
            }
            for d in ConflictDeclaration.objects.filter(evaluator=user).select_related(
                "committee", "subject_type"
            )
        ],
    }


def erase(user) -> list[Outcome]:
    counts = (
        (gettext_noop("Posti nelle commissioni di valutazione"), CommitteeMember, "user"),
        (gettext_noop("Valutazioni scritte"), Assessment, "evaluator"),
        (gettext_noop("Dichiarazioni di conflitto di interessi"), ConflictDeclaration, "evaluator"),
    )
    return [
        Outcome(what, model.objects.filter(**{field: user}).count(), kept=True, reason=REASON)
        for what, model, field in counts
    ]
