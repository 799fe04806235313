"""Signing in through the local test identity providers, and every refusal the rules ask for."""

import base64
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reti.identity.models import LinkedIdentity
from reti.lib import cache
from reti.registry.tests import factories as f

from .testidp import tamper

FISCAL = "TINIT-RSSMRA80A01H501U"


def start(client, saml_setup, kind="spid", idp=None, **params):
    idp = idp or saml_setup.idp(kind)
    response = client.get(reverse("identity:start", args=[kind]), {"idp": idp.entity_id, **params})
    assert response.status_code == 302
    return idp.read(response["Location"])


def post(client, answer, relay_state=""):
    return client.post(
        reverse("identity_saml:acs"), {"SAMLResponse": answer, "RelayState": relay_state}
    )


def refused(response, code: str, text: str):
    """A refusal page naming `code`, saying `text`, and nobody signed in."""
    assert response.status_code == 403
    body = response.content.decode()
    assert f"Codice dell’errore: {code}" in body
    assert text in body
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.parametrize("kind", ["spid", "cie"])
def test_first_sign_in_creates_an_account_and_records_the_session(client, saml_setup, kind):
    request = start(client, saml_setup, kind, next="/it/area-personale/")
    assert request.level_ref == "https://www.spid.gov.it/SpidL2"
    assert request.force_authn == "true"
    answer = saml_setup.idp(kind).answer(request, saml_setup.sp)
    response = post(client, answer, request.relay_state)
    assert response.status_code == 302
    assert response["Location"] == "/it/area-personale/"
    user = get_user_model().objects.get(linked_identities__fiscal_number=FISCAL)
    assert (user.username, user.first_name, user.last_name) == (FISCAL.lower(), "Mario", "Rossi")
    assert not user.has_usable_password()
    session = client.session
    assert session["_auth_user_id"] == str(user.pk)
    assert session["reti_auth_method"] == kind
    assert session["reti_second_factor"] == "spid-L2"
    link = LinkedIdentity.objects.get(user=user)
    assert (link.kind, link.idp) == (kind, saml_setup.idp(kind).entity_id)
    assert link.history.first().history_change_reason == "Identità digitale collegata"


def test_level_1_sign_in_is_no_second_factor(client, saml_setup, second_factor_enforced):
    request = start(client, saml_setup, level=1)
    assert request.level_ref == "https://www.spid.gov.it/SpidL1"
    assert request.force_authn is None
    response = post(client, saml_setup.spid.answer(request, saml_setup.sp))
    assert response.status_code == 302
    assert client.session["reti_auth_method"] == "spid"
    assert "reti_second_factor" not in client.session


def test_the_same_fiscal_code_signs_in_to_the_same_account_through_cie(client, saml_setup):
    post(client, saml_setup.spid.answer(start(client, saml_setup), saml_setup.sp))
    client.logout()
    post(client, saml_setup.cie.answer(start(client, saml_setup, "cie"), saml_setup.sp))
    users = get_user_model().objects.filter(linked_identities__fiscal_number=FISCAL).distinct()
    assert users.count() == 1
    assert set(users[0].linked_identities.values_list("kind", flat=True)) == {"spid", "cie"}


def test_a_signed_in_user_links_their_identity_to_their_account(client, saml_setup):
    user = f.UserFactory(username="giulia")
    client.force_login(user)
    response = post(client, saml_setup.spid.answer(start(client, saml_setup), saml_setup.sp))
    assert response.status_code == 302
    assert LinkedIdentity.objects.get(fiscal_number=FISCAL).user == user
    client.logout()
    post(client, saml_setup.spid.answer(start(client, saml_setup), saml_setup.sp))
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_identity_linked_to_another_account_is_refused(client, saml_setup):
    owner = f.UserFactory(username="owner")
    LinkedIdentity.objects.create(user=owner, kind="spid", fiscal_number=FISCAL, idp="x")
    other = f.UserFactory(username="other")
    client.force_login(other)
    response = post(client, saml_setup.spid.answer(start(client, saml_setup), saml_setup.sp))
    assert response.status_code == 403
    assert "già collegata a un altro account" in response.content.decode()
    assert LinkedIdentity.objects.get(fiscal_number=FISCAL).user == owner


