"""The grants pages with the cast: who sees what, wrong methods, the form, submit, receipt."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from reti.grants import actions, clock
from reti.grants.models import Application, Call, Receipt, RepresentationClaim

from . import factories as gf

pytestmark = pytest.mark.django_db


def _url(name, *args, language="it"):
    with translation.override(language):
        return reverse(name, args=args)


def test_calls_are_public_with_deadlines_in_italian_time(client, grants):
    response = client.get(_url("grants:call_list"))
    assert response.status_code == 200
    assert grants.call.title_it in response.text
    deadline = grants.call.deadline.astimezone(datetime.UTC)
    rome = deadline.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Rome"))
    detail = client.get(grants.call.get_absolute_url())
    assert rome.strftime("%d/%m/%Y %H:%M") in detail.text
    assert "Statuto dell&#x27;ente" in detail.text or "Statuto dell'ente" in detail.text


def test_call_page_in_english(client, grants):
    response = client.get(_url("grants:call_detail", grants.call.code, language="en"))
    assert response.status_code == 200
    assert "Small grants call (test)" in response.text


def test_a_draft_call_is_seen_by_its_officers_only(client, grants, cast):
    draft = gf.CallFactory(
        global_grant=grants.call.global_grant, status=Call.Status.DRAFT, published_at=None
    )
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    assert draft.code not in client.get(_url("grants:call_list")).text
    client.force_login(grants.applicant_a)
    assert client.get(url).status_code == 404
    client.force_login(grants.officer)
    assert client.get(url).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, draft_a):
    for name, args in (
        ("grants:claims", ()),
        ("grants:application_mine", ()),
        ("grants:application_edit", (draft_a.pk,)),
        ("grants:application_detail", (draft_a.pk,)),
    ):
        response = client.get(_url(name, *args))
        assert response.status_code == 302 and "accedi" in response["Location"]
    response = client.post(_url("grants:application_submit", draft_a.pk))
    assert response.status_code == 302 and "accedi" in response["Location"]
    assert Application.objects.get().status == Application.Status.DRAFT


def test_nobody_sees_another_applicants_draft(client, draft_a, grants, cast):
    for intruder in (grants.applicant_b, grants.officer, cast.staff, cast.outsider):
        client.force_login(intruder)
        for name in ("application_edit", "application_detail"):
            assert client.get(_url(f"grants:{name}", draft_a.pk)).status_code == 404
        before = Application.objects.values().get()
        response = client.post(
            _url("grants:application_edit", draft_a.pk), {"title": "Presa", "step": "save"}
        )
        assert response.status_code == 404
        assert client.post(_url("grants:application_submit", draft_a.pk)).status_code == 404
        assert Application.objects.values().get() == before
        mine = client.get(_url("grants:application_mine"))
        assert draft_a.title not in mine.text


def test_wrong_methods(client, draft_a, grants):
    client.force_login(grants.applicant_a)
    assert client.get(_url("grants:application_submit", draft_a.pk)).status_code == 405
    assert client.get(_url("grants:application_withdraw", draft_a.pk)).status_code == 405
    assert client.get(_url("grants:attachment_upload", draft_a.pk)).status_code == 405
    assert client.post(_url("grants:call_list")).status_code == 405
    assert client.post(_url("grants:application_mine")).status_code == 405
    assert client.delete(_url("grants:application_edit", draft_a.pk)).status_code == 405


def test_claim_an_organisation_by_its_fiscal_code(client, grants, cast):
    client.force_login(cast.outsider)
    url = _url("grants:claims")
    response = client.post(url, {"tax_code": "00000000000", "legal_representative": "Rossi"})
    assert response.status_code == 200
    assert "Codice fiscale" in response.text or "codice fiscale" in response.text
    assert not RepresentationClaim.objects.filter(user=cast.outsider).exists()
    response = client.post(
        url, {"tax_code": grants.org_a.tax_code, "legal_representative": "Maria Rossi"}
    )
    assert response.status_code == 302
    claim = RepresentationClaim.objects.get(user=cast.outsider)
    assert claim.organisation == grants.org_a and claim.status == "pending"
    assert claim.history.first().history_user == cast.outsider


def _form_data(application, grants, **changes):
    data = {
        "title": application.title,
        "summary": "Sintesi",
        "objectives": "Obiettivi",
        "target_groups": "Giovani",
        "activities": "Laboratori",
        "line": grants.line.pk,
        "territory": "",
        "requested_amount": "8000,00",
        "cofinancing_amount": "2000,00",
        "declares_truthful": "on",
        "declares_no_double_funding": "on",
        "declares_privacy": "on",
        "budget-TOTAL_FORMS": "2",
        "budget-INITIAL_FORMS": "0",
        "budget-0-category": grants.staff_costs.pk,
        "budget-0-amount": "9000",
        "budget-1-category": grants.travel.pk,
        "budget-1-amount": "1000",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "Comitato di quartiere (prova)",
        "partners-0-role": "Animazione",
        "partners-0-share": "1000",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-0-code": "EECO01",
        "targets-0-target": "40",
        "step": "save",
    }
    data.update(changes)
    return data


def test_the_form_saves_rows_and_names_the_wrong_field(client, draft_a, grants):
    client.force_login(grants.applicant_a)
    url = _url("grants:application_edit", draft_a.pk)
    response = client.post(url, _form_data(draft_a, grants, **{"budget-1-amount": "mille"}))
    assert response.status_code == 200
    assert 'id="form-errors"' in response.text
    assert 'id="id_budget-1-amount_error"' in response.text
    assert not draft_a.budget_items.exists()
    response = client.post(url, _form_data(draft_a, grants))
    assert response.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.requested_amount == Decimal("8000.00")
    assert sorted(i.amount for i in draft_a.budget_items.all()) == [1000, 9000]
    assert draft_a.partners.get().name == "Comitato di quartiere (prova)"
    assert draft_a.indicator_targets.get().code == "EECO01"
    page = client.get(url)
    assert "Statuto dell" in page.text  # the missing attachment is named
    assert 'href="#section-attachments"' in page.text


def test_autosave_answers_json(client, draft_a, grants):
    client.force_login(grants.applicant_a)
    url = _url("grants:application_edit", draft_a.pk)
    response = client.post(
        url, _form_data(draft_a, grants, summary="Salvata da sola"), HTTP_X_AUTOSAVE="1"
    )
    assert response.json() == {"saved": True}
    draft_a.refresh_from_db()
    assert draft_a.summary == "Salvata da sola"
    response = client.post(
        url, _form_data(draft_a, grants, requested_amount="tanti"), HTTP_X_AUTOSAVE="1"
    )
    assert response.status_code == 400
    assert "requested_amount" in response.json()["errors"]


def test_submit_receipt_and_read_only(client, ready_a, grants):
    client.force_login(grants.applicant_a)
    response = client.post(_url("grants:application_submit", ready_a.pk))
    receipt = Receipt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("grants:receipt", ready_a.pk)
    again = client.post(_url("grants:application_submit", ready_a.pk))  # the same form again
    assert again["Location"] == _url("grants:receipt", ready_a.pk)
    assert Receipt.objects.count() == 1
    page = client.get(_url("grants:receipt", ready_a.pk))
    assert receipt.protocol_number in page.text and receipt.content_sha256 in page.text
    download = client.get(_url("grants:receipt_download", ready_a.pk))
    assert download["Content-Disposition"].startswith("attachment;")
    assert receipt.content_sha256 in download.content.decode()
    edit = client.get(_url("grants:application_edit", ready_a.pk))
    assert edit["Location"] == _url("grants:application_detail", ready_a.pk)
    # The officer of the intermediate body now sees it; the other applicant still does not.
    client.force_login(grants.officer)
    assert client.get(_url("grants:application_detail", ready_a.pk)).status_code == 200
    client.force_login(grants.applicant_b)
    assert client.get(_url("grants:receipt", ready_a.pk)).status_code == 404
    assert client.get(_url("grants:receipt_download", ready_a.pk)).status_code == 404


def test_late_submission_refused_with_a_clear_message(client, ready_a, grants):
    client.force_login(grants.applicant_a)
    late = grants.call.deadline + datetime.timedelta(seconds=1)
    with mock.patch.object(clock, "now", return_value=late):
        response = client.post(_url("grants:application_submit", ready_a.pk), follow=True)
    assert "scaduto" in response.text
    assert not Receipt.objects.exists()


def test_withdraw(client, ready_a, grants):
    actions.submit_application(grants.applicant_a, ready_a)
    client.force_login(grants.applicant_b)
    assert client.post(_url("grants:application_withdraw", ready_a.pk)).status_code == 404
    client.force_login(grants.applicant_a)
    response = client.post(_url("grants:application_withdraw", ready_a.pk))
    assert response.status_code == 302
    ready_a.refresh_from_db()
    assert ready_a.status == Application.Status.WITHDRAWN


def test_attachments_checked_and_private(client, draft_a, grants, pdf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(grants.applicant_a)
    url = _url("grants:attachment_upload", draft_a.pk)
    fake = SimpleUploadedFile("statuto.pdf", b"GIF89a", content_type="application/pdf")
    response = client.post(url, {"file": fake, "required": grants.statute.pk}, follow=True)
    assert "non è un" in response.text
    assert not draft_a.attachments.exists()
    client.post(url, {"file": pdf(), "required": grants.statute.pk})
    attachment = draft_a.attachments.get()
    assert client.get(_url("grants:attachment_download", attachment.pk)).status_code == 200
    client.force_login(grants.applicant_b)
    assert client.get(_url("grants:attachment_download", attachment.pk)).status_code == 404
    assert client.post(_url("grants:attachment_remove", attachment.pk)).status_code == 404
    assert draft_a.attachments.exists()


def test_create_application_from_the_call(client, grants):
    client.force_login(grants.applicant_b)
    response = client.post(
        _url("grants:application_create", grants.call.code),
        {"organisation": grants.org_b.pk, "title": "Orti sociali"},
    )
    application = Application.objects.get()
    assert response["Location"] == _url("grants:application_edit", application.pk)
    assert application.organisation == grants.org_b
    # Not for an organisation the user does not represent.
    response = client.post(
        _url("grants:application_create", grants.call.code),
        {"organisation": grants.org_a.pk, "title": "Altro"},
    )
    assert response.status_code == 200
    assert Application.objects.count() == 1


def test_the_account_page_links_to_claims_and_applications(client, draft_a, grants):
    client.force_login(grants.applicant_a)
    page = client.get(_url("accounts:account"))
    assert page.status_code == 200
    assert 'id="account-grant-applications"' in page.text
    assert _url("grants:application_mine") in page.text
    assert "1 domanda delle organizzazioni che rappresenti" in page.text
