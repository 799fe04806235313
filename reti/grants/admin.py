"""Back office of grants for staff and the intermediate body's officers: the same permissions
and actions as the portal (publish a call, amend it, publish a FAQ, verify or refuse a claim).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from reti.lib.admin import AUDIT_REASON, FORMFIELD_OVERRIDES
from reti.registry.permissions import is_registry_staff

from . import actions, permissions
from .models import (
    Admissibility,
    AdmissibilityCheck,
    Application,
    Call,
    CallAmendment,
    CallFAQ,
    CallLine,
    CostCategory,
    DocumentRequest,
    GlobalGrant,
    Grant,
    ManagementCost,
    Payment,
    Programme,
    Quota,
    Recovery,
    RepresentationClaim,
    RequiredAttachment,
    Revocation,
)


def _each(model_admin, request, queryset, action, *args):
    """Run `action` on each chosen row; report refusals by row, keep going."""
    done = 0
    for obj in queryset:
        try:
            action(request.user, obj, *args)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            model_admin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, _("Fatto: %(n)d.") % {"n": done}, messages.SUCCESS)


class OfficerAdmin(SimpleHistoryAdmin):
    """Seen by staff and the intermediate bodies' officers."""

    formfield_overrides = FORMFIELD_OVERRIDES
    show_full_result_count = False
    view_on_site = False

    def has_module_permission(self, request):
        return permissions.is_any_officer(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_any_officer(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True


class InstrumentAdmin(OfficerAdmin):
    def has_add_permission(self, request):
        return permissions.can_manage_instrument(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_manage_instrument(request.user)

    def save_model(self, request, obj, form, change):
        actions.save_instrument(request.user, obj, reason=AUDIT_REASON)


@admin.register(Programme)
class ProgrammeAdmin(InstrumentAdmin):
    list_display = ["code", "title_it", "managing_authority", "fund", "period"]
    search_fields = ["code", "title_it"]
    raw_id_fields = ["managing_authority"]


@admin.register(GlobalGrant)
class GlobalGrantAdmin(InstrumentAdmin):
    list_display = ["title_it", "programme", "intermediate_body", "allocation", "start_date"]
    list_select_related = ["programme", "intermediate_body"]
    search_fields = ["title_it"]
    raw_id_fields = ["intermediate_body"]


class CallPartInline(admin.TabularInline):
    """Lines, cost categories, required attachments: written while the call is a draft."""

    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES

    def has_add_permission(self, request, obj=None):
        return obj is None or permissions.can_edit_call(request.user, obj)

    has_change_permission = has_add_permission
    has_delete_permission = has_add_permission

    def has_view_permission(self, request, obj=None):
        return permissions.is_any_officer(request.user)


class LineInline(CallPartInline):
    model = CallLine


class CostCategoryInline(CallPartInline):
    model = CostCategory


class RequiredAttachmentInline(CallPartInline):
    model = RequiredAttachment


class FAQInline(CallPartInline):
    """FAQ can be added to a published call; each is published by the action, then fixed."""

    model = CallFAQ
    readonly_fields = ["published_at"]

    def has_add_permission(self, request, obj=None):
        return obj is None or permissions.is_officer(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or permissions.is_officer(request.user, obj)

    has_delete_permission = has_change_permission


class AmendmentInline(admin.TabularInline):
    """Amendments are recorded on their own page (they go through `amend_call`); listed here."""

    model = CallAmendment
    extra = 0
    fields = ["date", "act", "new_deadline", "text_it"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return permissions.is_any_officer(request.user)


@admin.register(Call)
class CallAdmin(OfficerAdmin):
    list_display = ["code", "title_it", "global_grant", "status", "opens_at", "deadline"]
    list_filter = ["status", "synthetic"]
    list_select_related = ["global_grant"]
    search_fields = ["code", "title_it"]
    raw_id_fields = ["global_grant", "grid_template"]
    filter_horizontal = ["eligible_territories"]
    readonly_fields = ["status", "published_at", "synthetic"]
    inlines = [LineInline, CostCategoryInline, RequiredAttachmentInline, FAQInline, AmendmentInline]
    actions = ["publish_call"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(permissions.visible_calls_q(request.user))

    def has_add_permission(self, request):
        return permissions.is_any_officer(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return permissions.is_any_officer(request.user)
        # A published call's page stays open for its FAQ; the call itself is read-only then.
        return permissions.is_officer(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Call.Status.DRAFT:
            return [f.name for f in Call._meta.fields] + ["eligible_territories", "themes"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        """Deferred to save_related, where the territories are known."""

    def save_related(self, request, form, formsets, change):
        call = form.instance
        if call.status == Call.Status.DRAFT:
            actions.save_call(request.user, call, reason=AUDIT_REASON)
            for name in ("eligible_territories", "themes"):
                if name in form.cleaned_data:
                    getattr(call, name).set(form.cleaned_data[name])
        for formset in formsets:
            formset.instance = call
            changed = formset.save(commit=False)
            if formset.model is CallAmendment:
                continue
            for obj in changed:
                actions.save_call_part(request.user, obj, reason=AUDIT_REASON)
            for obj in formset.deleted_objects:
                actions.delete_call_part(request.user, obj, reason=AUDIT_REASON)

    @admin.action(description=_("Pubblica i bandi scelti"))
    def publish_call(self, request, queryset):
        _each(self, request, queryset, actions.publish_call)


@admin.register(Quota)
class QuotaAdmin(OfficerAdmin):
    list_display = ["line", "territory", "applicant_type", "amount"]
    list_select_related = ["line__call", "territory"]
    raw_id_fields = ["line", "territory"]

    def get_queryset(self, request):
        visible = permissions.visible_calls_q(request.user)
        calls = Call.objects.filter(visible).values("pk")
        return super().get_queryset(request).filter(line__call__in=calls)

    def has_add_permission(self, request):
        return permissions.is_any_officer(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return permissions.is_any_officer(request.user)
        return permissions.can_edit_call(request.user, obj.line.call)

    def save_model(self, request, obj, form, change):
        actions.save_call_part(request.user, obj, reason=AUDIT_REASON)


@admin.register(CallAmendment)
class CallAmendmentAdmin(OfficerAdmin):
    """An amendment is added here and recorded by `amend_call`; it never changes after."""

    list_display = ["call", "date", "act", "new_deadline"]
    list_select_related = ["call"]
    raw_id_fields = ["call"]

    def get_queryset(self, request):
        calls = Call.objects.filter(permissions.visible_calls_q(request.user)).values("pk")
        return super().get_queryset(request).filter(call__in=calls)

    def has_add_permission(self, request):
        return permissions.is_any_officer(request.user)

    def has_change_permission(self, request, obj=None):
        return obj is None and permissions.is_any_officer(request.user)

    def save_model(self, request, obj, form, change):
        actions.amend_call(request.user, obj.call, obj)


@admin.register(CallFAQ)
class CallFAQAdmin(OfficerAdmin):
    list_display = ["call", "question_it", "published_at"]
    list_select_related = ["call"]
    list_filter = ["published_at"]
    raw_id_fields = ["call"]
    readonly_fields = ["published_at"]
    actions = ["publish_faq"]

    def get_queryset(self, request):
        calls = Call.objects.filter(permissions.visible_calls_q(request.user)).values("pk")
        return super().get_queryset(request).filter(call__in=calls)

    def has_add_permission(self, request):
        return permissions.is_any_officer(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return permissions.is_any_officer(request.user)
        return permissions.can_edit_faq(request.user, obj)

    def save_model(self, request, obj, form, change):
        actions.save_call_part(request.user, obj, reason=AUDIT_REASON)

    @admin.action(description=_("Pubblica i chiarimenti scelti"))
    def publish_faq(self, request, queryset):
        _each(self, request, queryset, actions.publish_faq)


class ClaimActionForm(ActionForm):
    refusal_reason = forms.CharField(label=_("Motivo del rifiuto"), required=False, max_length=1000)


@admin.register(RepresentationClaim)
class RepresentationClaimAdmin(OfficerAdmin):
    """Claims are made on the portal; officers verify them, or refuse them with the reason
    written next to the action."""

    list_display = ["organisation", "user", "tax_code", "legal_representative", "status"]
    list_filter = ["status"]
    list_select_related = ["organisation", "user"]
    search_fields = ["organisation__name_it", "tax_code", "user__username"]
    fields = [
        "user",
        "organisation",
        "tax_code",
        "runts_section",
        "runts_number",
        "legal_representative",
        "status",
        "decided_by",
        "decided_at",
        "refusal_reason",
    ]
    readonly_fields = fields
    actions = ["verify_claim", "refuse_claim"]
    action_form = ClaimActionForm

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and permissions.is_any_officer(request.user)

    @admin.action(description=_("Verifica le richieste scelte"))
    def verify_claim(self, request, queryset):
        _each(self, request, queryset, actions.verify_claim)

    @admin.action(description=_("Respingi le richieste scelte con il motivo indicato"))
    def refuse_claim(self, request, queryset):
        reason = request.POST.get("refusal_reason", "")
        _each(self, request, queryset, actions.refuse_claim, reason)


@admin.register(Application)
class ApplicationAdmin(OfficerAdmin):
    """Submitted and withdrawn applications, read-only (drafts stay private)."""

    list_display = ["title", "organisation", "call", "line", "status", "submitted_at"]
    list_filter = ["status", "call"]
    list_select_related = ["organisation", "call", "line"]
    search_fields = ["title", "organisation__name_it", "receipt__protocol_number"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(permissions.visible_applications_q(request.user))
            .exclude(status=Application.Status.DRAFT)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return permissions.is_any_officer(request.user) or is_registry_staff(request.user)


class _ExaminationAdmin(OfficerAdmin):
    """Read-only: the istruttoria is recorded through its pages and actions (audited), never
    edited here; officers see the records of their own intermediate bodies' calls."""

    application_path = "application"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_registry_staff(request.user):
            return queryset
        bodies = permissions.officer_body_ids(request.user)
        return queryset.filter(
            **{f"{self.application_path}__call__global_grant__intermediate_body_id__in": bodies}
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Admissibility)
class AdmissibilityAdmin(_ExaminationAdmin):
    list_display = ["application", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["application__organisation", "decided_by"]
    search_fields = ["application__receipt__protocol_number", "application__organisation__name_it"]
    readonly_fields = ["application", "outcome", "reasons", "decided_by", "decided_at"]


@admin.register(AdmissibilityCheck)
class AdmissibilityCheckAdmin(_ExaminationAdmin):
    application_path = "admissibility__application"
    list_display = ["admissibility", "code", "source", "computed", "result", "recorded_at"]
    list_filter = ["source", "result"]
    list_select_related = ["admissibility__application__organisation"]
    readonly_fields = [
        "admissibility", "code", "source", "position", "label_it", "label_en", "computed",
        "detail_it", "detail_en", "result", "note", "recorded_by", "recorded_at",
    ]  # fmt: skip


@admin.register(DocumentRequest)
class DocumentRequestAdmin(_ExaminationAdmin):
    list_display = ["application", "status", "asked_at", "deadline", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["application__organisation"]
    search_fields = ["application__receipt__protocol_number", "application__organisation__name_it"]
    readonly_fields = [
        "application", "text", "deadline", "status", "asked_by", "asked_at", "answer_text",
        "answer_name", "answer_size", "answer_sha256", "answered_by", "answered_at",
    ]  # fmt: skip
    exclude = ["answer_file"]  # downloaded from the istruttoria's page, where access is checked


# --- grant management: read-only here (every change goes through its page and action) ------


class _ManagementAdmin(_ExaminationAdmin):
    """Grants and their money records, read-only: the officers of the body see their own
    calls' records, staff all; every field is read-only."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Grant)
class GrantAdmin(_ManagementAdmin):
    list_display = ["cup", "application", "status", "amount", "decree_number", "decree_date"]
    list_filter = ["status", "application__call"]
    list_select_related = ["application__organisation"]
    search_fields = ["cup", "decree_number", "application__organisation__name_it"]


@admin.register(Payment)
class PaymentAdmin(_ManagementAdmin):
    application_path = "grant__application"
    list_display = ["grant", "kind", "amount", "status", "prepared_at", "approved_at", "paid_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["grant"]
    search_fields = ["grant__cup", "payment_reference"]


@admin.register(Revocation)
class RevocationAdmin(_ManagementAdmin):
    application_path = "grant__application"
    list_display = ["grant", "kind", "amount", "to_recover", "act", "decided_at"]
    list_filter = ["kind"]
    list_select_related = ["grant"]
    search_fields = ["grant__cup", "act"]


@admin.register(Recovery)
class RecoveryAdmin(_ManagementAdmin):
    application_path = "revocation__grant__application"
    list_display = ["revocation", "amount", "date", "reference", "recorded_at"]
    list_select_related = ["revocation__grant"]
    search_fields = ["revocation__grant__cup", "reference"]


@admin.register(ManagementCost)
class ManagementCostAdmin(OfficerAdmin):
    """The intermediate body's management costs (for the instrument report): its officers
    record them here, through `record_management_cost` (audited)."""

    list_display = ["global_grant", "call", "year", "description", "amount"]
    list_filter = ["year", "global_grant"]
    list_select_related = ["global_grant", "call"]
    search_fields = ["description"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_registry_staff(request.user):
            return queryset
        bodies = permissions.officer_body_ids(request.user)
        return queryset.filter(global_grant__intermediate_body_id__in=bodies)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("global_grant", "call") and not is_registry_staff(request.user):
            bodies = permissions.officer_body_ids(request.user)
            path = (
                "intermediate_body_id__in"
                if db_field.name == "global_grant"
                else ("global_grant__intermediate_body_id__in")
            )
            kwargs["queryset"] = db_field.related_model.objects.filter(**{path: bodies})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return permissions.is_any_officer(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return permissions.is_any_officer(request.user)
        return permissions.can_record_management_cost(request.user, obj.global_grant)

    def save_model(self, request, obj, form, change):
        actions.record_management_cost(request.user, obj, reason=AUDIT_REASON)
