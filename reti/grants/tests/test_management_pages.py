"""Every grant-management page against the cast: the beneficiary (A) and another applicant
(B), an outsider, the intermediate body's officer, manager and accounting, an auditor and
anonymous; and the wrong HTTP method. Then the pages a user notices: the agreement's PDF, the
ZIP of every document, the link between grant and project pages."""

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from reti.grants import actions
from reti.grants.models import ChangeRequest, ExpenseItem, Grant, Payment

from .conftest import active, decided, paid

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "outsider",
    "applicant_b",
    "beneficiary",
    "officer",
    "manager",
    "accounting",
    "auditor",
)
VIEWERS = ("beneficiary", "officer", "manager", "accounting", "auditor")
SIGNED_IN = ROLES[1:]


@dataclass(frozen=True)
class Row:
    name: str
    stage: str
    target: str  # key of the world's records giving the URL's argument
    method: str
    allowed: tuple
    data: dict = field(default_factory=dict)


ROWS = [
    Row("grant_list", "active", "", "get", SIGNED_IN),
    Row("grant_detail", "active", "grant", "get", VIEWERS),
    Row("grant_archive", "active", "grant", "get", VIEWERS),
    Row("grant_decide", "funded", "application", "get", ("officer",)),
    Row(
        "grant_decide",
        "funded",
        "application",
        "post",
        ("officer",),
        {
            "decree_number": "D1",
            "decree_date": "2026-06-01",
            "decree_signer": "X",
            "cup": "J51B21000000001",
        },
    ),
    Row(
        "agreement_generate",
        "decided",
        "grant",
        "post",
        ("officer",),
        {"start_date": "2026-07-01", "end_date": "2027-06-30"},
    ),
    Row("agreement_accept", "decided", "grant", "post", ("beneficiary",)),
    Row("agreement_pdf", "decided", "grant", "get", VIEWERS),
    Row("payment_prepare", "active", "grant", "post", ("officer",), {"kind": "balance"}),
    Row("payment_approve", "active", "prepared", "post", ("manager",)),
    Row("payment_pay", "approved", "approved", "post", ("accounting",), {"reference": "M9"}),
    Row("payment_reverse", "active", "paid", "post", ("officer",), {"reason": "Errore"}),
    Row("report_create", "active", "grant", "post", ("beneficiary",)),
    Row("report_detail", "active", "draft", "get", VIEWERS),
    Row(
        "report_detail",
        "active",
        "draft",
        "post",
        ("beneficiary",),
        {"category": "staff_costs", "description": "Affitto", "amount": "10"},
    ),
    Row("report_document_upload", "active", "draft", "post", ("beneficiary",)),
    Row("report_document_download", "active", "document", "get", VIEWERS),
    Row("report_submit", "active", "draft", "post", ("beneficiary",)),
    Row("report_verify", "submitted", "submitted", "get", ("officer",)),
    Row(
        "change_request",
        "active",
        "grant",
        "post",
        ("beneficiary",),
        {"kind": "extension", "new_end_date": "2027-12-31", "reason": "Ritardi"},
    ),
    Row("change_decide", "active", "change", "post", ("officer",), {"approve": "1"}),
    Row("grant_renounce", "active", "grant", "post", ("beneficiary",), {"reason": "Basta"}),
    Row(
        "grant_revoke",
        "active",
        "grant",
        "post",
        ("officer",),
        {"kind": "total", "to_recover": "0", "act": "D9", "reason": "R"},
    ),
    Row(
        "recovery_record",
        "active",
        "revocation",
        "post",
        ("accounting",),
        {"amount": "1", "date": "2026-09-01", "reference": "R1"},
    ),
    Row("grant_close", "active", "grant", "post", ("officer",), {"final_report": "Fatto"}),
    Row("sample_draw", "active", "call", "post", ("officer",), {"rate": "0.5", "seed": "s"}),
]


@pytest.fixture
def free_money():
    with mock.patch.object(actions, "free_money", create=True) as patched:
        yield patched


