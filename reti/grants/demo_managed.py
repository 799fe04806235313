"""The demo's evaluated call carries on: from the final ranking to closed grants.

After `demo_evaluated` the synthetic Toscana call has a final ranking and a scorrimento; here
its funded applications are managed through the same actions as the web flow, on the grants
clock (`reti.grants.clock.at`), so the instrument report has real content: funding decisions
(synthetic CUPs), agreements accepted (each a registry project and a monitoring
intervention), advances through the three-person chain (one paid late), expenditure reports
with cuts verified, intermediate tranches, one grant closed with its balance and results, one
revoked with part of its advance recovered (its money goes back to the call, and a
scorrimento funds the next eligible application if one is left), and the intermediate
body's management costs. All synthetic.

Only the first MANAGED funded applications go past the advance, so the demo stays quick.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reti.accounts.models import Membership

from . import actions, clock
from .models import (
    ExpenditureReport,
    ExpenseItem,
    Grant,
    ManagementCost,
    RankingEntry,
    RankingRun,
    RepresentationClaim,
    Verification,
)

PREFIX = "demo-bandi-"
MANAGED = 8  # funded applications taken past the advance at most


def purge(calls) -> None:
    """Delete the management records of `calls` (before their applications), the projects and
    interventions their grants opened, and the management costs."""
    from reti.grants.models import (
        ChangeRequest,
        ExpenseDocument,
        Payment,
        Recovery,
        ResultIndicator,
        Revocation,
    )
    from reti.monitoring.models import IndicatorTarget as MonitoringTarget
    from reti.monitoring.models import Intervention
    from reti.registry.models import Partnership, Project

    grants = Grant.objects.filter(application__call__in=calls)
    projects = list(grants.exclude(project=None).values_list("project_id", flat=True))
    interventions = list(
        grants.exclude(intervention=None).values_list("intervention_id", flat=True)
    )
    Recovery.objects.filter(revocation__grant__in=grants).delete()
    Revocation.objects.filter(grant__in=grants).delete()
    Verification.objects.filter(report__grant__in=grants).delete()
    ExpenseItem.objects.filter(report__grant__in=grants).delete()
    ExpenseDocument.objects.filter(report__grant__in=grants).delete()
    ExpenditureReport.objects.filter(grant__in=grants).delete()
    ChangeRequest.objects.filter(grant__in=grants).delete()
    ResultIndicator.objects.filter(grant__in=grants).delete()
    Payment.objects.filter(grant__in=grants).exclude(reverses=None).delete()
    Payment.objects.filter(grant__in=grants).delete()
    grants.delete()
    MonitoringTarget.objects.filter(intervention_id__in=interventions).delete()
    Intervention.objects.filter(pk__in=interventions).delete()
    Partnership.objects.filter(project_id__in=projects).delete()
    Project.objects.filter(pk__in=projects).delete()
    ManagementCost.objects.filter(call__in=calls).delete()
    ManagementCost.objects.filter(global_grant__calls__in=calls).delete()


def _member(username: str, first: str, body, codename: str):
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "password": make_password(None),
            "email": f"{username}@example.org",
            "first_name": first,
            "last_name": "sintetico",
        },
    )
    Membership.objects.get_or_create(
        user=user, organisation=body, defaults={"role": Membership.Role.VIEWER}
    )
    user.user_permissions.add(Permission.objects.get(codename=codename))
    return get_user_model().objects.get(pk=user.pk)  # the permission cache starts empty


def _cup(n: int) -> str:
    """A synthetic CUP of the right shape (letter, two digits, letter, eleven digits)."""
    return f"D71J26{n:09d}"


def _document():
    from reti.lib.pdf import html_to_pdf

    body = html_to_pdf(
        "<html lang='it'><head><title>Giustificativo</title></head>"
        "<body><p>Giustificativo di spesa sintetico: non descrive una spesa reale.</p>"
        "</body></html>"
    )
    return lambda: SimpleUploadedFile("giustificativo.pdf", body, content_type="application/pdf")


def _report(officer, beneficiary, grant, amounts, cut, document, *, final, when):
    """A report of `amounts` in the call's first category, sent, then verified at desk with
    `cut` taken off its last expense (with the reason)."""
    category = grant.application.call.cost_categories.order_by("code").first()
    with clock.at(when):
        report = actions.create_report(beneficiary, grant, final=final)
        actions.save_report_items(
            beneficiary,
            report,
            [
                ExpenseItem(category=category, description=f"Spesa sintetica {n}", amount=amount)
                for n, amount in enumerate(amounts, start=1)
            ],
        )
        actions.add_report_document(beneficiary, report, document())
        actions.submit_report(beneficiary, report)
    items = list(report.items.order_by("id"))
    accepted = {item.pk: (item.amount, "") for item in items}
    if cut:
        last = items[-1]
        accepted[last.pk] = (last.amount - cut, "Spesa fuori dal periodo del progetto (sintetico).")
    kind = Verification.Kind.DESK
    with clock.at(when + datetime.timedelta(days=6)):
        actions.verify_report(
            officer,
            report,
            kind=kind,
            checklist={code: True for code, _label in Verification.checklist_for(kind)},
            accepted=accepted,
        )
    return report


def _pay(officer, manager, accounting, grant, kind, when, **options):
    with clock.at(when):
        payment = actions.prepare_payment(officer, grant, kind, **options)
    with clock.at(when + datetime.timedelta(days=2)):
        actions.approve_payment(manager, payment)
    with clock.at(when + datetime.timedelta(days=5)):
        actions.pay_payment(accounting, payment, f"Mandato sintetico {payment.pk}")
    return payment


def generate(call, officer, start) -> dict[str, int]:
    """Manage the funded applications of `call` from `start` (a moment after the final
    ranking and its scorrimento): returns what it made."""
    counts = {"concessioni": 0, "chiuse": 0, "revocate": 0, "erogazioni": 0, "rendiconti": 0}
    if call.global_grant.programme.period_id is None:
        return counts  # no programming period in the registry: grants cannot open projects
    body = call.global_grant.intermediate_body
    manager = _member(f"{PREFIX}dirigente", "Dirigente", body, "approve_payment")
    accounting = _member(f"{PREFIX}ragioneria", "Ragioneria", body, "pay_payment")
    document = _document()
    representatives = dict(
        RepresentationClaim.objects.filter(
            organisation__grant_applications__call=call, status=RepresentationClaim.Status.VERIFIED
        ).values_list("organisation_id", "user_id")
    )
    users = get_user_model().objects.in_bulk(set(representatives.values()))

    def funded_without_grant():
        run = RankingRun.objects.current(call)
        return [
            e.application
            for e in run.entries.filter(
                status__in=[RankingEntry.Status.FUNDED, RankingEntry.Status.PARTIAL]
            )
            .select_related("application")
            .order_by("position", "pk")
            if not Grant.objects.filter(application=e.application).exists()
        ]

    def open_grant(application, n, when):
        beneficiary = users[representatives[application.organisation_id]]
        with clock.at(when):
            grant = actions.decide_funding(
                officer,
                application,
                decree_number=f"Determina sintetica {n}/2026",
                decree_date=clock.local_date(),
                decree_signer="Dirigente sintetico",
                cup=_cup(call.pk * 1000 + n),
            )
        with clock.at(when + datetime.timedelta(days=3)):
            actions.generate_agreement(
                officer,
                grant,
                start_date=clock.local_date(),
                end_date=clock.local_date() + datetime.timedelta(days=365),
            )
        counts["concessioni"] += 1
        with clock.at(when + datetime.timedelta(days=8 + n % 5)):
            try:
                actions.accept_agreement(beneficiary, grant)
            except ValidationError:  # no territory in Italy for the project: left decided
                return None
        return grant, beneficiary

    day = start
    opened = []
    for n, application in enumerate(funded_without_grant(), start=1):
        found = open_grant(application, n, day + datetime.timedelta(hours=n))
        if found is not None:
            opened.append(found)
    for n, (grant, beneficiary) in enumerate(opened):
        grant.refresh_from_db()
        # every agreement is accepted by day 13; one advance is prepared a month late
        late = datetime.timedelta(days=30 if n == 1 else 0)
        _pay(
            officer,
            manager,
            accounting,
            grant,
            "advance",
            day + datetime.timedelta(days=14) + late,
            guarantee="Polizza fideiussoria sintetica",
        )
        counts["erogazioni"] += 1
        if n >= MANAGED:
            continue
        granted = grant.amount
        if n == 2:  # revoked: activities never started; the advance is to be recovered
            with clock.at(day + datetime.timedelta(days=25)):
                state_paid = sum(p.signed_amount for p in grant.payments.filter(status="paid"))
                revocation = actions.revoke(
                    officer,
                    grant,
                    kind="total",
                    act="Decreto di revoca sintetico 1/2026",
                    reason="Attività non avviate nei termini (sintetico).",
                    to_recover=state_paid,
                )
            with clock.at(day + datetime.timedelta(days=35)):
                actions.record_recovery(
                    accounting,
                    revocation,
                    amount=(state_paid / 2).quantize(Decimal("0.01")),
                    date=clock.local_date(),
                    reference="Reversale sintetica 1",
                )
            counts["revocate"] += 1
            continue
        first = (granted * Decimal("0.55")).quantize(Decimal("1"))
        _report(
            officer,
            beneficiary,
            grant,
            [first - 400, Decimal(400)],
            Decimal(150) if n % 2 == 0 else Decimal(0),
            document,
            final=False,
            when=day + datetime.timedelta(days=24 + n),
        )
        counts["rendiconti"] += 1
        _pay(
            officer,
            manager,
            accounting,
            grant,
            "intermediate",
            day + datetime.timedelta(days=32 + n),
        )
        counts["erogazioni"] += 1
        if n == 0:  # closed: final report, balance, results
            rest = granted - first
            _report(
                officer,
                beneficiary,
                grant,
                [rest - 300, Decimal(300)],
                Decimal(200),
                document,
                final=True,
                when=day + datetime.timedelta(days=40),
            )
            counts["rendiconti"] += 1
            _pay(officer, manager, accounting, grant, "balance", day + datetime.timedelta(days=48))
            counts["erogazioni"] += 1
            with clock.at(day + datetime.timedelta(days=55)):
                actions.close_grant(
                    officer,
                    grant,
                    final_report="Relazione finale sintetica: attività concluse come previsto.",
                    achieved={t.code: t.target for t in grant.application.indicator_targets.all()},
                )
            counts["chiuse"] += 1
    # the revocation's money funded the next eligible application: its grant is decided too
    for n, application in enumerate(funded_without_grant(), start=len(opened) + 1):
        open_grant(application, n, day + datetime.timedelta(days=40, hours=n))
    ManagementCost.objects.bulk_create(
        [
            ManagementCost(
                global_grant=call.global_grant,
                call=call,
                year=2026,
                description="Istruttoria e commissione di valutazione (sintetico)",
                amount=Decimal("18500.00"),
            ),
            ManagementCost(
                global_grant=call.global_grant,
                call=call,
                year=2026,
                description="Verifiche di primo livello e pagamenti (sintetico)",
                amount=Decimal("12400.00"),
            ),
            ManagementCost(
                global_grant=call.global_grant,
                year=2026,
                description="Assistenza tecnica e sistema informativo (sintetico)",
                amount=Decimal("9600.00"),
            ),
        ]
    )
    return counts
