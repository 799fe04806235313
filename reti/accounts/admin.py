"""Back office of accounts: memberships (staff), API tokens (staff, or each user's own) and
the record of erasures (staff, read only)."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reti.lib.admin import ReadOnly

from . import permissions
from .models import ApiToken, Erasure, Membership


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    """Who belongs to which organisation with which role: managed by staff."""

    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name_it"]
    # Users by plain select: staff need no permission on Django's user admin to pick one.
    autocomplete_fields = ["organisation"]
    show_full_result_count = False

    def has_module_permission(self, request):
        return permissions.is_registry_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_registry_staff(request.user)

    def has_add_permission(self, request):
        return permissions.is_registry_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_registry_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_registry_staff(request.user)

    def revert_disabled(self, request, obj=None):
        return True


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API keys: staff see all of them, an editor their own; a new key is shown once."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    actions = ["revoke"]
    show_full_result_count = False

    def has_module_permission(self, request):
        return permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_api_token(request.user, obj)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return permissions.is_editor(request.user)

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        if permissions.is_registry_staff(request.user):
            return tokens
        return tokens.filter(user=request.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "user"] if permissions.is_registry_staff(request.user) else ["name"]
        return ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        user = obj.user if permissions.is_registry_staff(request.user) else request.user
        token, key = ApiToken.objects.issue(user, obj.name)
        # The admin goes on with the form's instance: make it the issued token.
        obj.pk, obj.user, obj.prefix, obj.digest = token.pk, user, token.prefix, token.digest
        obj.created_at = token.created_at
        obj._state.adding = False
        obj.clear_key = key

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nuovo token API"),
            "opts": self.opts,
            "token": obj,
            "key": obj.clear_key,
        }
        return TemplateResponse(request, "admin/accounts/apitoken/key_created.html", context)

    @admin.action(description=_("Revoca i token selezionati"))
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(Erasure)
class ErasureAdmin(ReadOnly, admin.ModelAdmin):
    """Erasures of personal data (reti.accounts.rights): read by staff, made by their owners."""

    list_display = ["pseudonym", "requested_at"]
    readonly_fields = ["pseudonym", "requested_at", "report"]
    fields = readonly_fields
    search_fields = ["pseudonym"]
    may_read = staticmethod(permissions.is_registry_staff)
