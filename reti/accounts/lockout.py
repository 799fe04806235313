"""Brute-force protection of both sign-in forms (portal and back office), through django-axes.

Two locks, both for `RETI_LOGIN_COOLOFF_MINUTES`, both refusing even the right password:

- a username is locked out from one client address after `RETI_LOGIN_FAILURE_LIMIT` failed
  attempts; a successful sign-in clears that pair's count;
- an account (a username, whatever the addresses) is locked after
  `RETI_ACCOUNT_FAILURE_LIMIT` failures from all addresses together, and its owner gets one
  notice by e-mail. The account limit is higher, so that one address cannot lock a real user
  out from everywhere, while many addresses (or a forged `X-Forwarded-For`) cannot guess on
  forever.

The client address is the one the trusted proxies saw (`client_address`), never a value the
client can choose.
"""

import ipaddress
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Sum
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from reti.lib.mail import site_url


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out sign-in; checks nothing when there is no request.

    Every sign-in over HTTP comes with its request; authentications without one (a shell, the
    test client's `login()`) have no client address to count, so they pass on to the next
    backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's address as the trusted proxies saw it.

    With `RETI_TRUSTED_PROXY_COUNT` = N proxies in front of Reti, each appending the address
    it received the connection from to `X-Forwarded-For`, the client is the N-th hop from the
    right: everything left of it was written by the client and is ignored. With N = 0 (no
    proxy), or when the header is shorter than the proxies would have made it or not an
    address, it is the connection's own address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.RETI_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return _valid_address(hops[-count]) or remote


def account_failures(username: str | None) -> int:
    """Failed sign-ins for `username` from every address within the cool-off."""
    if not username:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-account lock and its notice."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        username = get_client_username(request, credentials)
        return account_failures(username) >= settings.RETI_ACCOUNT_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None:
            return
        username = get_client_username(request, credentials)
        failures = account_failures(username)
        if failures >= settings.RETI_ACCOUNT_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.axes_credentials = credentials
        if failures == settings.RETI_ACCOUNT_FAILURE_LIMIT:
            transaction.on_commit(lambda: send_account_locked_notice(username))


def send_account_locked_notice(username: str) -> None:
    """Tell the owner of `username`, in Italian and English, that the account is locked."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or not user.email:
        return
    context = {
        "user": user,
        "limit": settings.RETI_ACCOUNT_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1)),
    }
    with translation.override("it"):
        context["reset_url"] = site_url(reverse("accounts:password_reset"))
        text = render_to_string("accounts/email/account_locked.txt", context)
    subject, _, body = text.strip().partition("\n")
    EmailMessage(subject.strip(), body.strip() + "\n", to=[user.email]).send()


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets, with status 429 (Too Many Requests)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