def _world(m, stage: str, pdf) -> dict:
    """The records a page is about, at the stage the row names."""
    records = {"application": m.application_a.pk, "call": m.grants.call.code}
    if stage == "funded":
        return records
    if stage == "decided":
        grant = decided(m)
        actions.generate_agreement(
            m.grants.officer,
            grant,
            start_date=datetime.date(2026, 7, 1),
            end_date=datetime.date(2027, 6, 30),
        )
        return records | {"grant": grant.pk}
    grant = active(m)
    advance = paid(m, grant, "advance", guarantee="Polizza")
    revocation = actions.revoke(
        m.grants.officer,
        grant,
        kind="partial",
        amount="100",
        act="D5",
        reason="Voce non ammessa",
        to_recover="0",
    )
    revocation.to_recover = Decimal("50.00")  # a recovery to book (revoke bounds it by paid)
    revocation.save()
    change = actions.request_change(
        m.grants.applicant_a,
        grant,
        ChangeRequest(kind="extension", new_end_date=datetime.date(2027, 9, 30), reason="R"),
    )
    report = actions.create_report(m.grants.applicant_a, grant)
    actions.save_report_items(
        m.grants.applicant_a,
        report,
        [ExpenseItem(category=m.grants.staff_costs, description="Stipendi", amount="1000")],
    )
    document = actions.add_report_document(m.grants.applicant_a, report, pdf())
    if stage == "submitted":
        actions.submit_report(m.grants.applicant_a, report)
    pending = actions.reverse_payment(m.grants.officer, advance, "Prova")
    if stage == "approved":
        actions.approve_payment(m.manager, pending)
    return records | {
        "grant": grant.pk,
        "paid": advance.pk,
        "prepared": pending.pk,
        "approved": pending.pk,
        "revocation": revocation.pk,
        "change": change.pk,
        "draft": report.pk,
        "submitted": report.pk,
        "document": document.pk,
    }


def _people(m, cast) -> dict:
    return {
        "anonymous": None,
        "outsider": cast.outsider,
        "applicant_b": m.grants.applicant_b,
        "beneficiary": m.grants.applicant_a,
        "officer": m.grants.officer,
        "manager": m.manager,
        "accounting": m.accounting,
        "auditor": m.auditor,
    }


def _data(row: Row, m) -> dict:
    data = dict(row.data)
    if data.get("category") == "staff_costs":
        data["category"] = m.grants.staff_costs.pk
    return data


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.name}-{r.method}-{r.stage}")
def test_each_page_against_the_cast(row, management, cast, client, pdf, free_money):
    m = management
    world = _world(m, row.stage, pdf)
    url = reverse(f"grants:{row.name}", args=[world[row.target]] if row.target else [])
    for role, user in _people(m, cast).items():
        with transaction.atomic():
            client.logout()
            if user is not None:
                client.force_login(user)
            response = getattr(client, row.method)(url, _data(row, m))
            transaction.set_rollback(True)
        if role == "anonymous":
            assert response.status_code == 302, role
            assert response["Location"].startswith(reverse(settings.LOGIN_URL)), role
        elif role in row.allowed:
            assert response.status_code in (200, 302), (role, response.status_code)
            if response.status_code == 302:
                assert not response["Location"].startswith(reverse(settings.LOGIN_URL))
        else:
            assert response.status_code in (403, 404), (role, response.status_code)
    # the wrong method, by someone allowed
    client.force_login(_people(m, cast)[row.allowed[0]])
    wrong = (
        "put"
        if row.name in ("report_detail", "grant_decide", "report_verify")
        else ("post" if row.method == "get" else "get")
    )
    assert getattr(client, wrong)(url).status_code == 405


# --- what users see -----------------------------------------------------------------------------


def test_decision_form_reports_a_bad_cup_on_its_field(management, client):
    m = management
    client.force_login(m.grants.officer)
    response = client.post(
        reverse("grants:grant_decide", args=[m.application_a.pk]),
        {
            "decree_number": "D1",
            "decree_date": "2026-06-01",
            "decree_signer": "X",
            "cup": "J51B2100000000",
        },
    )
    assert response.status_code == 200
    assert "15 caratteri" in response.content.decode()
    assert not Grant.objects.exists()


