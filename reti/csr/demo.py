"""Synthetic CSR data for `reti demo`: companies, self-assessments, validations, attestations.

Companies (synthetic registry organisations, kind "company", P.IVA from the reserved
synthetic block, names saying "(demo)") in several regions and ATECO sections, each with a
demo representative (`demo-rsi-…`, unusable password, address at example.org); an expert per
region. Last year's self-assessments are submitted and most are validated (attestations when
the result reaches a level); this year's are left in every state: draft, submitted, taken
for validation. Everything goes through the actions, so results are the engine's, and is
marked synthetic; real records are never touched.
"""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from reti.accounts.models import Membership
from reti.grids import actions as grids_actions
from reti.grids.demo import random_answers
from reti.grids.models import Assessment
from reti.registry.demo.taxcodes import entity_code
from reti.registry.models import Organisation, Territory

from . import actions
from .forms import applicable_codes
from .models import (
    Attestation,
    Company,
    CompanyClaim,
    CompanyScore,
    CsrAssessment,
    Evidence,
    Expert,
    ImprovementAction,
    LocalUnit,
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
    report(
        "RSI sintetica: {imprese} imprese, {autovalutazioni} autovalutazioni, {validate} "
        "decisioni, {attestazioni} attestazioni".format(**counts)
    )
    return counts
