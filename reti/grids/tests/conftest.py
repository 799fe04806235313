"""Fixtures of the grids tests: the shipped grids, and a committee around the cast.

`grids` is a committee scoring one company on the small-grant merit grid: a chair, a
secretary and two evaluators (A and B) who have declared no conflict and are assigned the
company. `ANSWERS` is a complete, valid set of answers to that grid."""

from dataclasses import dataclass

import pytest
from django.utils import translation

from reti.browser_testing import browser, page, pytest_runtest_makereport  # noqa: F401
from reti.grids import actions
from reti.grids.models import Committee, CommitteeMember, GridTemplate
from reti.registry.models import Organisation
from reti.registry.tests import factories as rf

GOOD = {"value": "good", "justification": "", "evidence": []}
DOCUMENT = [{"kind": "document", "ref": "Allegato 1"}]
ANSWERS = {
    "ADM-DEADLINE": {"value": True},
    "ADM-SIGNATURE": {"value": True, "evidence": DOCUMENT},
    "ADM-ELIGIBLE": {"value": True},
    "ADM-BUDGET": {"value": True},
    "A1": GOOD,
    "A2": {**GOOD, "evidence": DOCUMENT},
    "A3": GOOD,
    "B1": GOOD,
    "B2": GOOD,
    "C1": GOOD,
    "C2": GOOD,
    "D1": {**GOOD, "evidence": DOCUMENT},
    "D2": GOOD,
    "E1": GOOD,
    "E2": GOOD,
    "F1": GOOD,
    "F2": GOOD,
    "F3": GOOD,
    "N1": {"value": "weak", "justification": "Un rischio minore."},
    "P1": {"value": False, "justification": "Nessun cofinanziamento."},
}


def answers(**changes) -> dict:
    """ANSWERS with some nodes' answers replaced."""
    return {**ANSWERS, **changes}


@dataclass
class Grids:
    template: GridTemplate
    committee: Committee
    subject: Organisation
    chair: object
    secretary: object
    evaluator_a: object
    evaluator_b: object
    assignment_a: object
    assignment_b: object


@pytest.fixture(autouse=True)
def _italian():
    with translation.override("it"):
        yield


@pytest.fixture
def catalogue(db):
    return {template.code: template for template, _changed in actions.load_catalogue()}


@pytest.fixture
def grids(cast, catalogue):
    template = catalogue["small-grant-merit"]
    committee = Committee.objects.create(
        name_it="Commissione di prova", template=template, synthetic=True
    )
    people = {}
    for name, role in [
        ("presidente", CommitteeMember.Role.CHAIR),
        ("segretaria", CommitteeMember.Role.SECRETARY),
        ("valutatore_a", CommitteeMember.Role.MEMBER),
        ("valutatore_b", CommitteeMember.Role.MEMBER),
    ]:
        people[name] = rf.UserFactory(username=name)
        CommitteeMember.objects.create(committee=committee, user=people[name], role=role)
    subject = rf.OrganisationFactory(
        name_it="Cooperativa candidata", kind=Organisation.Kind.SOCIAL_COOP_B
    )
    chair = people["presidente"]
    assigned = []
    for name in ("valutatore_a", "valutatore_b"):
        assignment = actions.assign(chair, committee, people[name], subject)
        actions.declare_conflict(people[name], assignment, False)
        assigned.append(assignment)
    return Grids(
        template=template,
        committee=committee,
        subject=subject,
        chair=chair,
        secretary=people["segretaria"],
        evaluator_a=people["valutatore_a"],
        evaluator_b=people["valutatore_b"],
        assignment_a=assigned[0],
        assignment_b=assigned[1],
    )


def submit(user, assignment, given=None):
    """Start, fill and submit an evaluator's assessment; the stored assessment."""
    assessment = actions.start_assessment(user, assignment)
    actions.save_draft(user, assessment, given or ANSWERS)
    return actions.submit_assessment(user, assessment)


@pytest.fixture
def submitted_a(grids):
    return submit(grids.evaluator_a, grids.assignment_a)


@dataclass
class Decided:
    """The `grids` committee with two more subjects decided by consensus: Toscana (its
    officer is the subject's owner, the applicant) and Lazio (the other applicant); the
    cooperative of `grids` is still undecided."""

    grids: Grids
    toscana: object  # the consensus assessment of Toscana
    lazio: object  # the consensus assessment of Lazio


def decide(grids, subject, given=None, justification="Decisa all'unanimità"):
    """Assign `subject` to evaluators A and B, both submit, the chair records the consensus."""
    for evaluator in (grids.evaluator_a, grids.evaluator_b):
        assignment = actions.assign(grids.chair, grids.committee, evaluator, subject)
        actions.declare_conflict(evaluator, assignment, False)
        submit(evaluator, assignment, given)
    record = actions.record_consensus(
        grids.chair, grids.committee, subject, given or ANSWERS, justification
    )
    return record.assessment


@pytest.fixture
def decided(cast, grids):
    toscana = decide(grids, cast.toscana)
    lazio = decide(
        grids, cast.lazio, answers(A1={**GOOD, "value": "excellent", "justification": "Ottimo."})
    )
    return Decided(grids=grids, toscana=toscana, lazio=lazio)
