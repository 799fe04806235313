"""Reti's back office: Django's admin opened to staff and to organisations' editors.

Who may enter is decided by `permissions.is_editor`, with a second factor when Reti asks for
one (reti.accounts.twofactor: the session is refused until it is given); what each user may
see and change is decided per record by the model admins in each app's `admin.py`, through the same
`permissions` module the API uses.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reti.accounts import twofactor
from reti.registry import permissions


class EditorAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, letting in editors of an organisation as well as staff."""

    def confirm_login_allowed(self, user):
        if not user.is_active or not permissions.is_editor(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class RetiAdminSite(admin.AdminSite):
    site_title = _("Reti — back office")
    site_header = _("Reti — back office")
    index_title = _("Registro delle reti e dei progetti")
    login_form = EditorAuthenticationForm

    def has_permission(self, request):
        return (
            request.user.is_active
            and permissions.is_editor(request.user)
            and not twofactor.must_verify(request)
        )
