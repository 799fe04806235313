"""The demo's evaluated call: a whole Sovvenzione Globale call told through the actions.

A second synthetic Toscana call (code `sg-toscana-demo-valutato`), published five months ago
and closed four months ago, with its history replayed on the grants clock
(`reti.grants.clock.at`): applications submitted before the deadline (one withdrawn), the
istruttoria with one soccorso istruttorio answered and a few applications not admissible, a
committee of a chair and two evaluators scoring on the small-grant merit grid with a consensus
on each application, a provisional ranking, the final one after the appeal window, and a
scorrimento after a funded applicant's renunciation. Everything goes through the same actions
as the web flow, so `reti grants replay` on a run's exported file gives the stored result.
The accounts are the demo's (`demo-bandi-…`): `reti demo-user` gives a few of them a password
for local runs (`LOGINS`).
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from reti.grids import actions as grids
from reti.grids.demo import random_answers
from reti.grids.models import GridTemplate

from . import actions, clock, demo_managed
from .models import (
    Application,
    BudgetItem,
    Call,
    CallLine,
    CostCategory,
    DocumentRequest,
    RankingRun,
    RepresentationClaim,
)

CALL_CODE = "sg-toscana-demo-valutato"
PREFIX = "demo-bandi-"
# The accounts `reti demo-user` signs in for a local run: (username, role).
LOGINS = (
    (f"{PREFIX}0", "funzionaria dell'organismo intermedio"),
    (f"{PREFIX}1", "rappresentante di un'organizzazione proponente"),
    (f"{PREFIX}presidente", "presidente della commissione di valutazione"),
    (f"{PREFIX}valutatore-1", "valutatore"),
)


def purge(calls) -> None:
    """Delete what the evaluation of `calls` left: runs, appeals, the istruttoria, and their
    grids committee with its scores (before the calls and applications are deleted)."""
    from reti.grids.models import (
        Assessment,
        Assignment,
        Committee,
        CommitteeMember,
        CommitteeSubject,
        ConflictDeclaration,
        ConsensusRecord,
    )

    from .models import Admissibility, AdmissibilityCheck, Appeal

    demo_managed.purge(calls)
    applications = Application.objects.filter(call__in=calls)
    for run in RankingRun.objects.filter(call__in=calls).order_by("-number", "-pk"):
        run.delete()  # its entries with it; the later runs first (each names the one before)
    Appeal.objects.filter(application__in=applications).delete()
    DocumentRequest.objects.filter(application__in=applications).delete()
    AdmissibilityCheck.objects.filter(admissibility__application__in=applications).delete()
    Admissibility.objects.filter(application__in=applications).delete()
    committees = list(calls.exclude(committee=None).values_list("committee_id", flat=True))
    calls.update(committee=None)
    ConsensusRecord.objects.filter(committee_id__in=committees).delete()
    Assessment.objects.filter(committee_id__in=committees).delete()
    for model in (Assignment, ConflictDeclaration, CommitteeSubject, CommitteeMember):
        model.objects.filter(committee_id__in=committees).delete()
    Committee.objects.filter(pk__in=committees).delete()


def _user(username: str, first: str, last: str):
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "password": make_password(None),
            "email": f"{username}@example.org",
            "first_name": first,
            "last_name": last,
        },
    )
    return user


def _call(source: Call, officer, opened) -> tuple[Call, list, list]:
    """A copy of the open demo call's rules, opened at `opened`, on the merit grid."""
    grid = (
        GridTemplate.objects.filter(code="small-grant-merit", status="published")
        .order_by("-version")
        .first()
    )
    if grid is None:  # the grids demo loads the catalogue; alone, load it here
        grids.load_catalogue()
        grid = GridTemplate.objects.get(code="small-grant-merit", version=1)
    call = Call.objects.create(
        global_grant=source.global_grant,
        code=CALL_CODE,
        title_it="Piccoli sussidi per l'inclusione sociale 2026, primo avviso (sintetico)",
        title_en="Small grants for social inclusion 2026, first call (synthetic)",
        text_it="Bando dimostrativo già valutato, dati sintetici: non descrive un avviso reale.",
        text_en="Demonstration call already evaluated, synthetic data: it describes no real call.",
        opens_at=opened,
        deadline=opened + datetime.timedelta(days=30),
        min_grant=Decimal("5000"),
        max_grant=Decimal("40000"),
        cofinancing_rate=Decimal("0.1"),
        grid_template=grid,
        merit_threshold=Decimal("60"),
        tie_breaks=["submitted_at"],
        partial_funding_policy=Call.PartialFunding.PARTIAL,
        ranking_validity_months=24,
        appeal_window_days=15,
        eligible_legal_forms=source.eligible_legal_forms,
        synthetic=True,
    )
    lines = [
        CallLine.objects.create(
            call=call, code="A", title_it="Inclusione lavorativa", budget=Decimal("150000")
        ),
        CallLine.objects.create(
            call=call, code="B", title_it="Povertà educativa", budget=Decimal("100000")
        ),
    ]
    categories = [
        CostCategory.objects.create(
            call=call, code="PERS", name_it="Personale", name_en="Staff", cap_share=Decimal("0.7")
        ),
        CostCategory.objects.create(
            call=call, code="BENI", name_it="Beni e servizi", name_en="Goods and services"
        ),
    ]
    actions.publish_call(officer, call)
    call.refresh_from_db()
    return call, lines, categories


