"""The portal's sign-in: every active account, `next` followed only within the site, lockout."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from reti.monitoring.tests import factories as mf

from .conftest import PASSWORD


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password, **extra}
    )


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


@pytest.mark.parametrize("who", ["staff", "toscana_officer", "viewer", "outsider"])
def test_every_active_account_signs_in_and_lands_on_its_page(client, cast, who):
    user = getattr(cast, who)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response.url == reverse("accounts:account")
    assert signed_in_as(client) == str(user.pk)


def test_an_auditor_signs_in_and_reaches_the_dashboard_named_in_next(client, db):
    auditor = mf.auditor()
    dashboard = reverse("monitoring:dashboard")
    response = sign_in(client, auditor.username, next=dashboard)
    assert response.status_code == 302 and response.url == dashboard
    assert client.get(dashboard).status_code == 200


def test_a_viewer_signs_in_but_is_refused_the_dashboard(client, cast):
    sign_in(client, cast.viewer.username)
    assert client.get(reverse("monitoring:dashboard")).status_code == 403


def test_anonymous_is_sent_to_the_portal_sign_in_with_next(client, db):
    dashboard = reverse("monitoring:dashboard")
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={dashboard}"
    page = client.get(response.url)
    assert page.status_code == 200
    assert f'name="next" value="{dashboard}"' in page.content.decode()


def test_english_pages_send_to_the_english_sign_in(client, db):
    response = client.get("/en/area-personale/")
    assert response.status_code == 302 and response.url.startswith("/en/area-personale/accedi/")
    page = client.get(response.url)
    assert "Log in to Reti" in page.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client, cast):
    response = sign_in(client, cast.toscana_officer.username, password="not-the-password")
    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert "e password corretti" in response.content.decode()


def test_an_inactive_user_is_refused_like_a_wrong_password(client, cast):
    cast.toscana_officer.is_active = False
    cast.toscana_officer.save()
    response = sign_in(client, cast.toscana_officer.username)
    assert response.status_code == 200
    assert signed_in_as(client) is None
    assert "e password corretti" in response.content.decode()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
    ],
)
def test_next_outside_the_site_is_ignored(client, cast, target):
    response = sign_in(client, cast.outsider.username, next=target)
    assert response.status_code == 302
    assert response.url == reverse("accounts:account")


def test_a_signed_in_user_opening_the_sign_in_goes_to_next(client, cast):
    client.force_login(cast.outsider)
    response = client.get(reverse("accounts:login"), {"next": reverse("events:list")})
    assert response.status_code == 302 and response.url == reverse("events:list")


def test_the_back_office_keeps_its_own_sign_in_and_refuses_portal_only_users(client, cast):
    auditor = mf.auditor()
    sign_in(client, auditor.username)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_sign_out_is_a_post(client, cast):
    client.force_login(cast.outsider)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in_as(client) == str(cast.outsider.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert signed_in_as(client) is None


def test_header_offers_sign_in_then_shows_the_users_name_and_sign_out(client, cast):
    cast.viewer.first_name, cast.viewer.last_name = "Vera", "Lettrice"
    cast.viewer.save()
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("accounts:login")}?next=/it/"' in home
    client.force_login(cast.viewer)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Vera Lettrice" in home
    assert f'action="{reverse("accounts:logout")}"' in home


class TestLockout:
    def test_repeated_failures_lock_the_username_out_even_with_the_right_password(
        self, client, cast, settings
    ):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert sign_in(client, "toscana", password="guess").status_code == 200
        locked = sign_in(client, "toscana", password="guess")
        assert locked.status_code == 429
        assert "Troppi tentativi di accesso falliti" in locked.content.decode()
        assert sign_in(client, "toscana").status_code == 429
        assert signed_in_as(client) is None

    def test_the_back_office_sign_in_is_protected_too(self, client, cast, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("admin:login"), {"username": "toscana", "password": "guess"})
        response = client.post(
            reverse("admin:login"), {"username": "toscana", "password": PASSWORD}
        )
        assert response.status_code == 429
        assert signed_in_as(client) is None

    def test_another_username_from_the_same_address_is_not_locked(self, client, cast, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "toscana", password="guess")
        assert sign_in(client, "lazio").status_code == 302

    def test_a_success_before_the_limit_clears_the_count(self, client, cast, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, "toscana", password="guess")
        assert sign_in(client, "toscana").status_code == 302
        client.post(reverse("accounts:logout"))
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, "toscana", password="guess")
        assert sign_in(client, "toscana").status_code == 302
