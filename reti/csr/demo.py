"""Synthetic CSR data for `reti demo`: companies, self-assessments, validations, attestations.

Companies (synthetic registry organisations, kind "company", P.IVA from the reserved
synthetic block, names saying "(demo)") in several regions and ATECO sections, each with a
demo representative (`demo-rsi-…`, unusable password, address at example.org); an expert per
region. Last year's self-assessments are submitted and most are validated (attestations when
the result reaches a level); this year's are left in every state: draft, submitted, taken
for validation. Three regions record facilitations; one prize edition (this year's) gets
candidacies from validated companies, a jury of three demo jurors that scores through grids,
and published winners and mentions. Everything goes through the actions, so results are the
engine's, and is marked synthetic; real records are never touched.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from reti.accounts.models import Membership
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
        editions = PrizeEdition.objects.filter(synthetic=True)
        committee_ids = [pk for pk in editions.values_list("committee_id", flat=True) if pk]
        Candidacy.objects.filter(edition__in=editions).delete()
        editions.delete()
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
    report(
        "RSI sintetica: {imprese} imprese, {autovalutazioni} autovalutazioni, {validate} "
        "decisioni, {attestazioni} attestazioni, {agevolazioni} agevolazioni, "
        "{candidature} candidature al premio".format(**counts)
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
        )
    ):  # fmt: skip
        PrizeCategory.objects.create(
            edition=edition, code=code, name_it=it, name_en=en, size_classes=classes, order=order
        )
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
