"""Self-registration: an inactive account until the mailed link and the password confirm it."""

import re
import time
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from reti.accounts.actions import sign_up_token
from reti.accounts.models import SignUp

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "cavallo-batteria-graffetta"
LINK = re.compile(r"https?://\S+/registrati/conferma/(\S+)/")


def form(**changes):
    data = {
        "email": "Nuova.Persona@example.org",
        "first_name": "Nuova",
        "last_name": "Persona",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "privacy": "on",
        "website": "",
    }
    data.update(changes)
    return data


def sign_up(client, language="it", **changes):
    with translation.override(language):
        url = reverse("accounts:sign_up")
    return client.post(url, form(**changes))


def mailed_link(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0)


def test_signing_up_mails_a_link_that_with_the_password_activates_the_account(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302 and response.url == reverse("accounts:sign_up_done")
    user = User.objects.get(email="nuova.persona@example.org")
    assert not user.is_active and user.username == "nuova.persona@example.org"
    assert user.sign_up.privacy_accepted_at is not None and user.sign_up.language == "it"
    # An inactive account cannot sign in, even with the right password.
    client.post(reverse("accounts:login"), {"username": user.username, "password": NEW_PASSWORD})
    assert SESSION_KEY not in client.session

    [message] = mail.outbox
    assert message.to == ["nuova.persona@example.org"]
    assert message.subject == "Reti: attiva il tuo account"
    link = mailed_link(message)
    path = link.split("127.0.0.1:8000", 1)[-1]
    page = client.get(path)
    assert page.status_code == 200 and 'id="sign-up-confirm-form"' in page.content.decode()

    wrong = client.post(path, {"password": "non-questa"})
    assert wrong.status_code == 200
    assert "non è quella scelta" in wrong.content.decode()
    assert not User.objects.get(pk=user.pk).is_active

    response = client.post(path, {"password": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("accounts:account")
    user.refresh_from_db()
    assert user.is_active and user.sign_up.confirmed_at is not None
    assert client.session[SESSION_KEY] == str(user.pk)
    # The link has done its work: it opens nothing any more.
    client.logout()
    assert client.get(path).status_code == 400


def test_the_link_is_mailed_in_the_language_of_the_sign_up(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, language="en")
    [message] = mail.outbox
    assert message.subject == "Reti: activate your account"
    assert "/en/area-personale/registrati/conferma/" in mailed_link(message)
    assert SignUp.objects.get().language == "en"


def test_an_expired_link_is_refused_and_says_so(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    # A link made 49 hours ago (they last 48).
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 49 * 3600):
        token = sign_up_token(User.objects.get())
    path = reverse("accounts:sign_up_confirm", args=[token])
    page = client.get(path)
    assert page.status_code == 400 and "scaduto" in page.content.decode()
    assert client.post(path, {"password": NEW_PASSWORD}).status_code == 400
    assert not User.objects.get().is_active


@pytest.mark.parametrize("tamper", [lambda t: t[:-2] + "xx", lambda t: "a" + t, lambda t: "x"])
def test_a_tampered_link_is_refused(client, django_capture_on_commit_callbacks, tamper):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    path = reverse("accounts:sign_up_confirm", args=[tamper(sign_up_token(User.objects.get()))])
    assert client.post(path, {"password": NEW_PASSWORD}).status_code == 400
    assert not User.objects.get().is_active


def test_a_link_for_another_account_cannot_be_forged_from_a_valid_one(client, cast):
    # The token is signed: changing the account id inside it breaks the signature.
    token = sign_up_token(cast.outsider)
    assert client.get(reverse("accounts:sign_up_confirm", args=[token])).status_code == 400


def test_an_existing_address_gets_the_same_page_and_its_owner_an_e_mail(
    client, cast, django_capture_on_commit_callbacks
):
    before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        fresh = sign_up(client, email="someone-new@example.org")
        taken = sign_up(client, email=cast.viewer.email.upper(), first_name="Altro")
    assert fresh.status_code == taken.status_code == 302
    assert fresh.url == taken.url == reverse("accounts:sign_up_done")
    assert User.objects.count() == before + 1
    cast.viewer.refresh_from_db()
    assert cast.viewer.first_name != "Altro" and cast.viewer.check_password(PASSWORD)
    assert [m.to for m in mail.outbox] == [["someone-new@example.org"], [cast.viewer.email]]
    assert mail.outbox[1].subject == "Reti: hai già un account"
    assert not LINK.search(mail.outbox[1].body)


def test_signing_up_again_before_confirming_replaces_the_password_and_older_links(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, password1="un-altra-password-lunga", password2="un-altra-password-lunga")
    assert User.objects.count() == 1
    first, second = (mailed_link(m).split("8000", 1)[1] for m in mail.outbox)
    assert client.post(first, {"password": NEW_PASSWORD}).status_code == 400
    assert client.post(second, {"password": "un-altra-password-lunga"}).status_code == 302
    assert User.objects.get().is_active


def test_resending_mails_a_new_link_only_to_an_account_waiting(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    mail.outbox.clear()
    url = reverse("accounts:sign_up_resend")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(url, {"email": email})
            for email in ("nuova.persona@example.org", cast.viewer.email, "nessuno@example.org")
        ]
    assert {(r.status_code, r.url) for r in answers} == {(302, reverse("accounts:sign_up_done"))}
    [message] = mail.outbox
    assert message.to == ["nuova.persona@example.org"] and LINK.search(message.body)


def test_bad_input_names_the_field_and_saves_nothing(client):
    response = sign_up(client, password1="12345678", password2="12345678", privacy="")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_password1_error"' in body and 'id="id_privacy_error"' in body
    response = sign_up(client, password2="diversa-ma-lunga-abbastanza")
    assert 'id="id_password2_error"' in response.content.decode()
    response = sign_up(client, email="non-un-indirizzo")
    assert 'id="id_email_error"' in response.content.decode()
    assert not User.objects.exists() and not mail.outbox


def test_a_bot_filling_the_hidden_field_is_told_nothing_and_gets_no_account(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, website="http://spam.example")
    assert response.status_code == 302 and response.url == reverse("accounts:sign_up_done")
    assert not User.objects.exists() and not mail.outbox


def test_sign_ups_from_one_address_are_limited(client, settings):
    settings.RETI_SIGNUP_LIMIT_PER_HOUR = 2
    for n in range(2):
        assert sign_up(client, email=f"p{n}@example.org").status_code == 302
    limited = sign_up(client, email="p3@example.org")
    assert limited.status_code == 429 and 'id="sign-up-limited"' in limited.content.decode()
    assert (
        client.post(reverse("accounts:sign_up_resend"), {"email": "p0@example.org"}).status_code
        == 429
    )
    assert User.objects.count() == 2


def test_one_address_gets_at_most_three_links_an_hour(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
        for _ in range(4):
            client.post(reverse("accounts:sign_up_resend"), {"email": "nuova.persona@example.org"})
    assert len(mail.outbox) == 3


def test_the_sign_up_form_needs_its_csrf_token(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("accounts:sign_up"), form()).status_code == 403
    assert not User.objects.exists()


def test_wrong_methods_are_refused(client):
    assert client.put(reverse("accounts:sign_up")).status_code == 405
    assert client.post(reverse("accounts:sign_up_done")).status_code == 405
    assert client.post(reverse("accounts:privacy")).status_code == 405
    assert client.delete(reverse("accounts:sign_up_resend")).status_code == 405


def test_a_signed_in_user_is_sent_to_their_page(client, cast):
    client.force_login(cast.outsider)
    response = client.get(reverse("accounts:sign_up"))
    assert response.status_code == 302 and response.url == reverse("accounts:account")


def test_the_pages_read_in_english(client):
    with translation.override("en"):
        url = reverse("accounts:sign_up")
    assert url.startswith("/en/")
    page = client.get(url).content.decode()
    assert "<h1>Create an account</h1>" in page and "I have read the privacy notice" in page
