"""The portal's sign-in: every active account, `next` followed only within the site, lockout."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from reti.accounts.lockout import client_address
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
    # A page only for signed-in people (the monitoring dashboard now explains itself instead).
    mine = reverse("knowledge:practice_mine")
    response = client.get(mine)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={mine}"
    page = client.get(response.url)
    assert page.status_code == 200
    assert f'name="next" value="{mine}"' in page.content.decode()


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


def sign_in_from(client, username, address, password=PASSWORD, *, forwarded=None):
    """A sign-in arriving through one trusted proxy, which appends `address`."""
    chain = f"{forwarded}, {address}" if forwarded else address
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=chain,
    )


class TestLockoutBehindAProxy:
    @pytest.fixture(autouse=True)
    def _one_proxy(self, settings):
        settings.RETI_TRUSTED_PROXY_COUNT = 1
        settings.RETI_ACCOUNT_FAILURE_LIMIT = 12

    def test_rotating_x_forwarded_for_does_not_escape_the_address_lock(
        self, client, cast, settings, mailoutbox
    ):
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in_from(
                client, "toscana", "203.0.113.7", "guess", forwarded=f"198.51.100.{attempt}"
            )
        locked = sign_in_from(client, "toscana", "203.0.113.7", forwarded="198.51.100.99")
        assert locked.status_code == 429
        assert signed_in_as(client) is None
        # Below the account limit: the same account from another address still signs in.
        assert sign_in_from(client, "toscana", "192.0.2.1").status_code == 302

    def test_many_addresses_lock_the_account_and_notify_its_owner_once(
        self, client, cast, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            for attempt in range(settings.RETI_ACCOUNT_FAILURE_LIMIT + 3):
                response = sign_in_from(client, "toscana", f"198.51.100.{attempt}", "guess")
        assert response.status_code == 429
        assert "da questo indirizzo o da molti" in response.content.decode()
        assert len(mailoutbox) == 1
        notice = mailoutbox[0]
        assert notice.to == [cast.toscana_officer.email]
        assert "bloccato" in notice.subject and "locked" in notice.subject
        assert "anche con la" in notice.body and "even with the right" in notice.body
        # The right password, from an address never seen, is refused while the lock lasts.
        assert sign_in_from(client, "toscana", "192.0.2.50").status_code == 429
        assert signed_in_as(client) is None

    def test_the_account_lock_expires_after_the_cooloff(self, client, cast, settings):
        for attempt in range(settings.RETI_ACCOUNT_FAILURE_LIMIT):
            sign_in_from(client, "toscana", f"198.51.100.{attempt}", "guess")
        assert sign_in_from(client, "toscana", "192.0.2.50").status_code == 429
        AccessAttempt.objects.update(
            attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
        )
        assert sign_in_from(client, "toscana", "192.0.2.50").status_code == 302

    def test_another_users_account_is_not_locked(self, client, cast, settings, mailoutbox):
        for attempt in range(settings.RETI_ACCOUNT_FAILURE_LIMIT):
            sign_in_from(client, "toscana", f"198.51.100.{attempt}", "guess")
        assert sign_in_from(client, "lazio", "198.51.100.1").status_code == 302
        assert signed_in_as(client) == str(cast.lazio_officer.pk)

    def test_an_unknown_username_is_locked_without_any_notice(
        self, client, cast, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            for attempt in range(settings.RETI_ACCOUNT_FAILURE_LIMIT):
                response = sign_in_from(client, "nobody", f"198.51.100.{attempt}", "guess")
        assert response.status_code == 429
        assert mailoutbox == []

    @pytest.mark.parametrize(
        ("forwarded", "remote", "count", "expected"),
        [
            ("6.6.6.6, 203.0.113.7", "10.0.0.2", 1, "203.0.113.7"),
            ("6.6.6.6, 203.0.113.7, 10.0.0.9", "10.0.0.2", 2, "203.0.113.7"),
            ("6.6.6.6", "10.0.0.2", 0, "10.0.0.2"),
            ("", "10.0.0.2", 1, "10.0.0.2"),
            ("not-an-address", "10.0.0.2", 1, "10.0.0.2"),
            ("203.0.113.7", "10.0.0.2", 2, "10.0.0.2"),
        ],
    )
    def test_the_client_address_is_the_hop_the_trusted_proxies_added(
        self, rf, settings, forwarded, remote, count, expected
    ):
        settings.RETI_TRUSTED_PROXY_COUNT = count
        request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
        assert client_address(request) == expected
