"""The identity pages: who sees what, wrong methods, and SPID switched off."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from reti.identity.models import LinkedIdentity
from reti.registry.tests import factories as f

FISCAL = "TINIT-RSSMRA80A01H501U"


@pytest.fixture
def linked(cast):
    return LinkedIdentity.objects.create(
        user=cast.toscana_officer, kind="spid", fiscal_number=FISCAL, idp="https://idp"
    )


@pytest.mark.parametrize(
    "name,args",
    [
        ("identity:choose", ["spid"]),
        ("identity:start", ["spid"]),
        ("identity_saml:metadata", []),
    ],
)
def test_everything_is_404_while_spid_is_off(client, db, settings, name, args):
    settings.RETI_SAML = None
    assert client.get(reverse(name, args=args)).status_code == 404


def test_login_page_has_no_buttons_while_spid_is_off(client, db, settings):
    settings.RETI_SAML = None
    body = client.get(reverse("accounts:login")).content.decode()
    assert "Entra con SPID" not in body


def test_login_page_offers_spid_and_cie(client, saml_setup):
    body = client.get(reverse("accounts:login"), {"next": "/it/area-personale/"}).content.decode()
    assert 'id="spid-button"' in body
    assert "alfa (prova)" in body and "beta (prova)" in body
    assert 'id="cie-button"' in body
    assert "Entra con CIE" in body
    assert "<script>" not in body and "style=" not in body


def test_choose_lists_the_providers_without_javascript(client, saml_setup):
    response = client.get(reverse("identity:choose", args=["spid"]), {"level": "2"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "alfa (prova)" in body and "beta (prova)" in body
    assert "cie (prova)" not in body
    assert "livello 2" in body


def test_unknown_scheme_is_404(client, saml_setup):
    assert client.get(reverse("identity:choose", args=["eidas"])).status_code == 404


@pytest.mark.parametrize("name", ["identity:choose", "identity:start"])
def test_sign_in_pages_refuse_post(client, saml_setup, name):
    assert client.post(reverse(name, args=["spid"])).status_code == 405


def test_metadata_is_public_signed_xml(client, saml_setup):
    response = client.get(reverse("identity_saml:metadata"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/samlmetadata+xml"
    body = response.content.decode()
    assert "<ds:SignatureValue>" in body
    assert "<spid:IPACode>r_prova</spid:IPACode>" in body
    assert 'Name="fiscalNumber"' in body and 'Name="companyName"' in body
    assert client.post(reverse("identity_saml:metadata")).status_code == 405


def test_acs_refuses_get(client, saml_setup):
    assert client.get(reverse("identity_saml:acs")).status_code == 405


def test_garbage_response_is_refused(client, saml_setup):
    response = client.post(reverse("identity_saml:acs"), {"SAMLResponse": "%%%"})
    assert response.status_code == 403
    assert "Codice dell’errore: invalid" in response.content.decode()


def test_account_page_lists_linked_identities(client, saml_setup, cast, linked):
    client.force_login(cast.toscana_officer)
    body = client.get(reverse("accounts:account")).content.decode()
    assert 'id="linked-identities"' in body
    assert FISCAL in body
    assert reverse("identity:remove", args=[linked.pk]) in body


def test_account_page_of_another_user_shows_not_their_identity(client, saml_setup, cast, linked):
    client.force_login(cast.lazio_officer)
    body = client.get(reverse("accounts:account")).content.decode()
    assert FISCAL not in body
    assert "Collega SPID" in body


def test_remove_own_identity(client, saml_setup, cast, linked):
    client.force_login(cast.toscana_officer)
    response = client.post(reverse("identity:remove", args=[linked.pk]))
    assert response.status_code == 302
    assert not LinkedIdentity.objects.filter(pk=linked.pk).exists()
    reason = LinkedIdentity.history.filter(id=linked.pk).first().history_change_reason
    assert reason == "Identità digitale scollegata"


def test_remove_someone_elses_identity_is_404(client, saml_setup, cast, linked):
    client.force_login(cast.lazio_officer)
    assert client.post(reverse("identity:remove", args=[linked.pk])).status_code == 404
    assert LinkedIdentity.objects.filter(pk=linked.pk).exists()


def test_remove_anonymous_goes_to_sign_in(client, saml_setup, linked):
    response = client.post(reverse("identity:remove", args=[linked.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert LinkedIdentity.objects.filter(pk=linked.pk).exists()


def test_remove_refuses_get(client, saml_setup, cast, linked):
    client.force_login(cast.toscana_officer)
    assert client.get(reverse("identity:remove", args=[linked.pk])).status_code == 405


def test_the_only_way_into_a_passwordless_account_stays(client, saml_setup):
    user = f.UserFactory(username="spid-only")
    user.set_unusable_password()
    user.save()
    link = LinkedIdentity.objects.create(user=user, kind="spid", fiscal_number=FISCAL, idp="x")
    client.force_login(user)
    response = client.post(reverse("identity:remove", args=[link.pk]), follow=True)
    assert LinkedIdentity.objects.filter(pk=link.pk).exists()
    assert "solo modo di accedere" in response.content.decode()


def test_single_logout_signs_out_here_then_at_the_provider(client, saml_setup):
    from .test_sign_in import post, start

    request = start(client, saml_setup)
    post(client, saml_setup.spid.answer(request, saml_setup.sp))
    assert "_auth_user_id" in client.session
    response = client.post(reverse("identity:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    location = response["Location"]
    assert location.startswith(saml_setup.spid.slo + "?")
    query = parse_qs(urlsplit(location).query)
    assert {"SAMLRequest", "SigAlg", "Signature", "RelayState"} <= set(query)
    assert query["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]


def test_logout_refuses_get(client, saml_setup, cast):
    client.force_login(cast.toscana_officer)
    assert client.get(reverse("identity:logout")).status_code == 405


def test_level_required_sends_password_sessions_to_spid_level_2(rf, saml_setup, cast):
    from django.http import HttpResponse

    from reti.identity.views import SAML_SESSION, level_required

    @level_required(2)
    def payment(request):
        return HttpResponse("ok")

    request = rf.get("/it/pagamenti/")
    request.user = cast.toscana_officer
    request.session = {}
    response = payment(request)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("identity:choose", args=["spid"]))
    assert "level=2" in response["Location"]
    request.session = {SAML_SESSION: {"level": 2}}
    assert payment(request).content == b"ok"
    request.session = {SAML_SESSION: {"level": 1}}
    assert payment(request).status_code == 302


def test_cie_metadata_is_public_signed_xml_in_the_cie_profile(client, saml_setup):
    response = client.get(reverse("identity_saml:cie_metadata"))
    assert response.status_code == 200
    body = response.content.decode()
    assert ">H501</cie:Municipality>" in body
    assert 'contactType="administrative"' in body
    assert 'Name="dateOfBirth"' in body and 'Name="email"' not in body
    assert client.post(reverse("identity_saml:cie_metadata")).status_code == 405


def test_cie_metadata_is_404_without_cie(client, saml_setup, settings):
    for path in (settings.RETI_SAML["IDP_METADATA_DIR"] / "cie").glob("*.xml"):
        path.unlink()
    assert client.get(reverse("identity_saml:cie_metadata")).status_code == 404
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'id="spid-button"' in body and 'id="cie-button"' not in body
