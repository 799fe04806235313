"""From the ranking to the closed grant: the actions, their rules and their audit trail."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reti.grants import actions
from reti.grants.models import (
    ChangeRequest,
    ExpenseItem,
    Grant,
    Payment,
    RankingEntry,
    Revocation,
    grant_state,
)
from reti.monitoring.models import Intervention
from reti.registry.models import Partnership, Project

from . import factories as gf
from .conftest import CUP_A, active, decided, paid, verified_report

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def free_money():
    with mock.patch.object(actions, "free_money", create=True) as patched:
        yield patched


# --- funding decision ------------------------------------------------------------------------


def test_officer_records_the_funding_decision_of_a_funded_application(management):
    grant = decided(management)
    assert grant.amount == D("8000.00") and grant.cup == CUP_A
    assert grant.state_aid_code == "COR-1234567" and grant.status == Grant.Status.DECIDED
    assert grant.ranking_entry == management.entry_a
    assert grant.history.first().history_change_reason.startswith("Concessione registrata")


@pytest.mark.parametrize(
    ("cup", "code"),
    [
        ("J51B2100000001", "cup_length"),
        ("J51B210000000011", "cup_length"),
        ("151B21000000001", "cup_pattern"),
    ],
)
def test_a_malformed_cup_is_refused_naming_the_field(management, cup, code):
    with pytest.raises(ValidationError) as error:
        decided(management, cup=cup)
    assert "cup" in error.value.message_dict
    assert (
        "15" in error.value.message_dict["cup"][0] or "forma" in error.value.message_dict["cup"][0]
    )
    assert not Grant.objects.exists()


def test_the_cup_is_read_in_capitals(management):
    assert decided(management, cup=" j51b21000000001 ").cup == CUP_A


def test_the_amount_cannot_exceed_the_ranking(management):
    with pytest.raises(ValidationError) as error:
        decided(management, amount="8000.01")
    assert "amount" in error.value.message_dict
    assert decided(management, amount="7500").amount == D("7500.00")


def test_no_decision_without_a_funded_entry_in_the_current_run(management):
    m = management
    with pytest.raises(PermissionDenied):  # B is not funded
        actions.decide_funding(
            m.grants.officer,
            m.application_b,
            decree_number="1",
            decree_date=datetime.date(2026, 6, 1),
            decree_signer="X",
            cup=CUP_A,
        )
    # A later scorrimento that no longer funds A is the current run
    run = gf.RankingRunFactory(call=m.grants.call, number=2, kind="scroll")
    gf.RankingEntryFactory(run=run, application=m.application_a, status=RankingEntry.Status.REVOKED)
    with pytest.raises(PermissionDenied):
        decided(m)


def test_only_the_calls_officers_decide(management, cast):
    m = management
    for user in (m.grants.applicant_a, m.manager, m.auditor, cast.outsider):
        with pytest.raises(PermissionDenied):
            actions.decide_funding(
                user,
                m.application_a,
                decree_number="1",
                decree_date=datetime.date(2026, 6, 1),
                decree_signer="X",
                cup=CUP_A,
            )


# --- agreement, project and intervention -----------------------------------------------------


def test_agreement_is_filled_from_the_calls_template(management):
    m = management
    m.grants.call.agreement_template_it = "{beneficiario} {cup} {importo} dal {inizio} al {fine}"
    m.grants.call.save()
    grant = decided(m)
    actions.generate_agreement(
        m.grants.officer,
        grant,
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    grant.refresh_from_db()
    assert grant.agreement_text == (
        "Associazione A (prova) J51B21000000001 8.000,00 dal 01/07/2026 al 30/06/2027"
    )


def test_a_call_template_with_an_unknown_placeholder_is_refused(management):
    call = management.grants.call
    call.agreement_template_it = "{beneficiario} {sconosciuto}"
    with pytest.raises(ValidationError) as error:
        call.full_clean()
    assert "sconosciuto" in error.value.message_dict["agreement_template_it"][0]


def test_accepting_the_agreement_opens_project_and_intervention(management):
    m = management
    grant = active(m)
    assert grant.status == Grant.Status.ACTIVE and grant.accepted_by == m.grants.applicant_a
    assert grant.accepted_at is not None
    project = Project.objects.get(grant=grant)
    assert project.cup == CUP_A and project.kind == Project.Kind.GRANT
    assert project.status == Project.Status.ACTIVE and project.budget == D("8000.00")
    assert project.period.code == "2021-2027"
    assert Partnership.objects.get(project=project, role="lead").organisation == m.grants.org_a
    intervention = Intervention.objects.get(grant=grant)
    assert intervention.code == CUP_A and intervention.project == project
    assert intervention.organisation == m.grants.org_a and intervention.region.code == "09"
    assert intervention.instrument == Intervention.Instrument.GLOBAL_GRANT
    assert intervention.start_date == datetime.date(2026, 7, 1)


def test_only_the_beneficiary_accepts(management):
    m = management
    grant = decided(m)
    actions.generate_agreement(
        m.grants.officer,
        grant,
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    for user in (m.grants.applicant_b, m.grants.officer, m.auditor):
        with pytest.raises(PermissionDenied):
            actions.accept_agreement(user, grant)


# --- payments --------------------------------------------------------------------------------


def test_advance_through_the_three_person_chain(management):
    m = management
    grant = active(m)
    payment = actions.prepare_payment(m.grants.officer, grant, "advance", guarantee="Polizza 1")
    assert payment.amount == D("3200.00")  # 40 % of 8,000
    actions.approve_payment(m.manager, payment)
    payment = actions.pay_payment(m.accounting, payment, "Mandato 77")
    assert payment.status == Payment.Status.PAID and payment.paid_by == m.accounting
    reasons = [h.history_change_reason for h in payment.history.order_by("history_id")]
    assert reasons == [
        "Erogazione predisposta: Anticipo",
        "Erogazione approvata",
        "Erogazione pagata: Mandato 77",
    ]


def test_advance_needs_the_guarantee_the_call_asks(management):
    m = management
    grant = active(m)
    with pytest.raises(ValidationError) as error:
        actions.prepare_payment(m.grants.officer, grant, "advance")
    assert "guarantee" in error.value.message_dict


def test_the_same_person_never_takes_two_steps(management):
    m = management
    grant = active(m)
    # The officer also holds both money permissions: still one step only.
    from .conftest import _with_permission

    _with_permission(m.grants.officer, "approve_payment")
    _with_permission(m.grants.officer, "pay_payment")
    _with_permission(m.manager, "pay_payment")
    from reti.grants.models import Payment as P

    payment = actions.prepare_payment(m.grants.officer, grant, "advance", guarantee="G")
    officer = type(m.grants.officer).objects.get(pk=m.grants.officer.pk)
    with pytest.raises(PermissionDenied):
        actions.approve_payment(officer, payment)
    actions.approve_payment(m.manager, payment)
    manager = type(m.manager).objects.get(pk=m.manager.pk)
    for user in (officer, manager):
        with pytest.raises(PermissionDenied):
            actions.pay_payment(user, payment, "M1")
    assert P.objects.get(pk=payment.pk).status == P.Status.APPROVED


def test_a_payment_is_not_approved_twice(management):
    m = management
    grant = active(m)
    payment = actions.prepare_payment(m.grants.officer, grant, "advance", guarantee="G")
    actions.approve_payment(m.manager, payment)
    with pytest.raises(ValidationError) as error:
        actions.approve_payment(m.manager_2, payment)
    assert "già stata approvata" in error.value.messages[0]


def test_roles_without_the_permission_cannot_approve_or_pay(management, cast):
    m = management
    grant = active(m)
    payment = actions.prepare_payment(m.grants.officer, grant, "advance", guarantee="G")
    for user in (m.auditor, m.accounting, m.grants.applicant_a, cast.outsider):
        with pytest.raises(PermissionDenied):
            actions.approve_payment(user, payment)
    actions.approve_payment(m.manager, payment)
    for user in (m.auditor, m.manager_2, m.grants.applicant_a):
        with pytest.raises(PermissionDenied):
            actions.pay_payment(user, payment, "M")


def test_a_manager_of_another_body_does_not_approve(management):
    from reti.registry.tests import factories as f

    from .conftest import _with_permission

    m = management
    other = _with_permission(
        f.MembershipFactory(user__username="elsewhere").user, "approve_payment"
    )
    payment = actions.prepare_payment(m.grants.officer, active(m), "advance", guarantee="G")
    with pytest.raises(PermissionDenied):
        actions.approve_payment(other, payment)


def test_payments_are_append_only_and_corrected_by_reversal(management):
    m = management
    grant = active(m)
    payment = paid(m, grant, "advance", guarantee="G")
    payment.amount = D("1.00")
    with pytest.raises(ValidationError):
        payment.save()
    with pytest.raises(ValidationError):
        Payment.objects.get(pk=payment.pk).delete()
    reversal = actions.reverse_payment(m.grants.officer, payment, "Importo errato")
    assert reversal.amount == D("3200.00") and reversal.kind == "reversal"
    actions.approve_payment(m.manager, reversal)
    actions.pay_payment(m.accounting, reversal, "Storno 1")
    assert grant_state(grant).paid == D("0.00")
    with pytest.raises(ValidationError):
        actions.reverse_payment(m.grants.officer, payment, "Ancora")
    # the advance may be prepared again once the wrong one is reversed
    assert actions.prepare_payment(m.grants.officer, grant, "advance", guarantee="G")


def test_one_payment_at_a_time(management):
    m = management
    grant = active(m)
    actions.prepare_payment(m.grants.officer, grant, "advance", guarantee="G")
    with pytest.raises(ValidationError):
        actions.prepare_payment(m.grants.officer, grant, "balance")


def test_intermediate_needs_the_verified_share_and_balance_the_final_report(management, pdf):
    m = management
    grant = active(m)
    paid(m, grant, "advance", guarantee="G")
    verified_report(m, grant, ["3000"], pdf=pdf)
    with pytest.raises(ValidationError) as error:  # 3,000 < 50 % of 8,000
        actions.prepare_payment(m.grants.officer, grant, "intermediate")
    assert "4000.00" in error.value.messages[0]
    verified_report(m, grant, ["2000"], pdf=pdf)
    payment = paid(m, grant, "intermediate")
    assert payment.amount == D("1800.00")  # 5,000 verified − 3,200 paid (cap 3,200)
    with pytest.raises(ValidationError):
        actions.prepare_payment(m.grants.officer, grant, "balance")
    verified_report(m, grant, ["4000"], final=True, cuts={0: D("1500")}, pdf=pdf)
    balance = paid(m, grant, "balance")
    assert balance.amount == D("2500.00")  # min(7,500 verified, 8,000) − 5,000 paid


# --- reports and verification -----------------------------------------------------------------


def test_report_documents_are_checked_pdfs(management):
    m = management
    grant = active(m)
    report = actions.create_report(m.grants.applicant_a, grant)
    fake = SimpleUploadedFile("fattura.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        actions.add_report_document(m.grants.applicant_a, report, fake)
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.submit_report(m.grants.applicant_a, report)
    assert set(error.value.message_dict) == {"items", "documents"}


def test_a_cut_needs_its_reason_and_the_sample_is_verified_on_the_spot(management, pdf):
    from reti.grants.models import Verification

    m = management
    grant = active(m)
    report = actions.create_report(m.grants.applicant_a, grant)
    actions.save_report_items(
        m.grants.applicant_a,
        report,
        [ExpenseItem(category=m.grants.staff_costs, description="Stipendi", amount="1000")],
    )
    actions.add_report_document(m.grants.applicant_a, report, pdf())
    actions.submit_report(m.grants.applicant_a, report)
    item = report.items.get()
    desk = {code: True for code, _l in Verification.checklist_for("desk")}
    with pytest.raises(ValidationError) as error:
        actions.verify_report(
            m.grants.officer, report, kind="desk", checklist=desk, accepted={item.pk: ("800", "")}
        )
    assert f"accepted.{item.pk}.cut_reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.verify_report(
            m.grants.officer, report, kind="desk", checklist={}, accepted={item.pk: ("800", "x")}
        )
    assert "checklist" in error.value.message_dict
    chosen = actions.draw_on_the_spot_sample(
        m.grants.officer, m.grants.call, rate="0.1", seed="seme"
    )
    assert [g.pk for g in chosen] == [grant.pk]
    report.grant.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        actions.verify_report(
            m.grants.officer, report, kind="desk", checklist=desk, accepted={item.pk: ("800", "x")}
        )
    assert "kind" in error.value.message_dict
    spot = {code: True for code, _l in Verification.checklist_for("on_the_spot")}
    actions.verify_report(
        m.grants.officer,
        report,
        kind="on_the_spot",
        checklist=spot,
        accepted={item.pk: ("800", "Fuori periodo")},
    )
    assert grant_state(grant).cut == D("200.00")


# --- changes ----------------------------------------------------------------------------------


def test_budget_shift_within_the_calls_tolerance(management):
    m = management
    grant = active(m)
    # staff costs are 9,000 in the plan: 10 % is 900
    too_much = ChangeRequest(
        kind="budget_shift",
        from_category=m.grants.staff_costs,
        to_category=m.grants.travel,
        amount="900.01",
        reason="Più viaggi",
    )
    with pytest.raises(ValidationError) as error:
        actions.request_change(m.grants.applicant_a, grant, too_much)
    assert "900.00" in error.value.message_dict["amount"][0]
    change = actions.request_change(
        m.grants.applicant_a,
        grant,
        ChangeRequest(
            kind="budget_shift",
            from_category=m.grants.staff_costs,
            to_category=m.grants.travel,
            amount="900",
            reason="Più viaggi",
        ),
    )
    actions.decide_change(m.grants.officer, change, approve=True)
    budgets = actions.category_budgets(grant)
    assert budgets[m.grants.staff_costs.pk] == D("8100.00")
    assert budgets[m.grants.travel.pk] == D("1900.00")


def test_extension_moves_the_end_of_grant_project_and_intervention(management):
    m = management
    grant = active(m)
    new_end = datetime.date(2027, 12, 31)
    change = actions.request_change(
        m.grants.applicant_a,
        grant,
        ChangeRequest(kind="extension", new_end_date=new_end, reason="Ritardi"),
    )
    with pytest.raises(PermissionDenied):
        actions.decide_change(m.grants.applicant_a, change, approve=True)
    with pytest.raises(ValidationError):
        actions.decide_change(m.grants.officer, change, approve=False)  # no reason
    actions.decide_change(m.grants.officer, change, approve=True)
    grant.refresh_from_db()
    assert grant.end_date == new_end
    assert grant.project.end_date == new_end == grant.intervention.end_date


# --- renunciation, revocation, recovery ---------------------------------------------------------


def test_renunciation_frees_the_money_and_orders_back_what_was_paid(management, free_money):
    m = management
    grant = active(m)
    paid(m, grant, "advance", guarantee="G")
    revocation = actions.renounce(m.grants.applicant_a, grant, "Non possiamo proseguire")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.RENOUNCED
    assert revocation.amount == D("8000.00") and revocation.to_recover == D("3200.00")
    free_money.assert_called_once_with(
        m.grants.applicant_a,
        grant.application,
        "withdrawn",
        amount=D("8000.00"),
        reason="Non possiamo proseguire",
    )


def test_partial_revocation_bounds_and_recovery(management, free_money):
    m = management
    grant = active(m)
    paid(m, grant, "advance", guarantee="G")  # 3,200 paid
    base = {"kind": "partial", "act": "Determina 40", "reason": "Attività ridotte"}
    with pytest.raises(ValidationError) as error:  # 6,000 revoked leaves 2,000 < 3,200 paid
        actions.revoke(m.grants.officer, grant, amount="6000", to_recover="1000", **base)
    assert "1200.00" in error.value.message_dict["to_recover"][0]
    with pytest.raises(ValidationError):
        actions.revoke(m.grants.officer, grant, amount="8000", to_recover="0", **base)
    revocation = actions.revoke(m.grants.officer, grant, amount="6000", to_recover="1200", **base)
    # A partial revocation frees part of a grant that stands: savings, for the ranking.
    free_money.assert_called_once_with(
        m.grants.officer,
        grant.application,
        "savings",
        amount=D("6000.00"),
        reason="Attività ridotte",
    )
    with pytest.raises(PermissionDenied):
        actions.record_recovery(
            m.grants.officer,
            revocation,
            amount="100",
            date=datetime.date(2026, 9, 1),
            reference="R1",
        )
    with pytest.raises(ValidationError):
        actions.record_recovery(
            m.accounting,
            revocation,
            amount="1200.01",
            date=datetime.date(2026, 9, 1),
            reference="R1",
        )
    actions.record_recovery(
        m.accounting, revocation, amount="1200", date=datetime.date(2026, 9, 1), reference="R1"
    )
    state = grant_state(grant)
    assert (state.entitled, state.paid, state.to_recover, state.recovered, state.outstanding) == (
        D("2000.00"),
        D("3200.00"),
        D("1200.00"),
        D("1200.00"),
        D("0.00"),
    )
    assert state.net_paid == D("2000.00")


def test_total_revocation(management, free_money):
    m = management
    grant = active(m)
    revocation = actions.revoke(
        m.grants.officer, grant, kind="total", act="D 41", reason="Irregolarità", to_recover="0"
    )
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REVOKED and revocation.amount == D("8000.00")
    assert free_money.call_args.args[2] == "revoked"
    with pytest.raises(PermissionDenied):
        actions.prepare_payment(m.grants.officer, grant, "advance", guarantee="G")
    assert Revocation.objects.count() == 1


# --- closure and the financial state ------------------------------------------------------------


def test_closure_with_results_and_savings(management, pdf, free_money):
    m = management
    grant = active(m)
    paid(m, grant, "advance", guarantee="G")
    verified_report(m, grant, ["4000", "3000"], final=True, cuts={1: D("500")}, pdf=pdf)
    with pytest.raises(ValidationError) as error:  # balance not paid yet
        actions.close_grant(m.grants.officer, grant, final_report="Fatto", achieved={"EECO01": 38})
    assert "status" in error.value.message_dict
    paid(m, grant, "balance")
    with pytest.raises(ValidationError) as error:
        actions.close_grant(m.grants.officer, grant, final_report="Fatto", achieved={})
    assert "results.EECO01" in error.value.message_dict
    grant = actions.close_grant(
        m.grants.officer, grant, final_report="Fatto", achieved={"EECO01": "38"}
    )
    assert grant.status == Grant.Status.CLOSED and grant.savings == D("1500.00")
    assert grant.results.get().achieved == 38 and grant.results.get().target == 40
    assert Project.objects.get(pk=grant.project_id).status == Project.Status.COMPLETED
    free_money.assert_called_once_with(
        m.grants.officer, grant.application, "savings", amount=D("1500.00"), reason="Fatto"
    )


def test_financial_state_reconciles_with_the_records_to_the_cent(management, pdf, free_money):
    """Sum each figure straight from the rows and compare with the pure function's result."""
    from django.db.models import Sum

    from reti.grants.models import ExpenseItem as Item
    from reti.grants.models import Recovery

    m = management
    grant = active(m)
    advance = paid(m, grant, "advance", guarantee="G")
    verified_report(m, grant, ["1234.56", "3000.01"], cuts={0: D("34.57")}, pdf=pdf)
    paid(m, grant, "intermediate")
    reversal = actions.reverse_payment(m.grants.officer, advance, "Doppio")
    actions.approve_payment(m.manager, reversal)
    actions.pay_payment(m.accounting, reversal, "S1")
    revocation = actions.revoke(
        m.grants.officer,
        grant,
        kind="partial",
        amount="999.99",
        act="D",
        reason="R",
        to_recover="500.05",
    )
    actions.record_recovery(
        m.accounting, revocation, amount="200.02", date=datetime.date(2026, 9, 1), reference="X"
    )
    state = grant_state(grant)

    def total(queryset, field):
        return queryset.aggregate(s=Sum(field))["s"] or D("0")

    payments = Payment.objects.filter(grant=grant, status="paid")
    paid_sum = total(payments.exclude(kind="reversal"), "amount") - total(
        payments.filter(kind="reversal"), "amount"
    )
    items = Item.objects.filter(report__grant=grant)
    assert state.paid == paid_sum == D("1000.00")  # 3,200 + 1,000 − 3,200
    assert state.reported == total(items, "amount") == D("4234.57")
    assert state.verified == total(items, "accepted") == D("4200.00")
    assert state.cut == D("34.57")
    assert state.revoked == total(Revocation.objects.filter(grant=grant), "amount")
    assert state.entitled == D("7000.01")
    assert state.to_recover == D("500.05")
    assert state.recovered == total(Recovery.objects.filter(revocation__grant=grant), "amount")
    assert state.outstanding == D("300.03")


def test_every_money_record_names_its_actor_and_reason_in_the_trail(management, pdf, free_money):
    m = management
    grant = active(m)
    payment = paid(m, grant, "advance", guarantee="G")
    report = verified_report(m, grant, ["1000"], cuts={0: D("100")}, pdf=pdf)
    revocation = actions.revoke(
        m.grants.officer, grant, kind="partial", amount="10", act="D7", reason="R", to_recover="5"
    )
    recovery = actions.record_recovery(
        m.accounting, revocation, amount="5", date=datetime.date(2026, 9, 1), reference="X1"
    )
    expected = [
        (grant, m.grants.applicant_a, "Convenzione accettata"),
        (payment, m.accounting, "Erogazione pagata: Mandato"),
        (report.items.get(), m.grants.officer, "Rendiconto verificato: C1 −100.00"),
        (revocation, m.grants.officer, "Revoca del contributo: D7"),
        (recovery, m.accounting, "Recupero registrato: X1"),
    ]
    for record, user, reason in expected:
        last = record.history.order_by("-history_id").first()
        assert last.history_user == user, record
        assert last.history_change_reason.startswith(reason), last.history_change_reason
