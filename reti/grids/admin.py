"""Back office of grids: versions edited as YAML through the actions, committees with their
members; assessments, assignments and declarations are read here and changed on the portal."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reti.lib import audit
from reti.lib.admin import AUDIT_REASON, FORMFIELD_OVERRIDES, ReadOnly

from . import actions, permissions
from .models import (
    Assessment,
    Assignment,
    Committee,
    CommitteeMember,
    ConflictDeclaration,
    ConsensusRecord,
    GridTemplate,
)


@admin.register(GridTemplate)
class GridTemplateAdmin(SimpleHistoryAdmin):
    """A version is written as YAML; saving validates it (naming node and field of every
    error) and stores nothing on error; published versions are read-only."""

    list_display = ["code", "version", "title_it", "status", "published_at"]
    list_filter = ["status", "code"]
    search_fields = ["code", "title_it", "title_en"]
    fields = ["yaml", "code", "version", "status", "title_it", "title_en", "source", "licence"]
    readonly_fields = ["code", "version", "status", "title_it", "title_en", "source", "licence"]
    actions = ["publish", "retire"]

    def has_module_permission(self, request):
        return permissions.can_manage_templates(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_templates(request.user)

    has_add_permission = has_view_permission

    def has_change_permission(self, request, obj=None):
        allowed = permissions.can_manage_templates(request.user)
        return allowed and (obj is None or obj.status == GridTemplate.Status.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        def clean_yaml(this):
            text = this.cleaned_data["yaml"]
            parsed = actions.parse(text)  # ValidationError listing every problem
            if obj is not None and (parsed.code, parsed.version) != (obj.code, obj.version):
                raise ValidationError(_("Codice e versione non cambiano: crearne una nuova."))
            return text

        form.clean_yaml = clean_yaml
        return form

    def save_model(self, request, obj, form, change):
        saved, _changed = actions.load_template(
            request.user, form.cleaned_data["yaml"], reason=AUDIT_REASON
        )
        obj.pk = saved.pk

    @admin.action(description=_("Pubblica le versioni scelte"))
    def publish(self, request, queryset):
        self._each(request, queryset, actions.publish_template)

    @admin.action(description=_("Ritira le versioni scelte"))
    def retire(self, request, queryset):
        self._each(request, queryset, actions.retire_template)

    def _each(self, request, queryset, action):
        for template in queryset:
            try:
                action(request.user, template)
            except ValidationError as error:
                self.message_user(
                    request, f"{template}: {' '.join(error.messages)}", messages.ERROR
                )


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 1
    raw_id_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name_it", "template", "interregional", "synthetic"]
    list_filter = ["interregional", "synthetic"]
    search_fields = ["name_it", "name_en"]
    raw_id_fields = ["network", "template"]
    inlines = [MemberInline]
    formfield_overrides = FORMFIELD_OVERRIDES

    def get_readonly_fields(self, request, obj=None):
        # Published results are final: the ranking's tie-breaks and seed no longer change.
        if obj is not None and obj.results_published:
            return ["results_published_at", "tie_breaks", "ranking_seed"]
        return ["results_published_at"]

    def has_module_permission(self, request):
        return permissions.can_manage_templates(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_templates(request.user)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        audit.save(obj, request.user, AUDIT_REASON)

    def save_formset(self, request, form, formset, change):
        for member in formset.save(commit=False):
            audit.save(member, request.user, AUDIT_REASON)
        for member in formset.deleted_objects:
            audit.delete(member, request.user, AUDIT_REASON)


class ReadOnlyAdmin(ReadOnly, SimpleHistoryAdmin):
    """Changed on the portal through the actions (blind evaluation, conflicts); read here."""

    may_read = staticmethod(permissions.can_manage_templates)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["pk", "template", "subject", "mode", "evaluator", "state", "total", "outcome"]
    list_filter = ["state", "mode", "synthetic"]
    list_select_related = ["template", "evaluator", "subject_type"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["committee", "evaluator", "subject", "override_reason"]
    list_select_related = ["committee", "evaluator", "subject_type"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["committee", "evaluator", "subject", "has_conflict", "declared_at"]
    list_filter = ["has_conflict"]


@admin.register(ConsensusRecord)
class ConsensusRecordAdmin(ReadOnlyAdmin):
    list_display = ["committee", "subject", "recorded_by", "recorded_at"]
