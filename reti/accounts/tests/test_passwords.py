"""Changing a password when signed in, and resetting a forgotten one by e-mail."""

import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from .conftest import PASSWORD

NEW = "una-nuova-password-lunga"


def test_anonymous_cannot_change_a_password(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_wrong_old_password_changes_nothing(client, cast):
    client.force_login(cast.viewer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "sbagliata", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert 'id="id_old_password_error"' in response.content.decode()
    cast.viewer.refresh_from_db()
    assert cast.viewer.check_password(PASSWORD)


def test_a_user_changes_their_password_and_stays_signed_in(client, cast):
    client.force_login(cast.viewer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    assert "La tua password è stata cambiata." in client.get(response.url).content.decode()
    cast.viewer.refresh_from_db()
    assert cast.viewer.check_password(NEW)
    assert client.get(reverse("accounts:account")).status_code == 200


def test_a_weak_new_password_is_refused_with_the_reason(client, cast):
    client.force_login(cast.viewer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "troppo comune" in response.content.decode()


def _reset_link(message) -> str:
    match = re.search(r"https?://\S+/area-personale/password/nuova/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def test_a_forgotten_password_is_reset_through_the_e_mailed_link(client, cast, settings):
    settings.RETI_SITE_URL = "https://reti.example.org"
    response = client.post(reverse("accounts:password_reset"), {"email": cast.viewer.email})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.viewer.email]
    assert message.subject == "Reti: scegli una nuova password"
    assert f"Gentile {cast.viewer.username}" in message.body
    link = _reset_link(message)
    assert link.startswith("https://reti.example.org/it/area-personale/password/nuova/")

    # The link leads to a form (Django swaps the token for a session key first).
    form = client.get(link.removeprefix("https://reti.example.org"), follow=True)
    assert form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == reverse("accounts:password_reset_complete")
    cast.viewer.refresh_from_db()
    assert cast.viewer.check_password(NEW)

    # Used once, the link is no longer valid.
    again = client.get(link.removeprefix("https://reti.example.org"), follow=True)
    assert not again.context["validlink"]
    assert "Il collegamento non è valido" in again.content.decode()


def test_the_reset_e_mail_is_in_the_language_of_the_page(client, cast):
    client.post("/en/area-personale/password/recupero/", {"email": cast.viewer.email})
    message = mail.outbox[0]
    assert message.subject == "Reti: choose a new password"
    assert "/en/area-personale/password/nuova/" in message.body
    assert "Dear viewer" in message.body


def test_an_unknown_or_inactive_address_gets_the_same_answer_and_no_e_mail(client, cast):
    cast.viewer.is_active = False
    cast.viewer.save()
    for email in ("nessuno@example.org", cast.viewer.email):
        response = client.post(reverse("accounts:password_reset"), {"email": email})
        assert response.status_code == 302
        assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    page = client.get(reverse("accounts:password_reset_done")).content.decode()
    assert "Se l’indirizzo appartiene a un account attivo" in page


def test_sign_in_works_with_the_new_password_only(client, cast):
    cast.viewer.set_password(NEW)
    cast.viewer.save()
    old = client.post(reverse("accounts:login"), {"username": "viewer", "password": PASSWORD})
    assert old.status_code == 200
    new = client.post(reverse("accounts:login"), {"username": "viewer", "password": NEW})
    assert new.status_code == 302
    assert client.session[SESSION_KEY] == str(cast.viewer.pk)
