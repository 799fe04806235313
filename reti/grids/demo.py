"""The shipped grids and a synthetic committee for `reti demo`.

Loads the catalogue (idempotent), then replaces the synthetic committee: demo accounts
(`demo-griglie-N`, unusable password, addresses at example.org) as chair, secretary and
evaluators, synthetic registry organisations as subjects, balanced assignments, declarations
of no conflict and submitted assessments with random answers, all through the actions (so
results and traces are the engine's) and all marked synthetic. Real records are never
touched.
"""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError

from reti.registry.models import Organisation

from . import actions
from .forms import scored_nodes
from .models import (
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    CommitteeSubject,
    ConflictDeclaration,
    ConsensusRecord,
)

USER_PREFIX = "demo-griglie-"
SUBJECTS = {"small": 6, "national": 40}
EVALUATORS = 4
JUSTIFICATION = "Giudizio sintetico di dimostrazione."


def purge(*, report=lambda line: None) -> int:
    """Delete the synthetic committees with everything hanging from them and the demo accounts."""
    with transaction.atomic():
        committees = Committee.objects.filter(synthetic=True)
        ConsensusRecord.objects.filter(committee__in=committees).delete()
        Assessment.objects.filter(synthetic=True).delete()
        for model in (Assignment, ConflictDeclaration, CommitteeSubject, CommitteeMember):
            model.objects.filter(committee__in=committees).delete()
        removed = 0
        for committee in committees:
            try:
                with transaction.atomic():
                    committee.delete()
            except ProtectedError:  # another app's record names it: that app's demo removes it
                continue
            removed += 1
        get_user_model().objects.filter(username__startswith=USER_PREFIX).delete()
    report(f"Commissioni sintetiche rimosse: {removed:,}")
    return removed


def random_answers(template, rng: random.Random) -> dict:
    """A valid, complete set of answers to any template, with justification and evidence."""
    found = {}
    for node in scored_nodes(template):
        scale = template.scales.get(node.scale) if node.scale else None
        kind = scale.kind if scale else "yesno"
        if kind == "levels":
            value = rng.choice(scale.levels[1:] or scale.levels).code
        elif kind == "yesno":
            value = (node.kind != "gate" and rng.random() < 0.5) or rng.random() < 0.95
        elif kind == "range":
            steps = int((scale.max - scale.min) / (scale.step or 1))
            value = str(scale.min + (scale.step or 1) * rng.randint(steps // 2, steps))
        else:
            value = str(Decimal(rng.randint(40, 100)))
        evidence = [
            {"kind": kind, "ref": f"Documento sintetico {node.code}"} for kind in node.evidence
        ]
        found[node.code] = {"value": value, "justification": JUSTIFICATION, "evidence": evidence}
    return found


def _accounts():
    password = make_password(None)  # unusable: demo accounts never sign in
    users = []
    for n, (first, last) in enumerate(
        [("Presidente", "sintetico"), ("Segretaria", "sintetica")]
        + [("Valutatore", f"sintetico {i}") for i in range(1, EVALUATORS + 1)],
        start=1,
    ):
        users.append(
            get_user_model().objects.create(
                username=f"{USER_PREFIX}{n}",
                password=password,
                email=f"{USER_PREFIX}{n}@example.org",
                first_name=first,
                last_name=last,
            )
        )
    return users


def generate(scale: str, *, seed: int = 1, report=lambda line: None) -> dict[str, int]:
    """Load the catalogue and replace the synthetic committee for `scale`."""
    rng = random.Random(f"grids-{seed}")
    loaded = actions.load_catalogue()
    report(f"Griglie caricate: {sum(changed for _t, changed in loaded)} di {len(loaded)}")
    purge(report=report)
    template = next(t for t, _changed in loaded if t.code == "small-grant-merit")
    parsed = template.engine_template()
    with transaction.atomic():
        chair, secretary, *evaluators = _accounts()
        committee = Committee.objects.create(
            name_it="Commissione piccoli contributi (demo)",
            name_en="Small-grant committee (demo)",
            template=template,
            synthetic=True,
        )
        CommitteeMember.objects.create(committee=committee, user=chair, role="chair")
        CommitteeMember.objects.create(committee=committee, user=secretary, role="secretary")
        for user in evaluators:
            CommitteeMember.objects.create(committee=committee, user=user, role="member")
        subjects = list(
            Organisation.objects.filter(synthetic=True).order_by("id")[: SUBJECTS[scale]]
        )
        made, _short = actions.assign_balanced(chair, committee, subjects)
        submitted = 0
        for assignment in made:
            actions.declare_conflict(assignment.evaluator, assignment, False)
            if rng.random() < 0.2:
                continue  # left to do, as in a committee at work
            assessment = actions.start_assessment(assignment.evaluator, assignment)
            actions.save_draft(assignment.evaluator, assessment, random_answers(parsed, rng))
            actions.submit_assessment(assignment.evaluator, assessment)
            submitted += 1
    report(f"Valutazioni sintetiche inviate: {submitted:,}")
    return {"commissioni": 1, "assegnazioni": len(made), "valutazioni": submitted}
