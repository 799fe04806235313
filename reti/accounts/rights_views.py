"""The pages of people's rights over their data (reti.accounts.rights): download everything
Reti holds about oneself, see and withdraw consents, ask for erasure."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import actions, consents, emails, forms, permissions, rights
from .models import Consent


@require_safe
@login_required
def my_data(request):
    """What one may do with one's data: download it, the consents, erasure."""
    current = consents.current(request.user)
    purposes = [
        {
            "value": purpose.value,
            "label": purpose.label,
            "text": _(consents.TEXTS[purpose]),
            "consent": current.get(purpose.value),
            "outdated": purpose.value in current
            and current[purpose.value].text_version != consents.version(purpose),
        }
        for purpose in Consent.Purpose
    ]
    context = {
        "purposes": purposes,
        "history": Consent.objects.filter(user=request.user),
        "may_erase": permissions.can_erase_own_data(request.user),
    }
    return render(request, "accounts/my_data.html", context)


def _download(request, data: bytes, content_type: str, extension: str) -> HttpResponse:
    if not permissions.can_download_own_data(request.user):
        raise PermissionDenied
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="reti-i-miei-dati-{stamp}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@login_required
def my_data_json(request):
    return _download(
        request, rights.as_json(rights.collect(request.user)), "application/json", "json"
    )


@require_safe
@login_required
def my_data_zip(request):
    return _download(request, rights.as_zip(rights.collect(request.user)), "application/zip", "zip")


@login_required
@require_POST
def consent_give(request):
    form = forms.ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scegli una finalità del consenso."))
    else:
        actions.give_consent(request.user, form.cleaned_data["purpose"])
        messages.success(request, _("Consenso registrato."))
    return redirect("accounts:my_data")


@login_required
@require_POST
def consent_withdraw(request, pk: int):
    consent = get_object_or_404(Consent, pk=pk)
    if not permissions.can_manage_consent(request.user, consent):
        raise Http404
    actions.withdraw_consent(request.user, consent)
    messages.success(request, _("Consenso revocato."))
    return redirect("accounts:my_data")


@login_required
@require_http_methods(["GET", "POST"])
def erase(request):
    """Ask for the erasure of one's data, confirmed by the password; the report follows."""
    if not permissions.can_erase_own_data(request.user):
        raise PermissionDenied
    form = forms.PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = actions.erase_personal_data(
                request.user, form.cleaned_data["password"], language=get_language()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            outcomes = emails.described_outcomes(erasure)
            return render(
                request, "accounts/erased.html", {"erasure": erasure, "outcomes": outcomes}
            )
    return render(request, "accounts/erase.html", {"form": form})
