"""Synthetic CSR data for `reti demo`: companies, self-assessments, validations, attestations.

Companies (synthetic registry organisations, kind "company", P.IVA from the reserved
synthetic block, names saying "(demo)") in several regions and ATECO sections, each with a
demo representative (`demo-rsi-…`, unusable password, address at example.org); an expert per
region. Last year's self-assessments are submitted and most are validated (attestations when
the result reaches a level); this year's are left in every state: draft, submitted, taken
for validation. Three regions record facilitations; one prize edition (this year's) gets
candidacies from validated companies, a jury of three demo jurors that scores through grids,
and published winners and mentions. When the grants demo has made its open call, a small
"common call" of the same global grant (`COMMON_CALL`, on the catalogue's `csr-common-call`
grid) declares the CSR bonus and is scored by a committee: the companies holding a valid
attestation get the bonus points, the attestation's code in the trace's source; the prize
edition has a category for public administrations and its award ceremony in the events
calendar. Everything goes through the actions, so results are the engine's, and is marked
synthetic; real records are never touched.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from reti.accounts.models import Membership
from reti.events.models import Event
from reti.grids import actions as grids_actions
from reti.grids.demo import random_answers
from reti.grids.models import (
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    CommitteeSubject,
    ConflictDeclaration,
    ConsensusRecord,
    GridTemplate,
)
from reti.registry.demo.taxcodes import entity_code
from reti.registry.models import Organisation, Territory

from . import actions, prize
from .forms import applicable_codes
from .models import (
    Attestation,
    Candidacy,
    Company,
    CompanyClaim,
    CompanyScore,
    CsrAssessment,
    Evidence,
    Expert,
    Facilitation,
    ImprovementAction,
    LocalUnit,
    PrizeCategory,
    PrizeEdition,
)

USER_PREFIX = "demo-rsi-"
KEY_PREFIX = "demo-rsi-"
COMPANIES = {"small": 30, "national": 150}
SERIAL_BASE = 990_000  # synthetic P.IVA block, far from the registry demo's serials
ACTIVITIES = (
    "10.71.10",
    "25.62.00",
    "41.00.00",
    "47.11.01",
    "56.11.11",
    "62.10.00",
    "85.59.10",
    "88.10.00",
)
NAMES = ("Officina", "Laboratorio", "Bottega", "Studio", "Forno", "Cantiere", "Servizi")


def purge(*, report=lambda line: None) -> int:
    with transaction.atomic():
        _purge_common_call()
        editions = PrizeEdition.objects.filter(synthetic=True)
        committee_ids = [pk for pk in editions.values_list("committee_id", flat=True) if pk]
        ceremony_ids = [pk for pk in editions.values_list("ceremony_id", flat=True) if pk]
        Candidacy.objects.filter(edition__in=editions).delete()
        editions.delete()
        Event.objects.filter(pk__in=ceremony_ids).delete()
        committees = Committee.objects.filter(pk__in=committee_ids)
        ConsensusRecord.objects.filter(committee__in=committees).delete()
        Assessment.objects.filter(committee__in=committees).delete()
        for model in (Assignment, ConflictDeclaration, CommitteeSubject, CommitteeMember):
            model.objects.filter(committee__in=committees).delete()
        committees.delete()
        Facilitation.objects.filter(synthetic=True).delete()
        companies = Company.objects.filter(synthetic=True)
        Attestation.objects.filter(company__in=companies).delete()
        ImprovementAction.objects.filter(company__in=companies).delete()
        CompanyScore.objects.filter(company__in=companies).delete()
        Evidence.objects.filter(csr_assessment__company__in=companies).delete()
        rows = CsrAssessment.objects.filter(company__in=companies)
        grid_ids = list(rows.values_list("assessment_id", flat=True)) + [
            pk for pk in rows.values_list("review_id", flat=True) if pk
        ]
        rows.delete()
        Assessment.objects.filter(pk__in=grid_ids).delete()
        CompanyClaim.objects.filter(company__in=companies).delete()
        LocalUnit.objects.filter(company__in=companies).delete()
        organisation_ids = list(companies.values_list("organisation_id", flat=True))
        removed, _ = companies.delete()
        Membership.objects.filter(organisation_id__in=organisation_ids).delete()
        Organisation.objects.filter(pk__in=organisation_ids, key__startswith=KEY_PREFIX).delete()
        Expert.objects.filter(user__username__startswith=USER_PREFIX).delete()
        get_user_model().objects.filter(username__startswith=USER_PREFIX).delete()
    report(f"Imprese RSI sintetiche rimosse: {removed:,}")
    return removed


def _user(name: str, first: str, last: str):
    return get_user_model().objects.create(
        username=f"{USER_PREFIX}{name}",
        password=make_password(None),
        email=f"{USER_PREFIX}{name}@example.org",
        first_name=first,
        last_name=last,
    )


def _figures(rng: random.Random) -> tuple[Decimal, Decimal, Decimal]:
    band = rng.choice([(1, 9, 2), (10, 49, 10), (50, 249, 50), (250, 900, 120)])
    employees = Decimal(rng.randint(band[0], band[1]))
    turnover = Decimal(rng.randint(band[2] // 4 + 1, band[2]) * 1_000_000)
    return employees, turnover, turnover * Decimal("0.8")


def _answers(parsed, company, rng) -> dict:
    keep = applicable_codes(parsed, company.subject_attributes())
    return {code: item for code, item in random_answers(parsed, rng).items() if code in keep}


def _company(n: int, region, rng) -> tuple[Company, object]:
    organisation = Organisation(
        kind=Organisation.Kind.COMPANY,
        name_it=f"{rng.choice(NAMES)} sintetico {n} (demo)",
        key=f"{KEY_PREFIX}{n}",
        vat_number=entity_code(SERIAL_BASE + n),
        territory=region,
        synthetic=True,
    )
    organisation.full_clean()
    organisation.save()
    employees, turnover, balance = _figures(rng)
    company = Company(
        organisation=organisation,
        legal_form=rng.choice(["srl", "spa", "coop", "snc"]),
        ateco_code=rng.choice(ACTIVITIES),
        employees=employees,
        turnover=turnover,
        balance_sheet=balance,
        region=region,
        seat_address=f"Via sintetica {n}",
        synthetic=True,
    )
    company.full_clean()
    company.save()
    user = _user(f"impresa-{n}", "Referente", f"sintetico {n}")
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.EDITOR)
    return company, user


def generate(scale: str, *, seed: int = 1, report=lambda line: None) -> dict[str, int]:
    rng = random.Random(f"csr-{seed}")
    grids_actions.load_catalogue()
    purge(report=report)
    regions = list(
        Territory.objects.filter(level__in=["region", "autonomous_province"]).order_by("code")[:6]
    )
    if not regions:
        report("Nessuna regione nel registro: nessuna impresa RSI sintetica.")
        return {}
    parsed = actions.current_grid().engine_template()
    this_year = timezone.localdate().year
    counts = {"imprese": 0, "autovalutazioni": 0, "validate": 0, "attestazioni": 0}
    with transaction.atomic():
        experts = {}
        for region in regions:
            expert = _user(f"esperto-{region.code}", "Esperta", f"sintetica {region.code}")
            Expert.objects.create(user=expert, region=region)
            experts[region.pk] = expert
        for n in range(COMPANIES[scale]):
            region = regions[n % len(regions)]
            company, user = _company(n, region, rng)
            counts["imprese"] += 1
            expert = experts[region.pk]
            # Last year: submitted, mostly validated.
            last = actions.start_self_assessment(user, company, this_year - 1)
            actions.save_answers(user, last, _answers(parsed, company, rng))
            actions.submit_self_assessment(user, last)
            counts["autovalutazioni"] += 1
            if rng.random() < 0.8:
                actions.take_for_validation(expert, last)
                actions.decide(expert, last, validate=rng.random() < 0.9, note="Verifica di demo.")
                counts["validate"] += 1
            # This year: a draft, submitted, or taken for validation.
            state = rng.choice(["none", "draft", "submitted", "taken"])
            if state == "none":
                continue
            current = actions.start_self_assessment(user, company, this_year)
            actions.save_answers(user, current, _answers(parsed, company, rng))
            counts["autovalutazioni"] += 1
            if state in ("submitted", "taken"):
                actions.submit_self_assessment(user, current)
            if state == "taken":
                actions.take_for_validation(expert, current)
        counts["attestazioni"] = Attestation.objects.filter(synthetic=True).count()
        counts["agevolazioni"] = _facilitations(regions[:3])
        counts["candidature"] = _prize(this_year, rng)
        counts["domande con premialità RSI"] = _common_call(rng)
    report(
        "RSI sintetica: {imprese} imprese, {autovalutazioni} autovalutazioni, {validate} "
        "decisioni, {attestazioni} attestazioni, {agevolazioni} agevolazioni, "
        "{candidature} candidature al premio, {premiate} domande premiate in un "
        "bando comune".format(premiate=counts["domande con premialità RSI"], **counts)
    )
    return counts


FACILITATIONS = (
    ("guarantees", "base", "Riduzione del 20% delle garanzie fideiussorie (demo)",
     "20% lower guarantees (demo)", "Legge regionale sintetica n. 1/2026, art. 3"),
    ("procedures", "advanced", "Istruttoria prioritaria delle domande (demo)",
     "Priority processing of applications (demo)", "Delibera sintetica n. 12/2026"),
    ("points", "excellent", "Due punti in più nei bandi regionali (demo)",
     "Two extra points in regional calls (demo)", "Delibera sintetica n. 34/2026"),
)  # fmt: skip


def _facilitations(regions) -> int:
    today = timezone.localdate()
    made = 0
    for region in regions:
        for kind, level, title_it, title_en, basis in FACILITATIONS:
            facilitation = Facilitation(
                region=region, granted_by=f"Regione {region.name_it} (demo)", kind=kind,
                title_it=title_it, title_en=title_en, required_level=level, legal_basis=basis,
                valid_from=today.replace(month=1, day=1), synthetic=True,
            )  # fmt: skip
            actions.record_facilitation(None, facilitation)
            made += 1
    return made


def _prize(year: int, rng) -> int:
    """This year's edition: candidacies, the jury's scores through grids, winners published."""
    grid = GridTemplate.objects.filter(code="csr-prize", status="published").first()
    if grid is None or PrizeEdition.objects.filter(year=year).exists():
        return 0
    edition = PrizeEdition.objects.create(
        year=year, title_it=f"Premio nazionale RSI {year} (demo)",
        title_en=f"National CSR prize {year} (demo)", grid=grid,
        deadline=timezone.localdate() + datetime.timedelta(days=30), mentions=1, synthetic=True,
    )  # fmt: skip
    for order, (code, it, en, classes) in enumerate(
        (
            ("micro-piccole", "Micro e piccole imprese", "Micro and small companies",
             ["micro", "small"]),
            ("medie", "Medie imprese", "Medium companies", ["medium"]),
            ("grandi", "Grandi imprese", "Large companies", ["large"]),
            ("pa", "Pubbliche amministrazioni", "Public administrations", []),
        )
    ):  # fmt: skip
        PrizeCategory.objects.create(
            edition=edition, code=code, name_it=it, name_en=en, size_classes=classes, order=order,
            public_administrations=not classes,
        )  # fmt: skip
    ceremony = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    host = Organisation.objects.filter(kind=Organisation.Kind.MINISTRY).order_by("pk").first()
    host = host or Company.objects.filter(synthetic=True).order_by("pk").first().organisation
    prize.schedule_ceremony(
        None, edition, start=ceremony + datetime.timedelta(days=60), host=host,
        place="Sala sintetica della rete RSI, Roma (demo)",
    )  # fmt: skip
    made = 0
    validated = Company.objects.filter(
        synthetic=True, assessments__state=CsrAssessment.State.VALIDATED
    ).distinct()[:9]
    for company in validated:
        user = Membership.objects.filter(organisation=company.organisation).first().user
        if prize.validated_assessment(company) is None:
            continue
        prize.submit_candidacy(
            user, edition, company, f"Iniziativa sintetica {company.pk} (demo)",
            "Descrizione inventata per la dimostrazione.",
        )  # fmt: skip
        made += 1
    if not made:
        return 0
    chair = _user("giuria-presidente", "Presidente", "della giuria sintetica")
    jurors = [_user(f"giuria-{n}", "Giurata", f"sintetica {n}") for n in (1, 2)]
    committee = prize.open_jury(None, edition, chair=chair, members=jurors, per_candidacy=2)
    template = grid.engine_template()
    for candidacy in edition.candidacies.all():
        answers = _prize_answers(template, candidacy, rng)
        for assignment in committee.assignments.filter(subject_id=candidacy.pk):
            grids_actions.declare_conflict(assignment.evaluator, assignment, False)
            assessment = grids_actions.start_assessment(assignment.evaluator, assignment)
            grids_actions.save_draft(assignment.evaluator, assessment, answers)
            grids_actions.submit_assessment(assignment.evaluator, assessment)
        grids_actions.record_consensus(
            chair, committee, candidacy, answers,
            f"La giuria premia la continuità di {candidacy.initiative} (motivazione sintetica).",
        )  # fmt: skip
    prize.publish_winners(None, edition)
    return made


def _prize_answers(template, candidacy, rng) -> dict:
    keep = applicable_codes(template, candidacy.subject_attributes())
    answers = {c: a for c, a in random_answers(template, rng).items() if c in keep}
    for item in answers.values():
        if isinstance(item["value"], bool):
            item["value"] = True  # gates passed: every candidacy is in the ranking
    return answers


COMMON_CALL = "rsi-bando-comune-demo"
SOURCE_CALL = "sg-toscana-demo"  # the grants demo's open call: its global grant and officer
EVERY_LEVEL = {"base": True, "advanced": True, "excellent": True}


def _purge_common_call() -> None:
    from reti.grants.demo_evaluated import purge as purge_evaluation
    from reti.grants.models import Admissibility, Application, Call, Receipt

    calls = Call.objects.filter(code=COMMON_CALL, synthetic=True)
    purge_evaluation(calls)
    applications = Application.objects.filter(call__in=calls)
    Admissibility.objects.filter(application__in=applications).delete()
    Receipt.objects.filter(application__in=applications).delete()
    applications.delete()
    calls.delete()  # its CSR bonus and lines with it


def _common_call(rng) -> int:
    """A common call of the grants demo's global grant with the CSR bonus: a few demo
    companies apply (most with a valid attestation), a committee scores them through grids and
    the bonus is fixed from the attestations. Returns the applications that got the bonus."""
    from reti.grants import actions as grants_actions
    from reti.grants import clock
    from reti.grants.models import (
        Admissibility,
        Application,
        Call,
        CallLine,
        CostCategory,
        Receipt,
    )

    grid = GridTemplate.objects.filter(code="csr-common-call", status="published").first()
    source = Call.objects.filter(code=SOURCE_CALL).select_related("global_grant").first()
    if grid is None or source is None:
        return 0
    officer = (
        Membership.objects.filter(
            organisation=source.global_grant.intermediate_body, role=Membership.Role.EDITOR
        )
        .order_by("pk")
        .first()
    )
    holding = Attestation.objects.filter(synthetic=True, revoked_at=None).values("company")
    holders = list(Company.objects.filter(pk__in=holding).order_by("pk")[:3])
    others = list(Company.objects.filter(synthetic=True).exclude(pk__in=holding).order_by("pk")[:1])
    if officer is None or not holders:
        return 0
    officer = officer.user
    now = timezone.now()
    # The deadline is this hour: today's attestations are valid on its day.
    deadline = now + datetime.timedelta(minutes=30)
    opened = now - datetime.timedelta(days=30)
    with clock.at(opened - datetime.timedelta(days=1)):
        call = Call.objects.create(
            global_grant=source.global_grant, code=COMMON_CALL,
            title_it="Bando comune per imprese responsabili (sintetico)",
            title_en="Common call for responsible companies (synthetic)",
            text_it="Bando dimostrativo con premialità RSI, dati sintetici: non è un avviso reale.",
            text_en="Demonstration call with a CSR bonus, synthetic data: it is no real call.",
            opens_at=opened, deadline=deadline, min_grant=Decimal("5000"),
            max_grant=Decimal("40000"), cofinancing_rate=Decimal("0.1"), grid_template=grid,
            merit_threshold=Decimal("50"), tie_breaks=["submitted_at"],
            partial_funding_policy=Call.PartialFunding.PARTIAL, ranking_validity_months=24,
            appeal_window_days=15, eligible_legal_forms=source.eligible_legal_forms,
            synthetic=True,
        )  # fmt: skip
        line = CallLine.objects.create(
            call=call, code="A", title_it="Imprese responsabili", budget=Decimal("100000")
        )
        CostCategory.objects.create(
            call=call, code="INV", name_it="Investimenti", name_en="Investments"
        )
        actions.declare_call_bonus(officer, call, "RSI", EVERY_LEVEL)
        grants_actions.publish_call(officer, call)
    for n, company in enumerate(holders + others, start=1):
        at = opened + datetime.timedelta(days=n)
        application = Application.objects.create(
            call=call, line=line, organisation=company.organisation, created_by=officer,
            title=f"Progetto sintetico di {company.name}", status=Application.Status.SUBMITTED,
            requested_amount=Decimal("20000.00"), cofinancing_amount=Decimal("2000.00"),
            applicant_type=company.organisation.kind, submitted_at=at, synthetic=True,
        )  # fmt: skip
        Receipt.objects.create(
            application=application, series=call.code, year=at.year, sequence=n,
            protocol_number=grants_actions.protocol_number(call.code, at.year, n),
            submitted_at=at, content="{}", content_sha256="0" * 64,
        )  # fmt: skip
        Admissibility.objects.create(
            application=application, outcome=Admissibility.Outcome.ADMITTED
        )
    chair = _user("bando-presidente", "Presidente", "della commissione sintetica")
    evaluator = _user("bando-valutatore", "Valutatore", "sintetico")
    with clock.at(deadline + datetime.timedelta(minutes=1)):
        committee = grants_actions.open_committee(
            officer, call, chair=chair, members=[evaluator], evaluators_per_subject=1
        )
        grids_actions.assign_balanced(officer, committee)
        template = grid.engine_template()
        for assignment in committee.assignments.select_related("evaluator"):
            grids_actions.declare_conflict(assignment.evaluator, assignment, False)
            assessment = grids_actions.start_assessment(assignment.evaluator, assignment)
            answers = {**random_answers(template, rng), **assessment.answers}
            grids_actions.save_draft(assignment.evaluator, assessment, answers)
            grids_actions.submit_assessment(assignment.evaluator, assessment)
        for subject in committee.subjects.all():
            grids_actions.record_consensus(
                chair, committee, subject.subject, random_answers(template, rng),
                "Decisione collegiale sintetica; la premialità RSI è letta dall'attestazione.",
            )  # fmt: skip
    return sum(
        1
        for record in ConsensusRecord.objects.filter(committee=committee)
        if record.assessment.answers["RSI"]["value"] is True
    )