def test_agreement_pdf_download(management, client):
    m = management
    grant = decided(m)
    actions.generate_agreement(
        m.grants.officer,
        grant,
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    client.force_login(m.grants.applicant_a)
    response = client.get(reverse("grants:agreement_pdf", args=[grant.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"convenzione-{grant.cup}.pdf" in response["Content-Disposition"]


def test_accepting_from_the_page_links_grant_and_project_both_ways(management, client):
    m = management
    grant = decided(m)
    actions.generate_agreement(
        m.grants.officer,
        grant,
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    client.force_login(m.grants.applicant_a)
    detail = reverse("grants:grant_detail", args=[grant.pk])
    assert "accept-form" in client.get(detail).content.decode()
    client.post(reverse("grants:agreement_accept", args=[grant.pk]))
    grant.refresh_from_db()
    page = client.get(detail).content.decode()
    assert reverse("portal:project_detail", args=[grant.project_id]) in page
    assert reverse("monitoring:intervention_detail", args=[grant.intervention_id]) in page
    project_page = client.get(reverse("portal:project_detail", args=[grant.project_id]))
    assert detail in project_page.content.decode()
    client.logout()  # the public sees the funding, not the management page
    public = client.get(reverse("portal:project_detail", args=[grant.project_id])).content.decode()
    assert "project-grant" in public and detail not in public


def test_payment_chain_through_the_pages(management, client):
    m = management
    grant = active(m)
    client.force_login(m.grants.officer)
    client.post(
        reverse("grants:payment_prepare", args=[grant.pk]),
        {"kind": "advance", "guarantee": "Polizza 7"},
    )
    payment = Payment.objects.get(grant=grant)
    response = client.post(reverse("grants:payment_approve", args=[payment.pk]))
    assert response.status_code == 403  # the officer prepared it
    client.force_login(m.manager)
    client.post(reverse("grants:payment_approve", args=[payment.pk]))
    client.force_login(m.accounting)
    client.post(reverse("grants:payment_pay", args=[payment.pk]), {"reference": "M 1"})
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.payment_reference == "M 1"
    client.force_login(m.auditor)
    page = client.get(reverse("grants:grant_detail", args=[grant.pk])).content.decode()
    assert 'data-figure="paid">3.200,00' in page
    assert "payment-form" not in page and "reference-" not in page  # the auditor only reads


def test_archive_holds_every_document_with_an_index(management, client, pdf):
    m = management
    grant = active(m)
    report = actions.create_report(m.grants.applicant_a, grant)
    actions.add_report_document(m.grants.applicant_a, report, pdf("fattura-1.pdf", "Fattura"))
    client.force_login(m.auditor)
    response = client.get(reverse("grants:grant_archive", args=[grant.pk]))
    assert response.streaming and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert f"convenzione-{grant.cup}.pdf" in names
    assert "domanda/ricevuta.json" in names
    assert any(n.startswith("domanda/") and n.endswith("statuto.pdf") for n in names)
    assert any(n.startswith("rendiconti/1/") and n.endswith("fattura-1.pdf") for n in names)
    assert archive.read(f"convenzione-{grant.cup}.pdf").startswith(b"%PDF")
    index = archive.read("indice.json").decode()
    assert grant.cup in index and '"granted": "8000.00"' in index


def test_verification_page_records_cuts(management, client, pdf):
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
    client.force_login(m.grants.officer)
    url = reverse("grants:report_verify", args=[report.pk])
    data = {"kind": "desk", f"accepted_{item.pk}": "900", f"reason_{item.pk}": ""}
    response = client.post(url, data)
    assert response.status_code == 200 and report.items.get().accepted is None
    assert "Indicare il motivo del taglio." in response.content.decode()
    data[f"reason_{item.pk}"] = "Fuori periodo"
    data["check_period"] = "on"
    client.post(url, data)
    item.refresh_from_db()
    assert item.accepted == Decimal("900.00") and item.cut_reason == "Fuori periodo"
    assert report.__class__.objects.get(pk=report.pk).verification.checklist["period"] is True


def test_the_list_shows_each_person_the_grants_they_may_see(management, client, cast):
    m = management
    grant = decided(m)
    url = reverse("grants:grant_list")
    for user, sees in (
        (m.grants.applicant_a, True),
        (m.grants.officer, True),
        (m.manager, True),
        (m.accounting, True),
        (m.auditor, True),
        (m.grants.applicant_b, False),
        (cast.outsider, False),
        (cast.toscana_officer, False),
    ):
        client.force_login(user)
        assert (grant.cup in client.get(url).content.decode()) is sees, user
    client.force_login(m.grants.applicant_a)
    account = client.get(reverse("accounts:account")).content.decode()
    assert 'id="account-grants"' in account


def test_the_grant_page_reads_in_english(management, client):
    from django.utils import translation

    m = management
    grant = active(m)
    client.force_login(m.auditor)
    with translation.override("en"):
        url = reverse("grants:grant_detail", args=[grant.pk])
    page = client.get(url).content.decode()
    assert "Financial state (euro)" in page and "Situazione finanziaria" not in page
