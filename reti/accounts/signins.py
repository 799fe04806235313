"""The record of successful sign-ins (`SignInEvent`), written when Django signs a user in.

What is kept: the time, the method (password or SPID, from the backend that authenticated)
and the client's network, truncated: an IPv4 address to its /24, an IPv6 address to its /48.
Failed attempts are counted by django-axes for the lockout (reti/accounts/lockout.py) and are
not part of this record.
"""

import ipaddress

from .lockout import client_address
from .models import SignInEvent


def truncate(address: str) -> str:
    """The network of `address`: /24 for IPv4, /48 for IPv6; "" when it is not an address."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def method_of(backend: str) -> str:
    """The sign-in method recorded for a user authenticated by `backend` (a dotted path)."""
    if "saml" in backend.lower() or "spid" in backend.lower():
        return SignInEvent.Method.SPID
    if backend.endswith(("ModelBackend", "LockoutBackend")):
        return SignInEvent.Method.PASSWORD
    return SignInEvent.Method.OTHER


def record_sign_in(sender, request, user, **kwargs) -> None:
    """Receiver of `user_logged_in`: one SignInEvent for the user just signed in."""
    if user is None or user.pk is None:
        return
    network = truncate(client_address(request)) if request is not None else ""
    SignInEvent.objects.create(
        user=user, method=method_of(getattr(user, "backend", "") or ""), network=network
    )
