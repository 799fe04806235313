"""The instrument report (analisi dello strumento): what the officer, the managing authority
and the public read of a global grant, its printable version and its data, against the cast."""

import json
from decimal import Decimal
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse

from reti.grants import actions, analysis
from reti.grants.models import Call, GlobalGrant, ManagementCost

from . import factories as gf
from .conftest import active, paid, verified_report

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def free_money():
    with mock.patch.object(actions, "free_money", create=True) as patched:
        yield patched


@pytest.fixture
def managed(management, pdf, free_money):
    """A's grant paid an advance and an intermediate tranche, a report cut, then partly
    revoked with part recovered; B not funded; management costs recorded."""
    import datetime

    m = management
    grant = active(m)
    paid(m, grant, "advance", guarantee="G")
    verified_report(m, grant, ["3000", "2000"], cuts={1: D("500")}, pdf=pdf)
    paid(m, grant, "intermediate")
    revocation = actions.revoke(
        m.grants.officer,
        grant,
        kind="partial",
        amount="1000",
        act="Determina 9/2026",
        reason="Spesa non ammissibile",
        to_recover="300",
    )
    actions.record_recovery(
        m.accounting, revocation, amount="100", date=datetime.date(2026, 10, 1), reference="R1"
    )
    global_grant = m.grants.call.global_grant
    ManagementCost.objects.create(
        global_grant=global_grant,
        call=m.grants.call,
        year=2026,
        description="Istruttoria",
        amount=D("400"),
    )
    ManagementCost.objects.create(
        global_grant=global_grant, year=2026, description="Sistema informativo", amount=D("240")
    )
    m.grant = grant
    return m


def test_the_report_reconciles_with_the_grants_records(managed):
    m = managed
    result = analysis.report(m.grants.call.global_grant, public=False)
    money = result.money
    assert money.granted == D("8000.00") and money.revoked == D("1000.00")
    assert money.committed == D("7000.00")
    assert money.paid == sum(p.signed_amount for p in m.grant.payments.filter(status="paid"))
    assert money.to_recover == D("300.00") and money.recovered == D("100.00")
    assert money.management_cost == D("640.00")  # the call's and the global grant's costs
    assert money.cost_per_euro == D("640") / D("7000")
    assert result.profile.success.count == 1 and result.profile.success.total == 2
    assert result.shares.funded.share == 0.5
    assert [g.cup for g in result.grants] == [m.grant.cup]
    # the advance waited for the agreement; the intermediate tranche for the report
    assert result.steps["advance"].n == 1 and result.steps["intermediate"].n == 1
    assert result.profile.durations["first_payment"].n == 1


def _get(client, user, url, **params):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def test_who_reads_which_version(managed, client, cast):
    m = managed
    url = reverse("grants:instrument_report", args=[m.grants.call.global_grant.pk])
    full = (m.grants.officer, cast.toscana_officer, m.auditor)  # body, managing authority, auditor
    public = (None, cast.outsider, cast.lazio_officer, m.grants.applicant_a, m.manager)
    for user in full:
        response = _get(client, user, url)
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="version-full"' in page and m.grant.cup in page, user
        assert reverse("grants:grant_detail", args=[m.grant.pk]) in page  # the grant's page
    for user in public:
        response = _get(client, user, url)
        assert response.status_code == 200
        page = response.content.decode()
        assert 'id="version-public"' in page, user
        assert reverse("grants:grant_detail", args=[m.grant.pk]) not in page
        assert "Da recuperare</th>" not in page.split('id="grants-table"')[1]
    # the wrong method
    client.force_login(m.grants.officer)
    assert client.post(url).status_code == 405
    assert client.post(reverse("grants:instrument_overview")).status_code == 405
    assert (
        client.post(reverse("grants:instrument_report_pdf", args=[m.grants.call.global_grant.pk]))
    ).status_code == 405


def test_a_global_grant_without_a_published_call_has_no_report(managed, client):
    draft_only = gf.GlobalGrantFactory()
    gf.CallFactory(global_grant=draft_only, status=Call.Status.DRAFT)
    client.force_login(managed.grants.officer)
    url = reverse("grants:instrument_report", args=[draft_only.pk])
    assert client.get(url).status_code == 404
    assert _get(client, None, url).status_code == 404


