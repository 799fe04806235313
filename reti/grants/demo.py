"""A synthetic Toscana Sovvenzione Globale call with applications, for `reti demo`.

Replaces the synthetic grant records: a programme of Regione Toscana (the registry's record
when present), a global grant entrusted to a synthetic organisation as intermediate body, one
published call (code `sg-toscana-demo`) with two lines, a quota, three cost categories, a
required attachment, FAQ and an amendment, and applications of synthetic third-sector
organisations of the registry in every state (draft, submitted with receipt, withdrawn), all
made through the actions and all marked synthetic. Demo accounts (`demo-bandi-N`, unusable
password, addresses at example.org) are the officer and the organisations' representatives.
Real records are never touched.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from reti.accounts.models import Membership
from reti.registry.demo.taxcodes import entity_code
from reti.registry.models import Fund, Organisation, ProgrammingPeriod

from . import actions, demo_evaluated
from .models import (
    Application,
    BudgetItem,
    Call,
    CallAmendment,
    CallFAQ,
    CallLine,
    CostCategory,
    GlobalGrant,
    Programme,
    ProtocolCounter,
    Quota,
    Receipt,
    RepresentationClaim,
    RequiredAttachment,
)
from .models.claims import THIRD_SECTOR_KINDS

USER_PREFIX = "demo-bandi-"
CALL_CODE = "sg-toscana-demo"
APPLICATIONS = {"small": 12, "national": 60}


def purge(*, report=lambda line: None) -> int:
    """Delete the synthetic grant records with everything hanging from them, and the accounts."""
    with transaction.atomic():
        calls = Call.objects.filter(synthetic=True)
        demo_evaluated.purge(calls)
        applications = Application.objects.filter(call__in=calls)
        Receipt.objects.filter(application__in=applications).delete()
        _total, by_model = applications.delete()  # with their rows
        removed = by_model.get(Application._meta.label, 0)
        ProtocolCounter.objects.filter(series__in=calls.values("code")).delete()
        CallAmendment.objects.filter(call__in=calls).delete()
        calls.delete()
        GlobalGrant.objects.filter(synthetic=True).delete()
        Programme.objects.filter(synthetic=True).delete()
        RepresentationClaim.objects.filter(user__username__startswith=USER_PREFIX).delete()
        get_user_model().objects.filter(username__startswith=USER_PREFIX).delete()
    report(f"Domande sintetiche rimosse: {removed:,}")
    return removed


def _account(n: int, first: str, last: str):
    return get_user_model().objects.create(
        username=f"{USER_PREFIX}{n}",
        password=make_password(None),  # unusable: demo accounts never sign in
        email=f"{USER_PREFIX}{n}@example.org",
        first_name=first,
        last_name=last,
    )


# The demo's representation claims for organisations without a tax code take synthetic codes
# (reti.registry.demo.taxcodes) from here up: far from the registry demo's serials (0 up),
# below the csr demo's (990,000 up) and the grants bench's (900,000 to 979,999).
SERIAL_BASE = 980_000


def _synthetic_tax_code(n: int) -> str:
    return entity_code(SERIAL_BASE + n)


def _call(officer, now) -> Call:
    toscana = (
        Organisation.objects.filter(kind=Organisation.Kind.REGION, name_it__icontains="toscana")
        .order_by("id")
        .first()
    )
    body = Organisation.objects.filter(synthetic=True).exclude(
        kind__in=THIRD_SECTOR_KINDS
    ).first() or Organisation.objects.create(
        name_it="Organismo intermedio dimostrativo (sintetico)",
        kind=Organisation.Kind.TECHNICAL_ASSISTANCE,
        synthetic=True,
    )
    programme = Programme.objects.create(
        code="PR-TOS-FSE+-DEMO",
        title_it="PR Toscana FSE+ 2021-2027 (dimostrativo, sintetico)",
        title_en="Toscana ESF+ 2021-2027 programme (demo, synthetic)",
        managing_authority=toscana or body,
        priority="Inclusione sociale",
        # the managed grants become registry projects and monitoring interventions of the
        # programme's period (when the registry holds it)
        period=ProgrammingPeriod.objects.filter(code="2021-2027").first(),
        fund=Fund.objects.filter(code="FSE+").first(),
        synthetic=True,
    )
    grant = GlobalGrant.objects.create(
        programme=programme,
        title_it="Sovvenzione globale piccoli sussidi Toscana (sintetica)",
        title_en="Toscana small-grants global grant (synthetic)",
        intermediate_body=body,
        agreement_act="Convenzione dimostrativa n. 1",
        agreement_date=datetime.date(2026, 2, 1),
        allocation=Decimal("2000000.00"),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2028, 12, 31),
        synthetic=True,
    )
    Membership.objects.create(user=officer, organisation=body, role=Membership.Role.EDITOR)
    call = Call.objects.create(
        global_grant=grant,
        code=CALL_CODE,
        title_it="Piccoli sussidi per l'inclusione sociale — Toscana (sintetico)",
        title_en="Small grants for social inclusion — Toscana (synthetic)",
        text_it="Bando dimostrativo con dati sintetici: non descrive un avviso reale.",
        text_en="Demonstration call with synthetic data: it describes no real call.",
        opens_at=now - datetime.timedelta(days=30),
        deadline=now + datetime.timedelta(days=30),
        min_grant=Decimal("5000"),
        max_grant=Decimal("40000"),
        cofinancing_rate=Decimal("0.1"),
        merit_threshold=Decimal("60"),
        tie_breaks=["submitted_at", "requested_amount"],
        eligible_legal_forms=list(THIRD_SECTOR_KINDS),
        partnership_rules_it="Almeno un partner del territorio è raccomandato.",
        synthetic=True,
    )
    lines = [
        CallLine.objects.create(
            call=call, code="A", title_it="Inclusione lavorativa", budget=Decimal("300000")
        ),
        CallLine.objects.create(
            call=call,
            code="B",
            title_it="Contrasto alla povertà educativa",
            budget=Decimal("200000"),
        ),
    ]
    Quota.objects.create(line=lines[0], applicant_type="social_coop_b", amount=Decimal("60000"))
    categories = [
        CostCategory.objects.create(
            call=call, code="PERS", name_it="Personale", name_en="Staff", cap_share=Decimal("0.7")
        ),
        CostCategory.objects.create(
            call=call, code="BENI", name_it="Beni e servizi", name_en="Goods and services"
        ),
        CostCategory.objects.create(
            call=call,
            code="GEN",
            name_it="Spese generali",
            name_en="Overheads",
            cap_share=Decimal("0.07"),
        ),
    ]
    RequiredAttachment.objects.create(
        call=call, code="STAT", title_it="Statuto", title_en="Statute", mandatory=False
    )
    actions.publish_call(officer, call)
    for question, answer in (
        ("Le cooperative sociali possono partecipare?", "Sì, di tipo A e B."),
        ("Il cofinanziamento può essere in natura?", "No, solo monetario."),
    ):
        actions.publish_faq(
            officer, CallFAQ.objects.create(call=call, question_it=question, answer_it=answer)
        )
    actions.amend_call(
        officer,
        call,
        CallAmendment(
            date=now.date(),
            act="Decreto dimostrativo n. 2",
            text_it="Proroga di sette giorni (sintetica).",
            new_deadline=call.deadline + datetime.timedelta(days=7),
        ),
    )
    call.refresh_from_db()
    return call, lines, categories


def generate(scale: str, *, seed: int = 1, report=lambda line: None) -> dict[str, int]:
    """Replace the synthetic call and its applications for `scale`."""
    rng = random.Random(f"grants-{seed}")
    purge(report=report)
    now = timezone.now()
    counts = {"submitted": 0, "draft": 0, "withdrawn": 0}
    with transaction.atomic():
        officer = _account(0, "Funzionaria", "sintetica")
        call, lines, categories = _call(officer, now)
        organisations = list(
            Organisation.objects.filter(synthetic=True, kind__in=THIRD_SECTOR_KINDS).order_by("id")[
                : APPLICATIONS.get(scale, 12)
            ]
        )
        for n, organisation in enumerate(organisations, start=1):
            user = _account(n, "Rappresentante", f"sintetico {n}")
            claim = actions.claim_organisation(
                user,
                RepresentationClaim(
                    organisation=organisation,
                    tax_code=organisation.tax_code or _synthetic_tax_code(n),
                    legal_representative=f"Legale rappresentante sintetico {n}",
                    runts_section=organisation.runts_section,
                    runts_number=f"{100000 + n}" if organisation.runts_section else "",
                ),
            )
            actions.verify_claim(officer, claim)
            application = actions.create_application(
                user, call, organisation, f"Progetto dimostrativo {n} (sintetico)"
            )
            total = demo_evaluated.fill_form(application, lines[n % 2], rng)
            staff = (total * Decimal("0.6")).quantize(Decimal("1"))
            overheads = (total * Decimal("0.05")).quantize(Decimal("1"))
            actions.save_application(
                user,
                application,
                budget_items=[
                    BudgetItem(category=categories[0], amount=staff),
                    BudgetItem(category=categories[2], amount=overheads),
                    BudgetItem(category=categories[1], amount=total - staff - overheads),
                ],
            )
            state = rng.random()
            if state < 0.2:
                counts["draft"] += 1
            else:
                actions.submit_application(user, application)
                counts["submitted"] += 1
                if state > 0.93:
                    actions.withdraw_application(user, application)
                    counts["withdrawn"] += 1
        Application.objects.filter(call=call).update(synthetic=True)
        evaluated = demo_evaluated.generate(call, officer, organisations, rng)
    report(
        f"Bando sintetico valutato {demo_evaluated.CALL_CODE}: {evaluated['valutate']:,} domande"
        f" istruite ({evaluated['non_ammissibili']:,} non ammissibili), commissione, graduatoria"
        f" provvisoria e definitiva, {evaluated['scorrimenti']:,} scorrimento"
    )
    report(
        f"Bando sintetico {call.code}: {counts['submitted']:,} domande presentate "
        f"({counts['withdrawn']:,} ritirate), {counts['draft']:,} bozze"
    )
    return {"bandi": 2, "domande": len(organisations), **counts, **evaluated}
