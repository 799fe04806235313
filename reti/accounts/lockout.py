"""Brute-force protection of both sign-in forms (portal and back office), through django-axes.

A username is locked out from one client address after `RETI_LOGIN_FAILURE_LIMIT` failed
attempts, for `RETI_LOGIN_COOLOFF_MINUTES`; a successful sign-in clears the count. Locking the
pair (not the username alone) keeps an attacker from locking a real user out from everywhere.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


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


def client_address(request) -> str:
    """The client's address: behind the TLS proxy, the one the proxy appended last."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets, with status 429 (Too Many Requests)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
