"""SPID and CIE sign-in pages, and the SAML endpoints the identity providers call.

The SAML endpoints (metadata, assertion consumer, single logout) live at one language-neutral
address under /saml/, the one published in the metadata; the pages people see are under
/it/ and /en/. Every page answers 404 while SPID and CIE are not configured.
"""

import hashlib
import secrets
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from reti.lib import cache

from . import actions, metadata, registry, saml
from .errors import SignInRefused

# Session keys; the first two are read by other apps (2FA treats spid-L2 as a second factor).
AUTH_METHOD = "reti_auth_method"
SECOND_FACTOR = "reti_second_factor"
SAML_SESSION = "reti_saml"  # the provider, name ID and session index, for single logout
LOGOUT_PENDING = "reti_saml_logout"
# The identity provider's answer is a cross-site POST, which carries no SameSite=Lax session
# cookie: the requests a browser started wait in the cache, under their ID, bound to that
# browser by a random token in a cookie sent to /saml/ only (SameSite=None, Secure).
BROWSER_COOKIE = "reti_saml"
REQUEST_SECONDS = 15 * 60


def configured(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.RETI_SAML or kwargs.get("kind", "spid") not in saml.PROVIDERS:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def session_level(request) -> int:
    """The SPID level of this session's sign-in (0 for a password or no sign-in)."""
    data = request.session.get(SAML_SESSION) or {}
    return int(data.get("level") or 0) if request.user.is_authenticated else 0


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


class StartQuery(forms.Form):
    """What the sign-in button's links carry: the level asked for, the identity provider
    chosen, where to go after. Anything else, or a bad value, is ignored."""

    level = forms.TypedChoiceField(choices=[("1", "1"), ("2", "2")], coerce=int, required=False)
    idp = forms.CharField(max_length=500, required=False)
    next = forms.CharField(max_length=2000, required=False)


def _query(request) -> dict:
    form = StartQuery(request.GET)
    form.is_valid()
    return {name: form.cleaned_data.get(name) or "" for name in ("level", "idp", "next")}


def _level(request) -> int:
    return _query(request)["level"] or saml.conf()["DEFAULT_LEVEL"]


@require_safe
@configured
def choose(request, kind: str):
    """The list of identity providers (the button's menu, for visitors without JavaScript)."""
    return render(
        request,
        "identity/choose.html",
        {
            "kind": kind,
            "providers": registry.providers(kind),
            "next": _safe_next(request, _query(request)["next"]),
            "level": _level(request),
            "session_level": session_level(request),
        },
    )


@require_safe
@configured
def start(request, kind: str):
    """Send the browser to the chosen identity provider with a signed AuthnRequest."""
    entity_id = _query(request)["idp"]
    if kind == "cie" and not entity_id:
        providers = registry.providers("cie")
        entity_id = providers[0].entity_id if providers else ""
    level = _level(request)
    relay = secrets.token_urlsafe(16)
    try:
        outgoing = saml.authn_request(kind, entity_id, level, relay)
    except registry.UnknownProvider:
        return _refused(request, SignInRefused("unknown_idp", entity_id), status=400)
    token = request.COOKIES.get(BROWSER_COOKIE) or secrets.token_urlsafe(32)
    cache.hold(
        _pending_key(outgoing.request_id),
        {
            **outgoing.pending,
            "browser": _digest(token),
            "relay": relay,
            "next": _safe_next(request, _query(request)["next"]),
            # Who was signed in when the request started: the identity links to them.
            "user": request.user.pk if request.user.is_authenticated else None,
        },
        REQUEST_SECONDS,
    )
    response = HttpResponseRedirect(outgoing.url)
    response.set_cookie(
        BROWSER_COOKIE,
        token,
        max_age=REQUEST_SECONDS,
        path="/saml/",
        secure=True,
        httponly=True,
        samesite="None",
    )
    return response


def _pending_key(request_id: str) -> tuple[str, str]:
    return ("saml-request", request_id)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _pending(request) -> dict:
    """The request this answer claims to answer, if this browser started it and it waits."""
    request_id = saml.claimed_request_id(request.POST.get("SAMLResponse", ""))
    token = request.COOKIES.get(BROWSER_COOKIE, "")
    entry = cache.held(_pending_key(request_id)) if request_id and token else None
    if entry is None or not constant_time_compare(entry["browser"], _digest(token)):
        return {}
    return {request_id: entry}


def _refused(request, refusal: SignInRefused, status=403):
    return render(
        request,
        "identity/refused.html",
        {"code": refusal.code, "message": refusal.message},
        status=status,
    )


@csrf_exempt  # the identity provider's form posts here; the signed response is the proof
@require_POST
@configured
def acs(request):
    """The assertion consumer service: check the response, sign the person in."""
    pending = _pending(request)
    try:
        request_id, identity = saml.read_response(request.POST.get("SAMLResponse", ""), pending)
    except SignInRefused as refusal:
        return _refused(request, refusal)
    # The answered request cannot be answered again.
    if not cache.release(_pending_key(request_id)):
        return _refused(request, SignInRefused("replay", request_id))
    asked = pending[request_id]
    next_url = asked["next"] if request.POST.get("RelayState") == asked["relay"] else ""
    linking = get_user_model().objects.filter(pk=asked["user"]).first() if asked["user"] else None
    try:
        user, created = actions.sign_in_identity(identity, linking)
    except actions.IdentityRefused as refused:
        return render(request, "identity/refused.html", {"message": str(refused)}, status=403)
    except ValidationError as invalid:
        return render(
            request, "identity/refused.html", {"message": " ".join(invalid.messages)}, status=403
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[AUTH_METHOD] = identity.provider
    if identity.level >= 2:
        request.session[SECOND_FACTOR] = "spid-L2"
    request.session[SAML_SESSION] = {
        "provider": identity.provider,
        "idp": identity.idp,
        "level": identity.level,
        "name_id": identity.name_id,
        "name_id_qualifier": identity.name_id_qualifier,
        "session_index": identity.session_index,
    }
    if created:
        messages.info(
            request,
            _("Benvenuto: abbiamo creato il tuo account con i dati della tua identità digitale."),
        )
    return redirect(next_url or "accounts:account")


@require_safe
@configured
def sp_metadata(request):
    """The service provider's signed metadata, at the address registered with AgID."""
    return HttpResponse(metadata.signed("spid"), content_type="application/samlmetadata+xml")


@require_safe
@configured
def cie_metadata(request):
    """The same service provider in the CIE federation's profile, while CIE is configured."""
    if not registry.providers("cie"):
        raise Http404
    return HttpResponse(metadata.signed("cie"), content_type="application/samlmetadata+xml")


@require_POST
@configured
def logout_start(request):
    """Sign out here, then at the identity provider (single logout)."""
    data = request.session.get(SAML_SESSION)
    logout(request)
    if not data or not data.get("name_id"):
        return redirect("portal:home")
    relay = secrets.token_urlsafe(16)
    request_id, url = saml.logout_request(data, relay)
    request.session[LOGOUT_PENDING] = {"id": request_id, "idp": data["idp"]}
    return HttpResponseRedirect(url)


def _slo_query(params) -> dict:
    """The redirect binding's parameters as sent: the signature covers them as they are, so
    they are read whole, not through a form that would clean them."""
    return params.dict()


@require_safe
@configured
def slo(request):
    """Single logout over HTTP-Redirect: the provider's answer to ours, or its own request."""
    query = _slo_query(request.GET)
    if "SAMLRequest" in query:
        return _logout_requested(request, query)
    if "SAMLResponse" not in query:
        raise Http404
    expected = request.session.pop(LOGOUT_PENDING, None)
    confirmed = saml.read_logout_response(query, expected)
    return render(request, "identity/logged_out.html", {"confirmed": confirmed})


def _logout_requested(request, query):
    """The provider ends the person's SPID session: end ours if it is theirs, and answer."""
    try:
        idp, message = saml.read_logout_request(query)
    except SignInRefused as refusal:
        return _refused(request, refusal, status=400)
    data = request.session.get(SAML_SESSION) or {}
    name_ids = {(name_id.text or "").strip() for name_id in [message.name_id] if name_id}
    if data.get("idp") == idp and data.get("name_id") in name_ids:
        logout(request)
    return HttpResponseRedirect(saml.logout_response(message, idp, query.get("RelayState")))


@require_POST
@login_required
@configured
def remove(request, pk: int):
    """Unlink one of the user's digital identities."""
    try:
        actions.remove_identity(request.user, pk)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, _("Identità digitale scollegata."))
    return redirect("accounts:account")


def level_required(level: int = 2):
    """A view only for sessions signed in with SPID or CIE at `level` or above.

    Others (a password session, SPID level 1) are sent to choose an identity provider, asking
    for that level, on a page that says why, and come back: to the page itself after a GET,
    to the page the form was on after a POST (a POST is never replayed). With SPID and CIE
    off, local accounts keep working (docs/identity.md). For applications (domande) and
    payments, which the rules want at level 2.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if settings.RETI_SAML and session_level(request) < level:
                from django.urls import reverse
                from django.utils.http import urlencode

                if request.method in ("GET", "HEAD"):
                    back = request.get_full_path()
                else:
                    back = _safe_next(request, request.META.get("HTTP_REFERER", "")) or "/"
                query = urlencode({"next": back, "level": min(level, 2)})
                return redirect(f"{reverse('identity:choose', args=['spid'])}?{query}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