def test_success_then_tampered_response_is_refused(client, saml_setup):
    request = start(client, saml_setup)
    answer = tamper(saml_setup.spid.answer(request, saml_setup.sp), "Mario", "Maria")
    refused(post(client, answer), "signature", "La firma della risposta")
    assert not get_user_model().objects.filter(username=FISCAL.lower()).exists()


def test_a_response_signed_by_another_provider_is_refused(client, saml_setup):
    request = start(client, saml_setup)
    answer = saml_setup.other_spid.answer(request, saml_setup.sp)
    response = post(client, answer)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_expired_response_is_refused(client, saml_setup):
    request = start(client, saml_setup)
    window = (timedelta(minutes=-20), timedelta(minutes=-10))
    answer = saml_setup.spid.answer(request, saml_setup.sp, window=window)
    refused(post(client, answer), "expired", "La risposta è scaduta")


def test_a_response_from_the_future_is_refused(client, saml_setup):
    request = start(client, saml_setup)
    window = (timedelta(minutes=10), timedelta(minutes=20))
    answer = saml_setup.spid.answer(request, saml_setup.sp, window=window)
    refused(post(client, answer), "not_yet_valid", "non è ancora valida")


def test_small_clock_skew_is_tolerated(client, saml_setup):
    request = start(client, saml_setup)
    window = (timedelta(seconds=30), timedelta(minutes=5))
    answer = saml_setup.spid.answer(request, saml_setup.sp, window=window)
    assert post(client, answer).status_code == 302


def test_replayed_response_is_refused(client, saml_setup):
    request = start(client, saml_setup)
    answer = saml_setup.spid.answer(request, saml_setup.sp)
    assert post(client, answer).status_code == 302
    client.logout()
    refused(post(client, answer), "in_response_to", "non corrisponde a una richiesta")


def test_replayed_assertion_is_refused_even_for_a_new_request(client, saml_setup, settings):
    # The same assertion ID presented again, here under a second pending request of the same
    # browser: the cache remembers the ID until the assertion expires.
    first = start(client, saml_setup)
    second = start(client, saml_setup)
    answer = saml_setup.spid.answer(first, saml_setup.sp)
    assert post(client, answer).status_code == 302
    # The first assertion's ID, in an answer to the second request (still pending).
    assertion_id = re.search(r'Assertion[^>]* ID="([^"]+)"', base64.b64decode(answer).decode())[1]
    again = saml_setup.spid.answer(second, saml_setup.sp, assertion_id=assertion_id)
    response = post(client, again)
    assert response.status_code == 403
    assert "Codice dell’errore: replay" in response.content.decode()
    assert "già stata usata" in response.content.decode()


def test_wrong_audience_is_refused(client, saml_setup):
    request = start(client, saml_setup)
    answer = saml_setup.spid.answer(request, saml_setup.sp, audience="https://altro.example.org/")
    refused(post(client, answer), "audience", "destinata a un altro servizio")


def test_wrong_destination_is_refused(client, saml_setup):
    request = start(client, saml_setup)
    answer = saml_setup.spid.answer(request, saml_setup.sp, destination="https://reti.test/altro/")
    refused(post(client, answer), "destination", "indirizzata a un altro indirizzo")


def test_wrong_recipient_is_refused(client, saml_setup):
    request = start(client, saml_setup)
    answer = saml_setup.spid.answer(request, saml_setup.sp, recipient="https://reti.test/altro/")
    refused(post(client, answer), "recipient", "conferma del soggetto")


def test_lower_level_than_requested_is_refused(client, saml_setup):
    request = start(client, saml_setup, level=2)
    answer = saml_setup.spid.answer(
        request, saml_setup.sp, level_ref="https://www.spid.gov.it/SpidL1"
    )
    refused(post(client, answer), "level", "livello di sicurezza più basso")


def test_higher_level_than_requested_is_accepted(client, saml_setup):
    request = start(client, saml_setup, level=2)
    answer = saml_setup.spid.answer(
        request, saml_setup.sp, level_ref="https://www.spid.gov.it/SpidL3"
    )
    assert post(client, answer).status_code == 302
    assert client.session["reti_second_factor"] == "spid-L2"


