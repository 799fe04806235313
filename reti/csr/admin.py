from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attestation,
    CallBonus,
    Candidacy,
    Company,
    CompanyClaim,
    CsrAssessment,
    Expert,
    Facilitation,
    ImprovementAction,
    LocalUnit,
    PrizeCategory,
    PrizeEdition,
)


class LocalUnitInline(admin.TabularInline):
    model = LocalUnit
    extra = 0


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ("organisation", "ateco_code", "size_class", "region", "synthetic")
    list_filter = ("size_class", "ateco_section", "region", "synthetic")
    search_fields = ("organisation__name_it", "organisation__vat_number")
    raw_id_fields = ("organisation", "created_by")
    readonly_fields = ("ateco_section", "size_class")
    inlines = [LocalUnitInline]


@admin.register(CompanyClaim)
class CompanyClaimAdmin(SimpleHistoryAdmin):
    list_display = ("user", "company", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "company", "decided_by")


@admin.register(Expert)
class ExpertAdmin(SimpleHistoryAdmin):
    list_display = ("user", "region", "active")
    list_filter = ("region", "active")
    raw_id_fields = ("user",)


@admin.register(CsrAssessment)
class CsrAssessmentAdmin(SimpleHistoryAdmin):
    """States and dates only: the answers are the company's and its validator's."""

    list_display = ("company", "year", "state", "level", "submitted_at")
    list_filter = ("state", "level", "year", "synthetic")
    fields = ("company", "year", "state", "level", "submitted_at", "decided_at", "validator")
    readonly_fields = fields


@admin.register(Attestation)
class AttestationAdmin(SimpleHistoryAdmin):
    list_display = ("company", "level", "valid_from", "valid_until", "revoked_at")
    list_filter = ("level",)
    readonly_fields = ("code", "csr_assessment", "company", "level", "total", "issued_by")


@admin.register(ImprovementAction)
class ImprovementActionAdmin(SimpleHistoryAdmin):
    list_display = ("company", "area", "description", "due_date", "status")
    list_filter = ("status", "area")


@admin.register(CallBonus)
class CallBonusAdmin(SimpleHistoryAdmin):
    list_display = ("call", "node")
    raw_id_fields = ("call",)


@admin.register(Facilitation)
class FacilitationAdmin(SimpleHistoryAdmin):
    list_display = ("title_it", "region", "required_level", "valid_from", "valid_until")
    list_filter = ("region", "required_level", "kind", "synthetic")


class PrizeCategoryInline(admin.TabularInline):
    model = PrizeCategory
    extra = 0


@admin.register(PrizeEdition)
class PrizeEditionAdmin(SimpleHistoryAdmin):
    list_display = ("year", "title_it", "deadline", "published_at")
    raw_id_fields = ("network", "grid")
    readonly_fields = ("published_at",)
    inlines = [PrizeCategoryInline]


@admin.register(Candidacy)
class CandidacyAdmin(SimpleHistoryAdmin):
    list_display = ("company", "edition", "category", "position", "award")
    list_filter = ("edition", "award")
    fields = ("edition", "category", "company", "initiative", "position", "award", "motivation")
    readonly_fields = fields
