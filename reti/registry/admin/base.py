"""What every back-office screen of the registry shares: permissions and saves through actions.

Permissions come from `permissions.py` and saves go through `actions.py`, so the back office
enforces the same rules and writes the same audit entries as the API and the commands.
"""

from django.contrib import admin
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from simple_history.admin import SimpleHistoryAdmin

from reti.lib.admin import AUDIT_REASON, FORMFIELD_OVERRIDES, LargeTablePaginator, m2m_data

from .. import actions, permissions
from ..models import Network, Organisation

# Fields every save touches: showing them in a history would hide the real change.
AUDIT_IGNORED_FIELDS = ("updated_at",)


class RegistryPermissions:
    """Who sees and changes what, per record; `staff_only` hides personal data from editors."""

    staff_only = False

    def has_module_permission(self, request):
        return permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        if self.staff_only:
            return permissions.is_registry_staff(request.user)
        return permissions.is_editor(request.user)

    def has_add_permission(self, request):
        return permissions.is_registry_staff(request.user)

    def has_change_permission(self, request, obj=None):
        if self.staff_only:
            return permissions.is_registry_staff(request.user)
        return permissions.can_edit_record(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if isinstance(obj, Organisation | Network):
            return permissions.is_registry_staff(request.user)
        return self.has_change_permission(request, obj)


class ActionSaves:
    """Saves and deletes of the admin and its inlines, each through the registry's actions."""

    def save_with_action(self, request, obj, form, change):
        actions.save_record(request.user, obj, m2m=m2m_data(form), reason=AUDIT_REASON)

    def save_model(self, request, obj, form, change):
        self.save_with_action(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The action already set the form's many-to-many values.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        forms = {id(inline_form.instance): inline_form for inline_form in formset.forms}
        for obj in formset.deleted_objects:
            actions.delete_record(request.user, obj, reason=AUDIT_REASON)
        for obj in instances:
            inline_form = forms.get(id(obj))
            m2m = m2m_data(inline_form) if inline_form is not None else {}
            actions.save_record(request.user, obj, m2m=m2m, reason=AUDIT_REASON)

    def delete_model(self, request, obj):
        actions.delete_record(request.user, obj, reason=AUDIT_REASON)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            actions.delete_record(request.user, obj, reason=AUDIT_REASON)


class RegistryAdmin(RegistryPermissions, ActionSaves, admin.ModelAdmin):
    """Back office of a registry model without an audit trail (reference lists)."""

    show_full_result_count = False
    # Models' get_absolute_url leads back to the back office: no separate "view on site".
    view_on_site = False
    paginator = LargeTablePaginator
    formfield_overrides = FORMFIELD_OVERRIDES


class AuditedRegistryAdmin(RegistryPermissions, ActionSaves, SimpleHistoryAdmin):
    """Back office of an audited registry model: its history page shows who changed what."""

    show_full_result_count = False
    view_on_site = False
    paginator = LargeTablePaginator
    formfield_overrides = FORMFIELD_OVERRIDES

    def revert_disabled(self, request, obj=None):
        return True

    @method_decorator(require_safe)
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is shown, never saved back: the audit trail only grows.
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=AUDIT_IGNORED_FIELDS,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


class RegistryInline(admin.options.InlineModelAdmin):
    """An inline whose rows may be changed by whoever may change the parent record."""

    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES
    show_change_link = False

    def has_view_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_add_permission(self, request, obj):
        return permissions.can_edit_record(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit_record(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_edit_record(request.user, obj)


class TabularRegistryInline(RegistryInline, admin.TabularInline):
    pass


class StackedRegistryInline(RegistryInline, admin.StackedInline):
    pass