def fill_form(application: Application, line, rng: random.Random) -> Decimal:
    """Fill a synthetic application's form (line, texts, amounts, declarations) for `line`;
    returns the project's total cost, 12,000 to 44,000 euro, 15 % co-financed."""
    total = Decimal(rng.randrange(12000, 44000, 500))
    own = (total * Decimal("0.15")).quantize(Decimal("1"))
    application.line = line
    application.summary = "Progetto sintetico generato per dimostrazione."
    application.objectives = "Obiettivi sintetici."
    application.target_groups = "Destinatari sintetici."
    application.activities = "Mesi 1-12: attività sintetiche."
    application.requested_amount = total - own
    application.cofinancing_amount = own
    for name in Application.DECLARATIONS:
        setattr(application, name, True)
    return total


def _application(user, call, organisation, lines, categories, n, rng):
    application = actions.create_application(
        user, call, organisation, f"Progetto valutato {n} (sintetico)"
    )
    total = fill_form(application, lines[n % 2], rng)
    staff = (total * Decimal("0.6")).quantize(Decimal("1"))
    actions.save_application(
        user,
        application,
        budget_items=[
            BudgetItem(category=categories[0], amount=staff),
            BudgetItem(category=categories[1], amount=total - staff),
        ],
    )
    return application


def _istruttoria(officer, call, submitted, rng) -> dict:
    """Every submitted application examined; one document asked and answered; about one in
    eight not admissible."""
    counts = {"admitted": 0, "not_admissible": 0}
    examined = call.deadline + datetime.timedelta(days=3)
    for index, (user, application) in enumerate(submitted):
        with clock.at(examined + datetime.timedelta(hours=index)):
            admissibility = actions.record_checks(officer, application, {})
            results = {
                item.code: ("met", "Verificato sui documenti (sintetico).")
                for item in admissibility.checks.all()
            }
            if index == 1:  # soccorso istruttorio: asked, answered in time, then admitted
                asked = actions.request_document(
                    officer,
                    application,
                    "Trasmettere lo statuto firmato (richiesta sintetica).",
                    clock.now() + datetime.timedelta(days=10),
                )
                with clock.at(clock.now() + datetime.timedelta(days=2)):
                    actions.answer_document_request(
                        user, asked, "Statuto trasmesso (risposta sintetica)."
                    )
            not_admissible = index % 8 == 5
            if not_admissible:
                code = next(iter(results))
                results[code] = ("not_met", "Requisito non dimostrato (sintetico).")
        later = examined + datetime.timedelta(days=6, hours=index)
        with clock.at(later):
            actions.record_checks(officer, application, results)
            outcome = "not_admissible" if not_admissible else "admitted"
            actions.decide_admissibility(
                officer,
                application,
                outcome,
                "Motivazione sintetica dell'esito dell'istruttoria.",
            )
        counts[outcome] += 1
    return counts


