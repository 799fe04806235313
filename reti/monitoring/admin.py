"""Back office of monitoring: interventions and indicators; logs shown read-only.

Participant records are not in the back office: they are read through the portal and the
API, where every read is logged. Saves go through actions.py, like the registry's.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reti.lib.admin import ReadOnly
from reti.registry import permissions as registry_permissions

from . import actions, permissions
from .models import (
    ImportBatch,
    IndicatorDefinition,
    IndicatorTarget,
    Intervention,
    InterventionTargetGroup,
    ParticipantAccessLog,
    SupportedEntity,
)

AUDIT_REASON = "back office"


class InterventionPartInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return registry_permissions.is_editor(request.user)

    def has_add_permission(self, request, obj):
        return obj is not None and permissions.can_edit_intervention(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is not None and permissions.can_edit_intervention(request.user, obj)

    has_delete_permission = has_change_permission


class TargetGroupInline(InterventionPartInline):
    model = InterventionTargetGroup


class TargetInline(InterventionPartInline):
    model = IndicatorTarget
    autocomplete_fields = ["indicator"]


class EntityInline(InterventionPartInline):
    model = SupportedEntity
    autocomplete_fields = ["organisation"]


@admin.register(Intervention)
class InterventionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title_it", "organisation", "region", "period", "instrument"]
    list_filter = ["instrument", "period", "synthetic"]
    search_fields = ["code", "title_it"]
    list_select_related = ["organisation", "region", "period"]
    autocomplete_fields = ["project", "organisation", "implementers", "region"]
    inlines = [TargetGroupInline, TargetInline, EntityInline]
    show_full_result_count = False
    view_on_site = False

    def has_module_permission(self, request):
        return registry_permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return registry_permissions.is_editor(request.user)

    def has_add_permission(self, request):
        return permissions.can_edit_intervention(request.user, None)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return bool(permissions.authorised_organisation_ids(request.user)) or (
                request.user.has_perm("monitoring.change_intervention")
            )
        return permissions.can_edit_intervention(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("monitoring.delete_intervention")

    def revert_disabled(self, request, obj=None):
        return True

    def save_model(self, request, obj, form, change):
        m2m = {"implementers": form.cleaned_data.get("implementers", [])}
        actions.save_intervention(request.user, obj, m2m=m2m, reason=AUDIT_REASON)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            actions.delete_intervention_part(request.user, obj, reason=AUDIT_REASON)
        for obj in instances:
            actions.save_intervention_part(request.user, obj, reason=AUDIT_REASON)


@admin.register(IndicatorDefinition)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_it", "subject", "kind", "period", "common"]
    list_filter = ["subject", "kind", "common", "period"]
    search_fields = ["code", "name_it", "name_en"]

    def has_module_permission(self, request):
        return registry_permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return registry_permissions.is_editor(request.user)

    def has_add_permission(self, request):
        return permissions.can_edit_indicators(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit_indicators(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_edit_indicators(request.user) and not (obj and obj.common)

    def revert_disabled(self, request, obj=None):
        return True

    def save_model(self, request, obj, form, change):
        actions.save_indicator(request.user, obj, reason=AUDIT_REASON)


class ReadOnlyLogAdmin(ReadOnly, admin.ModelAdmin):
    """A log is written by the system; staff look at it, nobody changes it."""

    may_read = staticmethod(registry_permissions.is_registry_staff)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyLogAdmin):
    list_display = ["file_name", "intervention", "status", "rows_read", "error_count"]
    list_filter = ["status", "mode"]
    exclude = ["report"]  # participant-level detail stays in the logged portal download


@admin.register(ParticipantAccessLog)
class AccessLogAdmin(ReadOnlyLogAdmin):
    list_display = ["at", "user", "action", "intervention", "what", "record_count", "channel"]
    list_filter = ["action", "channel"]
    list_select_related = ["user", "intervention"]
