"""Back office of practices and transfers: the same permissions and actions as the portal."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reti.lib.admin import AUDIT_REASON, FORMFIELD_OVERRIDES, m2m_data
from reti.registry.permissions import is_editor, is_registry_staff

from . import actions, permissions
from .models import (
    Attachment,
    GoodPractice,
    PracticeContact,
    PracticeLink,
    PracticeResult,
    TargetGroup,
    Transfer,
)


class PartInline(admin.TabularInline):
    """Results, contacts, links: edited with their practice, saved through the actions."""

    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES

    def has_add_permission(self, request, obj=None):
        # obj is None on the practice's add page: the action checks the new practice's lead.
        return permissions.can_edit(request.user, obj) if obj else is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit(request.user, obj) if obj else is_editor(request.user)

    has_delete_permission = has_change_permission

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)


class ResultInline(PartInline):
    model = PracticeResult


class ContactInline(PartInline):
    model = PracticeContact
    raw_id_fields = ["person"]


class LinkInline(PartInline):
    model = PracticeLink


class AttachmentInline(admin.TabularInline):
    """Attachments are uploaded on the portal, where they are checked; listed here."""

    model = Attachment
    extra = 0
    fields = ["original_name", "kind", "size", "extraction_status", "extraction_error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)


@admin.register(GoodPractice)
class GoodPracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title_it", "lead_organisation", "network", "state", "synthetic"]
    list_filter = ["state", "synthetic", "status_en"]
    list_select_related = ["lead_organisation", "network"]
    search_fields = ["title_it", "title_en"]
    show_full_result_count = False
    view_on_site = False
    formfield_overrides = FORMFIELD_OVERRIDES
    raw_id_fields = ["lead_organisation", "partner_organisations", "project", "territory"]
    filter_horizontal = ["themes", "target_groups"]
    readonly_fields = [
        "state",
        "sent_back_reason",
        "validation_comment",
        "submitted_at",
        "validated_at",
        "published_at",
        "synthetic",
    ]
    inlines = [ResultInline, ContactInline, LinkInline, AttachmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(permissions.visible_practices_q(request.user))

    def has_module_permission(self, request):
        return is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user) and (obj is None or permissions.can_view(request.user, obj))

    def has_add_permission(self, request):
        return is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return is_editor(request.user)
        return permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # practices are archived, never deleted

    def revert_disabled(self, request, obj=None):
        return True

    def save_model(self, request, obj, form, change):
        """Deferred to save_related, where the many-to-many values are known."""

    def save_related(self, request, form, formsets, change):
        practice = form.instance
        if change:
            actions.update_practice(request.user, practice, m2m=m2m_data(form), reason=AUDIT_REASON)
        else:
            actions.create_practice(request.user, practice, m2m=m2m_data(form), reason=AUDIT_REASON)
        for formset in formsets:
            formset.instance = practice
            changed = formset.save(commit=False)  # read-only attachments: nothing to save
            if formset.model is Attachment:
                continue
            for obj in changed:
                actions.save_practice_part(request.user, obj, reason=AUDIT_REASON)
            for obj in formset.deleted_objects:
                actions.delete_practice_part(request.user, obj, reason=AUDIT_REASON)


@admin.register(Transfer)
class TransferAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "adopting_organisation", "adopting_region", "stage"]
    list_filter = ["stage", "synthetic"]
    list_select_related = ["practice", "adopting_organisation", "adopting_region"]
    raw_id_fields = ["practice", "adopting_organisation", "adopting_region"]
    readonly_fields = ["synthetic"]
    show_full_result_count = False
    view_on_site = False

    def has_module_permission(self, request):
        return is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_add_permission(self, request):
        return is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return is_editor(request.user)
        return permissions.can_edit_transfer(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return is_registry_staff(request.user)

    def revert_disabled(self, request, obj=None):
        return True

    def save_model(self, request, obj, form, change):
        actions.record_transfer(request.user, obj, reason=AUDIT_REASON)


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_it", "name_en"]

    def has_module_permission(self, request):
        return is_registry_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_registry_staff(request.user)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