def _committee(officer, call, rng):
    chair = _user(f"{PREFIX}presidente", "Presidente", "sintetico")
    evaluators = [_user(f"{PREFIX}valutatore-{n}", "Valutatore", f"sintetico {n}") for n in (1, 2)]
    committee = actions.open_committee(
        officer, call, chair=chair, members=evaluators, evaluators_per_subject=2
    )
    grids.assign_balanced(officer, committee)
    template = call.grid_template.engine_template()
    for assignment in committee.assignments.select_related("evaluator"):
        grids.declare_conflict(assignment.evaluator, assignment, False)
        assessment = grids.start_assessment(assignment.evaluator, assignment)
        grids.save_draft(assignment.evaluator, assessment, random_answers(template, rng))
        grids.submit_assessment(assignment.evaluator, assessment)
    for subject in committee.subjects.all():
        grids.record_consensus(
            chair,
            committee,
            subject.subject,
            random_answers(template, rng),
            "Decisione collegiale dopo il confronto dei punteggi (sintetica).",
        )
    return committee


def generate(source: Call, officer, organisations, rng: random.Random) -> dict[str, int]:
    """The evaluated call with its whole history; returns what it made."""
    opened = source.opens_at - datetime.timedelta(days=150)
    with clock.at(opened - datetime.timedelta(days=1)):
        call, lines, categories = _call(source, officer, opened)
    submitted = []
    withdrawn = 0
    for n, organisation in enumerate(organisations, start=1):
        claim = RepresentationClaim.objects.filter(
            organisation=organisation, status=RepresentationClaim.Status.VERIFIED
        ).first()
        user = claim.user
        with clock.at(opened + datetime.timedelta(days=1 + n % 28, hours=n % 9)):
            application = _application(user, call, organisation, lines, categories, n, rng)
            actions.submit_application(user, application)
            if n == 3:  # withdrawn before the deadline
                actions.withdraw_application(user, application)
                withdrawn += 1
                continue
        submitted.append((user, application))
    counts = _istruttoria(officer, call, submitted, rng)
    with clock.at(call.deadline + datetime.timedelta(days=12)):
        _committee(officer, call, rng)
    with clock.at(call.deadline + datetime.timedelta(days=20)):
        provisional = actions.run_ranking(officer, call, RankingRun.Kind.PROVISIONAL)
        actions.publish_run(officer, provisional)
    with clock.at(call.deadline + datetime.timedelta(days=20 + call.appeal_window_days + 2)):
        final = actions.run_ranking(officer, call, RankingRun.Kind.FINAL)
        actions.publish_run(officer, final)
    # A funded applicant renounces: the scorrimento funds the next eligible applications.
    funded = final.entries.filter(status="funded").select_related("application").first()
    scrolled = 0
    if funded is not None:
        user = next(u for u, a in submitted if a.pk == funded.application_id)
        with clock.at(call.deadline + datetime.timedelta(days=60)):
            actions.withdraw_application(user, funded.application)
        scrolled = 1
    Application.objects.filter(call=call).update(synthetic=True)
    managed = demo_managed.generate(call, officer, call.deadline + datetime.timedelta(days=62))
    return {
        "valutate": len(submitted),
        "ammesse": counts["admitted"],
        "non_ammissibili": counts["not_admissible"],
        "ritirate_prima": withdrawn,
        "scorrimenti": scrolled,
        **managed,
    }