@override_settings(MONITORING_SUPPRESSION_THRESHOLD=5)
def test_the_public_version_hides_small_counts(managed, client):
    m = managed
    url = reverse("grants:instrument_report", args=[m.grants.call.global_grant.pk])
    public = _get(client, None, url).content.decode()
    assert "nascosto" in public  # two applications: every group is under the threshold
    funded_row = public.split('id="share-funded"')[1].split("</tr>")[0]
    assert "nascosto" in funded_row and "50,0" not in funded_row
    figures = analysis.figures(analysis.report(m.grants.call.global_grant, public=True))
    shares = [f for f in figures if f.section == "shares"]
    assert shares and all(f.value is None and f.count is None for f in shares)
    full = _get(client, m.grants.officer, url).content.decode()
    assert "nascosto" not in full


def test_the_figures_download_with_their_dictionary(managed, client):
    m = managed
    url = reverse("grants:instrument_report", args=[m.grants.call.global_grant.pk])
    response = _get(client, m.grants.officer, url, format="json")
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    rows = data["data"] if isinstance(data, dict) and "data" in data else data
    text = json.dumps(data)
    assert "management_cost" in text and "to_recover" in text and "first_payment" in text
    assert rows
    csv = _get(client, None, url, format="csv")
    assert csv.status_code == 200
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("sezione;misura;gruppo;valore")
    xlsx = _get(client, None, url, format="xlsx")
    assert xlsx.status_code == 200


def test_the_printable_report(managed, client):
    m = managed
    url = reverse("grants:instrument_report_pdf", args=[m.grants.call.global_grant.pk])
    response = _get(client, m.grants.officer, url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    anonymous = None  # reads the public version
    assert _get(client, anonymous, url).status_code == 200


def test_the_overview_lists_every_global_grant_with_a_published_call(managed, client):
    other = gf.GlobalGrantFactory(title_it="Sovvenzione globale del Lazio (prova)")
    gf.CallFactory(global_grant=other)
    response = _get(client, None, reverse("grants:instrument_overview"))
    page = response.content.decode()
    assert response.status_code == 200
    for global_grant in GlobalGrant.objects.all():
        assert reverse("grants:instrument_report", args=[global_grant.pk]) in page


def test_the_report_reads_in_english(managed, client):
    from django.utils import translation

    with translation.override("en"):
        url = reverse("grants:instrument_report", args=[managed.grants.call.global_grant.pk])
    page = _get(client, managed.grants.officer, url).content.decode()
    assert "Analysis of the instrument" in page and "Administrative usefulness" in page


def test_the_officer_records_a_management_cost_in_the_back_office(managed, client, cast):
    m = managed
    global_grant = m.grants.call.global_grant
    client.force_login(m.grants.officer)
    response = client.post(
        reverse("admin:grants_managementcost_add"),
        {"global_grant": global_grant.pk, "call": "", "year": 2027, "description": "Personale",
         "amount": "1500"},
    )  # fmt: skip
    assert response.status_code == 302
    cost = ManagementCost.objects.get(year=2027)
    entry = cost.history.first()
    assert entry.history_user == m.grants.officer and entry.history_change_reason
    report = analysis.report(global_grant, public=False)
    assert report.money.management_cost == D("2140.00")
    # grants are read-only in the back office, and another region's editor sees none
    page = client.get(reverse("admin:grants_grant_change", args=[m.grant.pk]))
    assert page.status_code == 200 and 'name="amount"' not in page.content.decode()
    client.force_login(cast.lazio_officer)
    assert client.get(reverse("admin:grants_managementcost_changelist")).status_code == 403
    response = client.post(
        reverse("admin:grants_managementcost_add"),
        {"global_grant": global_grant.pk, "year": 2028, "description": "X", "amount": "1"},
    )
    assert response.status_code == 403 and not ManagementCost.objects.filter(year=2028).exists()
