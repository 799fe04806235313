"""Recording a transfer of a published practice to another organisation or region."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reti.lib.forms import add_errors

from .. import actions, permissions
from ..forms import TransferForm
from .common import get_practice_for_user


@login_required
@require_http_methods(["GET", "POST"])
def transfer_create(request, pk: int):
    practice = get_practice_for_user(request, pk)
    if not permissions.may_record_some_transfer(request.user, practice):
        raise PermissionDenied
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_transfer(request.user, form.transfer(practice))
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied:
            form.add_error(
                "adopting_organisation",
                _("Puoi registrare trasferimenti solo per un'organizzazione di cui sei redattore."),
            )
        else:
            messages.success(request, _("Trasferimento registrato."))
            return redirect("knowledge:practice_detail", practice.pk)
    return render(request, "knowledge/transfer_form.html", {"form": form, "practice": practice})
