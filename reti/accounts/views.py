"""The portal's account area: sign in and out, passwords, the user's own page, sign-up and
requests to join an organisation.

Django's authentication views with the portal's templates; any active account signs in here
(the back office keeps its own sign-in, for staff and editors). `next` is followed only when
it points to this site (LoginView checks it), otherwise the account page opens.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reti.lib import cache
from reti.lib.mail import site_url

from . import actions, forms, permissions
from .lockout import client_address
from .models import JoinRequest
from .overview import account_overview


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign-out is a POST (the header's button); the portal's home page follows."""


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordReset(auth_views.PasswordResetView):
    """Sends a one-time link to the address of an active account; says the same either way."""

    template_name = "accounts/password_reset.html"
    form_class = forms.PasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        # Links in e-mails use the site's configured address, never the request's Host.
        return {"site_url": site_url()}


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_safe
@login_required
def account(request):
    """The signed-in user's page: organisations and roles, communities, registrations, drafts."""
    return render(request, "accounts/account.html", {"overview": account_overview(request.user)})


def _too_many(request) -> bool:
    """One more sign-up or resend from this client address; whether it passes the hourly limit."""
    count = cache.hits(("sign-up-address", client_address(request)), 3600)
    return count > settings.RETI_SIGNUP_LIMIT_PER_HOUR


def _slow_down(request):
    return render(request, "accounts/sign_up_limited.html", status=429)


@require_http_methods(["GET", "POST"])
def sign_up(request):
    """Self-registration: a new account, inactive until its address is confirmed."""
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = forms.SignUpForm(request.POST or None)
    if request.method == "POST":
        if _too_many(request):
            return _slow_down(request)
        if form.is_valid():
            if not form.is_bot:
                data = form.cleaned_data
                actions.sign_up(
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                    language=get_language(),
                )
            return redirect("accounts:sign_up_done")
    return render(request, "accounts/sign_up.html", {"form": form})


@require_safe
def sign_up_done(request):
    return render(request, "accounts/sign_up_done.html", {"hours": settings.RETI_SIGNUP_LINK_HOURS})


@require_http_methods(["GET", "POST"])
def sign_up_resend(request):
    """A new confirmation link for an account still waiting; the same answer for any address."""
    form = forms.SignUpResendForm(request.POST or None)
    if request.method == "POST":
        if _too_many(request):
            return _slow_down(request)
        if form.is_valid():
            actions.resend_sign_up_link(form.cleaned_data["email"], get_language())
            return redirect("accounts:sign_up_done")
    return render(request, "accounts/sign_up_resend.html", {"form": form})


@require_http_methods(["GET", "POST"])
def sign_up_confirm(request, token: str):
    """The mailed link: the new account's owner types their password to activate it."""
    try:
        actions.user_for_sign_up_token(token)
    except actions.SignUpLinkInvalid as invalid:
        return render(
            request, "accounts/sign_up_confirm.html", {"expired": invalid.expired}, status=400
        )
    form = forms.SignUpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if cache.hits(("sign-up-confirm", token), 3600) > settings.AXES_FAILURE_LIMIT:
            return _slow_down(request)
        try:
            user = actions.confirm_sign_up(token, form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error(None, error)
        except actions.SignUpLinkInvalid:
            return render(request, "accounts/sign_up_confirm.html", {}, status=400)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Indirizzo confermato: il tuo account è attivo."))
            return redirect("accounts:account")
    return render(request, "accounts/sign_up_confirm.html", {"form": form, "valid": True})


@login_required
@require_http_methods(["GET", "POST"])
def join_request(request):
    """Ask to join an organisation of the registry with a role and a message."""
    prefill = forms.JoinPrefill(request.GET)
    initial = prefill.cleaned_data if request.method == "GET" and prefill.is_valid() else {}
    form = forms.JoinRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        if not permissions.can_request_to_join(request.user, organisation):
            form.add_error(
                "organisation",
                _("Appartieni già a questa organizzazione o hai già una richiesta in attesa."),
            )
        else:
            actions.request_to_join(
                request.user,
                organisation,
                role=form.cleaned_data["role"],
                message=form.cleaned_data["message"],
                language=get_language(),
            )
            messages.success(
                request,
                _("Richiesta inviata: ti scriviamo quando gli amministratori avranno deciso."),
            )
            return redirect("accounts:account")
    return render(request, "accounts/join_request.html", {"form": form})


def _get_join_request_for_user(request, pk: int) -> JoinRequest:
    """The request `pk` if the user may see it; 404 otherwise, so its existence stays private."""
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user", "organisation"), pk=pk
    )
    if not permissions.can_view_join_request(request.user, join_request):
        raise Http404
    return join_request


@login_required
@require_POST
def join_request_approve(request, pk: int):
    join_request = _get_join_request_for_user(request, pk)
    if not permissions.can_approve_join_request(request.user, join_request):
        raise PermissionDenied
    actions.approve_join_request(request.user, join_request)
    messages.success(request, _("Richiesta approvata: ora è un membro dell’organizzazione."))
    return redirect(reverse("accounts:account") + "#join-requests-to-decide")


@login_required
@require_POST
def join_request_refuse(request, pk: int):
    join_request = _get_join_request_for_user(request, pk)
    if not permissions.can_refuse_join_request(request.user, join_request):
        raise PermissionDenied
    form = forms.JoinRefusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scrivi il motivo del rifiuto: lo riceve chi ha chiesto."))
    else:
        actions.refuse_join_request(request.user, join_request, form.cleaned_data["reason"])
        messages.success(request, _("Richiesta rifiutata; chi l’ha fatta riceve il motivo."))
    return redirect(reverse("accounts:account") + "#join-requests-to-decide")


@require_safe
def privacy(request):
    """The privacy notice of the accounts: what an account keeps, why, and for how long."""
    return render(request, "accounts/privacy.html")
