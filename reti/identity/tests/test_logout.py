"""Single logout with the test identity provider: ours first, or the provider's."""

from urllib.parse import urlsplit

from django.urls import reverse

from .test_sign_in import post, start


def _path(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def sign_in(client, saml_setup):
    request = start(client, saml_setup)
    assert post(client, saml_setup.spid.answer(request, saml_setup.sp)).status_code == 302
    return client.session["reti_saml"]


def test_our_logout_and_the_providers_answer(client, saml_setup):
    sign_in(client, saml_setup)
    location = client.post(reverse("identity:logout"))["Location"]
    message, relay_state = saml_setup.spid.read_logout(location)
    assert message.issuer.text == saml_setup.sp["entity_id"]
    answer = saml_setup.spid.logout_answer(message, relay_state, saml_setup.sp["slo"])
    response = client.get(_path(answer))
    assert "anche dal gestore della tua identità digitale" in response.content.decode()


def test_an_answer_nobody_asked_for_is_not_believed(client, saml_setup):
    sign_in(client, saml_setup)
    location = client.post(reverse("identity:logout"))["Location"]
    message, relay_state = saml_setup.spid.read_logout(location)
    answer = saml_setup.spid.logout_answer(message, relay_state, saml_setup.sp["slo"])
    client.session.pop("reti_saml_logout", None)
    other = type(client)()
    response = other.get(_path(answer))
    assert "non ha confermato" in response.content.decode()


def test_the_providers_logout_ends_our_session_and_is_answered(client, saml_setup):
    data = sign_in(client, saml_setup)
    location = saml_setup.spid.logout_request(data["name_id"], saml_setup.sp)
    response = client.get(_path(location))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert response["Location"].startswith(saml_setup.spid.slo + "?SAMLResponse=")
    assert "Signature=" in response["Location"]


def test_an_unsigned_logout_request_is_refused(client, saml_setup):
    data = sign_in(client, saml_setup)
    location = saml_setup.spid.logout_request(data["name_id"], saml_setup.sp, sign=False)
    response = client.get(_path(location))
    assert response.status_code == 400
    assert "_auth_user_id" in client.session


def test_another_providers_logout_request_leaves_the_session(client, saml_setup):
    sign_in(client, saml_setup)
    location = saml_setup.other_spid.logout_request("_someone", saml_setup.sp)
    response = client.get(_path(location))
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_slo_without_a_message_is_404(client, saml_setup):
    assert client.get(reverse("identity_saml:slo")).status_code == 404
    assert client.post(reverse("identity_saml:slo")).status_code == 405


def test_an_answer_with_a_broken_signature_is_not_believed(client, saml_setup):
    sign_in(client, saml_setup)
    location = client.post(reverse("identity:logout"))["Location"]
    message, relay_state = saml_setup.spid.read_logout(location)
    answer = saml_setup.spid.logout_answer(message, relay_state, saml_setup.sp["slo"])
    broken = answer.replace("Signature=", "Signature=AAAA", 1)
    response = client.get(_path(broken))
    assert "non ha confermato" in response.content.decode()