def test_unsolicited_response_is_refused(client, saml_setup):
    request = start(client, saml_setup)
    answer = saml_setup.spid.answer(request, saml_setup.sp, in_response_to="_never-asked")
    refused(post(client, answer), "in_response_to", "non corrisponde a una richiesta")


def test_a_response_to_another_browser_is_refused(client, saml_setup):
    from django.test import Client

    request = start(client, saml_setup)
    answer = saml_setup.spid.answer(request, saml_setup.sp)
    refused(post(Client(), answer), "in_response_to", "non corrisponde a una richiesta")


@pytest.mark.parametrize(
    "code,text",
    [
        ("nr19", "credenziali errate"),
        ("nr20", "livello richiesto"),
        ("nr21", "tempo per l’autenticazione"),
        ("nr22", "consenso"),
        ("nr23", "sospesa o revocata"),
        ("nr25", "annullato"),
    ],
)
def test_identity_provider_refusals_keep_their_spid_code(client, saml_setup, code, text):
    request = start(client, saml_setup)
    answer = saml_setup.spid.answer(request, saml_setup.sp, status=f"ErrorCode {code}")
    refused(post(client, answer), code, text)


def test_refusal_page_in_english(client, saml_setup):
    client.cookies["django_language"] = "en"
    request = start(client, saml_setup)
    window = (timedelta(minutes=-20), timedelta(minutes=-10))
    response = post(client, saml_setup.spid.answer(request, saml_setup.sp, window=window))
    assert response.status_code == 403
    assert "The response has expired" in response.content.decode()


def test_missing_fiscal_number_is_refused(client, saml_setup):
    request = start(client, saml_setup)
    answer = saml_setup.spid.answer(request, saml_setup.sp, fiscal_number="")
    refused(post(client, answer), "attributes", "codice fiscale")


def test_company_attributes_are_read_when_present(client, saml_setup):
    from reti.identity import saml

    request = start(client, saml_setup)
    answer = saml_setup.spid.answer(
        request,
        saml_setup.sp,
        attributes={"companyName": "Cooperativa Prova", "ivaCode": "VATIT-01234567890"},
    )
    pending = {request.id: cache.held(("saml-request", request.id))}
    _request_id, identity = saml.read_response(answer, pending)
    assert (identity.company_name, identity.iva_code) == ("Cooperativa Prova", "VATIT-01234567890")
    assert identity.level == 2


def test_unknown_identity_provider_is_refused(client, saml_setup):
    response = client.get(
        reverse("identity:start", args=["spid"]), {"idp": "https://nobody.example.org"}
    )
    assert response.status_code == 400
    assert "unknown_idp" in response.content.decode()


def test_the_answer_needs_no_session_cookie(client, saml_setup, settings):
    # The provider's POST is cross-site: the browser sends the SameSite=None cookie on /saml/
    # only, not the session's (Lax). A signed-in user's link still goes to them.
    user = f.UserFactory(username="giulia")
    client.force_login(user)
    response = client.get(
        reverse("identity:start", args=["spid"]), {"idp": saml_setup.spid.entity_id}
    )
    cookie = response.cookies["reti_saml"]
    assert (cookie["samesite"], cookie["secure"], cookie["path"]) == ("None", True, "/saml/")
    assert cookie["httponly"]
    request = saml_setup.spid.read(response["Location"])
    del client.cookies[settings.SESSION_COOKIE_NAME]
    response = post(client, saml_setup.spid.answer(request, saml_setup.sp))
    assert response.status_code == 302
    assert LinkedIdentity.objects.get(fiscal_number=FISCAL).user == user
    assert client.session["_auth_user_id"] == str(user.pk)


def test_another_browsers_cookie_does_not_answer(client, saml_setup):
    from django.test import Client

    request = start(client, saml_setup)
    intruder = Client()
    intruder.get(reverse("identity:start", args=["spid"]), {"idp": saml_setup.spid.entity_id})
    answer = saml_setup.spid.answer(request, saml_setup.sp)
    refused(post(intruder, answer), "in_response_to", "non corrisponde a una richiesta")
