"""Two-factor authentication (autenticazione a due fattori): who must give a second factor,
when a session has one, and the one place that enforces it.

Who must: the people who handle participant data, payments or evaluations, when they sign
in with a password. Each app says who they are for its records through `second_factor` on
its AppConfig (reti.lib.extensions), so the rule grows with the apps:

- accounts: the back office's users, i.e. staff (superusers included) and the editors and
  admins of an organisation, who read its participants, act as officers of its calls and
  record its payments (`reti.accounts.permissions.is_editor`);
- monitoring: auditors of participant data (`monitoring.audit_participants`);
- grids: members of an evaluation committee (chair, secretary, evaluators).

A session counts as two factors when `request.session["reti_second_factor"]` is one of
`VERIFIED`: "otp", written here once the user typed a code of their authenticator app (TOTP)
or one of their recovery codes, and "spid-L2", written by the SPID sign-in for a SPID level 2
(or higher) authentication, which is two factors by itself.

The rule is enforced by `SecondFactorMiddleware`, for every page: a user who must and has
not is sent to enrol (no authenticator yet) or to type a code, and sees nothing else but the
sign-out, the privacy notice and the language switch. The back office refuses such a
session as well (`reti.admin_site.RetiAdminSite.has_permission`). `RETI_2FA_REQUIRED=false`
turns the requirement off (a local run); the pages to enrol stay open to everyone, so any
account may add a second factor. The REST API's tokens are a separate credential, issued
from the back office, and are not affected.

Wrong codes are limited per account: `RETI_2FA_FAILURE_LIMIT` within the sign-in cool-off
(`RETI_LOGIN_COOLOFF_MINUTES`), counted in the shared cache, on top of django-otp's own
growing delay after each failure of a device.
"""

import functools

import django_otp
from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.module_loading import import_string
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reti.lib import cache

SESSION_KEY = "reti_second_factor"
VERIFIED = frozenset({"otp", "spid-L2"})
RECOVERY_CODES = 10

# What an unverified user may still open (URL names, namespaced).
EXEMPT = frozenset(
    {
        "accounts:second_factor",
        "accounts:second_factor_enrol",
        "accounts:logout",
        "accounts:privacy",
        "admin:logout",
        "set_language",
    }
)


@functools.cache
def _predicates() -> tuple:
    return tuple(
        import_string(config.second_factor)
        for config in apps.get_app_configs()
        if getattr(config, "second_factor", "")
    )


def requires_second_factor(user) -> bool:
    """Whether `user` must give a second factor (see the module's docstring)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return any(predicate(user) for predicate in _predicates())


def has_second_factor(request) -> bool:
    """Whether the session passed a second factor (a code here, or SPID level 2)."""
    session = getattr(request, "session", None)
    return session is not None and session.get(SESSION_KEY) in VERIFIED


def must_verify(request) -> bool:
    """Whether this request's user must give a second factor before going on."""
    if not settings.RETI_2FA_REQUIRED or has_second_factor(request):
        return False
    return requires_second_factor(getattr(request, "user", None))


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("id").first()


def is_enrolled(user) -> bool:
    """Whether `user` has a confirmed authenticator (the recovery codes come with it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mark_verified(request, device) -> None:
    """The session passed its second factor with `device`; a new session key against fixation."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[SESSION_KEY] = "otp"


# -- Wrong codes ---------------------------------------------------------------------------


def _failures_key(user) -> tuple:
    return ("second-factor-failures", user.pk)


def _window() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def is_throttled(user) -> bool:
    """Whether `user` typed too many wrong codes within the cool-off."""
    return cache.hits_so_far(_failures_key(user)) >= settings.RETI_2FA_FAILURE_LIMIT


def check_code(user, code: str):
    """The confirmed device of `user` that accepts `code` (a TOTP code or a recovery code,
    which is then used up), or None; a wrong code counts towards the limit."""
    code = "".join((code or "").split())
    device = django_otp.match_token(user, code) if code else None
    if device is None:
        cache.hits(_failures_key(user), _window())
    return device


# -- Enrolment, recovery codes, disabling -------------------------------------------------


def pending_device(user) -> TOTPDevice:
    """The authenticator being enrolled: the unconfirmed one of `user`, made if missing (its key
    stays the same until confirmed, so reloading the page does not change the QR code)."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Reti", confirmed=False)
    return device


@transaction.atomic
def confirm_enrolment(user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending authenticator by its first code; the new recovery codes, or None
    when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if device.confirmed:
        return None
    if not device.verify_token("".join((code or "").split())):
        cache.hits(_failures_key(user), _window())
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the recovery codes of `user` with `RECOVERY_CODES` new single-use ones; shown
    once, stored as django-otp stores them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Codici di recupero", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def disable(request) -> None:
    """Remove every second factor of the signed-in user; the session is no longer verified."""
    user = request.user
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    if request.session.get(SESSION_KEY) == "otp":
        del request.session[SESSION_KEY]


# -- Enforcement ----------------------------------------------------------------------------


def _exempt(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # nothing to show: the 404 follows
    return match.view_name in EXEMPT


def second_factor_url(user) -> str:
    """Where `user` gives their second factor: the code, or the enrolment if they have none."""
    name = "accounts:second_factor" if is_enrolled(user) else "accounts:second_factor_enrol"
    return reverse(name)


class SecondFactorMiddleware:
    """Sends a user who must give a second factor, and has not, to give it (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if must_verify(request) and not _exempt(request):
            target = second_factor_url(request.user)
            if request.method in ("GET", "HEAD"):
                return redirect_to_login(request.get_full_path(), target)
            return redirect(target)
        return self.get_response(request)
