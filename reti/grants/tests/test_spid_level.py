"""Applications and payments want SPID (or CIE) level 2 once SPID is configured (issue 21):
a password session or a SPID level 1 session is sent to sign in again at level 2, on a page
that says why, and nothing is written; level 2 passes. With SPID off, local accounts keep
working (docs/identity.md)."""

import pytest
from django.urls import reverse
from django.utils import translation

from reti.grants.models import Application, Payment
from reti.identity.tests.conftest import saml_setup  # noqa: F401
from reti.identity.views import SAML_SESSION

pytestmark = pytest.mark.django_db


def _url(name, *args):
    with translation.override("it"):
        return reverse(name, args=args)


def _sign_in(client, user, level=None):
    client.force_login(user)
    if level is not None:
        session = client.session
        session[SAML_SESSION] = {"level": level}
        session.save()


def _sent_to_level_2(response, back: str) -> str:
    """The redirect's target, checked: the SPID providers' list at level 2, back to `back`."""
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(_url("identity:choose", "spid"))
    assert "level=2" in location
    assert f"next={back.replace('/', '%2F')}" in location
    return location


@pytest.mark.usefixtures("saml_setup")
@pytest.mark.parametrize(("level", "said"), [(None, "nome utente e password"), (1, "livello 1")])
def test_a_session_below_level_2_cannot_edit_or_submit(
    client,
    grants,
    ready_a,
    level,
    said,
):
    _sign_in(client, grants.applicant_a, level)
    edit = _url("grants:application_edit", ready_a.pk)
    location = _sent_to_level_2(client.get(edit), edit)
    page = client.get(location)
    assert page.status_code == 200
    assert 'id="level-too-low"' in page.text and said in page.text
    assert "chiedono SPID o CIE di livello 2" in page.text

    # A POST is not replayed: back to the page the form was on, and nothing is submitted.
    response = client.post(
        _url("grants:application_submit", ready_a.pk), HTTP_REFERER=f"http://testserver{edit}"
    )
    _sent_to_level_2(response, f"http://testserver{edit}".replace(":", "%3A"))
    ready_a.refresh_from_db()
    assert ready_a.status == Application.Status.DRAFT
    for name in ("application_create",):
        assert client.get(_url(f"grants:{name}", grants.call.code)).status_code == 302
    for name in ("application_withdraw", "attachment_upload"):
        assert client.post(_url(f"grants:{name}", ready_a.pk)).status_code == 302


@pytest.mark.usefixtures("saml_setup")
def test_level_2_submits(client, grants, ready_a):
    _sign_in(client, grants.applicant_a, 2)
    assert client.get(_url("grants:application_edit", ready_a.pk)).status_code == 200
    response = client.post(_url("grants:application_submit", ready_a.pk))
    assert response["Location"] == _url("grants:receipt", ready_a.pk)
    ready_a.refresh_from_db()
    assert ready_a.status == Application.Status.SUBMITTED


@pytest.mark.usefixtures("saml_setup")
def test_payments_want_level_2(client, management):
    from reti.grants import actions

    from .conftest import active

    m = management
    grant = active(m)
    payment = actions.prepare_payment(m.grants.officer, grant, "advance", guarantee="Polizza")
    approve = _url("grants:payment_approve", payment.pk)
    for level in (None, 1):
        _sign_in(client, m.manager, level)
        response = client.post(approve)
        assert response.status_code == 302
        assert response["Location"].startswith(_url("identity:choose", "spid"))
        payment.refresh_from_db()
        assert payment.status == Payment.Status.PREPARED
    for name, args in (
        ("payment_prepare", (grant.pk,)),
        ("payment_pay", (payment.pk,)),
        ("payment_reverse", (payment.pk,)),
    ):
        _sign_in(client, m.grants.officer, 1)
        assert client.post(_url(f"grants:{name}", *args))["Location"].startswith(
            _url("identity:choose", "spid")
        )
    _sign_in(client, m.manager, 2)
    client.post(approve)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.APPROVED


def test_with_spid_off_local_accounts_keep_working(client, grants, ready_a, settings):
    assert not settings.RETI_SAML
    _sign_in(client, grants.applicant_a)
    response = client.post(_url("grants:application_submit", ready_a.pk))
    assert response["Location"] == _url("grants:receipt", ready_a.pk)
