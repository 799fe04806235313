"""The portal's account area: sign in and out, passwords, and the user's own page.

Django's authentication views with the portal's templates; any active account signs in here
(the back office keeps its own sign-in, for staff and editors). `next` is followed only when
it points to this site (LoginView checks it), otherwise the account page opens.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_safe

from . import forms
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
        return {"site_url": settings.RETI_SITE_URL.rstrip("/")}


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
