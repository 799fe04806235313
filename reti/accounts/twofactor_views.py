"""The pages of the second factor (reti.accounts.twofactor): enrol an authenticator app with a
QR code or its key, type a code after the password, see and regenerate the recovery codes,
disable; and the account's security page with the sign-in history.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import forms, twofactor
from .models import SignInEvent

SIGN_IN_HISTORY = 20


def _next_in(params) -> str:
    """`next` from a query string (the only parameter these pages read from it)."""
    return params.get(REDIRECT_FIELD_NAME, "")


def _next(request) -> str:
    """Where to go once verified: `next` when it points to this site, else the account page."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or _next_in(request.GET)
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:account")


def _limited(request, template: str, context: dict):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, template, {**context, "limited": minutes}, status=429)


def _qr_svg(url: str) -> str:
    # segno writes the SVG from the otpauth URL alone: no user text reaches it unescaped.
    title = _("Codice QR da inquadrare con l’app di autenticazione")
    svg = segno.make(url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=title, omitsize=True
    )
    return mark_safe(svg)


def _manual_key(device) -> str:
    """The device's key in base32, in groups of four, as authenticator apps ask it."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request):
    """Add an authenticator app: scan the QR code (or type the key), confirm with a first code;
    ten recovery codes follow, shown once."""
    if twofactor.is_enrolled(request.user):
        return redirect("accounts:security")
    device = twofactor.pending_device(request.user)
    form = forms.SecondFactorCodeForm(request.POST or None)
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "key": _manual_key(device),
        "next": _next(request),
        "required": twofactor.requires_second_factor(request.user),
    }
    if request.method == "POST":
        if twofactor.is_throttled(request.user):
            return _limited(request, "accounts/second_factor_enrol.html", context)
        if form.is_valid():
            codes = twofactor.confirm_enrolment(request.user, device, form.cleaned_data["code"])
            if codes is not None:
                device.refresh_from_db()
                twofactor.mark_verified(request, device)
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": codes, "next": context["next"], "enrolled": True},
                )
            form.add_error("code", _("Il codice non è corretto: controlla l’ora del telefono."))
    return render(request, "accounts/second_factor_enrol.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request):
    """The step after the password: a code of the authenticator app, or a recovery code."""
    if not twofactor.is_enrolled(request.user):
        return redirect("accounts:second_factor_enrol")
    form = forms.SecondFactorCodeForm(request.POST or None)
    context = {"form": form, "next": _next(request)}
    if request.method == "POST":
        if twofactor.is_throttled(request.user):
            return _limited(request, "accounts/second_factor.html", context)
        if form.is_valid():
            device = twofactor.check_code(request.user, form.cleaned_data["code"])
            if device is not None:
                twofactor.mark_verified(request, device)
                if twofactor.recovery_codes_left(request.user) <= 2:
                    messages.warning(
                        request,
                        _("Ti restano pochi codici di recupero: generane di nuovi."),
                    )
                return redirect(context["next"])
            form.add_error("code", _("Il codice non è corretto."))
    return render(request, "accounts/second_factor.html", context)


@require_safe
@login_required
def security(request):
    """The account's security: the second factor's state and the latest sign-ins."""
    user = request.user
    context = {
        "enrolled": twofactor.is_enrolled(user),
        "required": twofactor.requires_second_factor(user),
        "codes_left": twofactor.recovery_codes_left(user),
        "verified": twofactor.has_second_factor(request),
        "sign_ins": SignInEvent.objects.filter(user=user)[:SIGN_IN_HISTORY],
        "form": forms.SecondFactorCodeForm(),
    }
    return render(request, "accounts/security.html", context)


def _code_checked(request) -> bool:
    """Whether the POST carries a current code of the user (counted like the sign-in's)."""
    form = forms.SecondFactorCodeForm(request.POST)
    if twofactor.is_throttled(request.user):
        messages.error(request, _("Troppi codici errati: riprova più tardi."))
        return False
    if not form.is_valid() or twofactor.check_code(request.user, form.cleaned_data["code"]) is None:
        messages.error(request, _("Il codice non è corretto: nulla è cambiato."))
        return False
    return True


@login_required
@require_POST
def second_factor_recovery_codes(request):
    """New recovery codes, confirmed by a current code; the old ones stop working."""
    if not twofactor.is_enrolled(request.user) or not _code_checked(request):
        return redirect("accounts:security")
    codes = twofactor.new_recovery_codes(request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:security")},
    )


@login_required
@require_POST
def second_factor_disable(request):
    """Remove the second factor, confirmed by a current code."""
    if not twofactor.is_enrolled(request.user) or not _code_checked(request):
        return redirect("accounts:security")
    twofactor.disable(request)
    messages.success(request, _("Autenticazione a due fattori disattivata."))
    return redirect("accounts:security")
