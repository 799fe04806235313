"""Organisations, people and their roles in organisations."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reti.lib.admin import AUDIT_REASON

from .. import actions
from ..models import Affiliation, Organisation, Person
from .base import AuditedRegistryAdmin, TabularRegistryInline

PROVENANCE = (_("Fonte"), {"fields": ["source", "source_slides", "synthetic"]})
TIMESTAMPS = (_("Registrazione"), {"fields": ["created_at", "updated_at"]})


@admin.register(Organisation)
class OrganisationAdmin(AuditedRegistryAdmin):
    list_display = ["name_it", "acronym", "kind", "territory", "status", "synthetic"]
    list_filter = ["kind", "status", "synthetic"]
    list_select_related = ["territory"]
    # Each extra substring field is one more scan of hundreds of thousands of rows.
    search_fields = ["name_it", "=acronym", "=tax_code", "=vat_number"]
    search_help_text = _("Cerca nel nome italiano; sigla, codice fiscale e partita IVA esatti.")
    list_per_page = 50
    autocomplete_fields = ["parent", "territory"]
    readonly_fields = ["created_at", "updated_at"]
    sortable_by = ["name_it"]
    fieldsets = [
        (None, {"fields": ["name_it", "name_en", "acronym", "kind", "runts_section", "status"]}),
        (_("Collocazione"), {"fields": ["parent", "territory", "website"]}),
        (_("Identificativi fiscali"), {"fields": ["tax_code", "vat_number"]}),
        (_("Note"), {"fields": ["note_it", "note_en"]}),
        PROVENANCE,
        TIMESTAMPS,
    ]

    def save_with_action(self, request, obj, form, change):
        actions.save_organisation(request.user, obj, reason=AUDIT_REASON)


class AffiliationInline(TabularRegistryInline):
    model = Affiliation
    fields = ["organisation", "position", "start_date", "end_date"]
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(AuditedRegistryAdmin):
    """Contact people: personal data, so the back office shows them to staff only."""

    staff_only = True
    list_display = ["family_name", "given_name", "email", "public_consent"]
    list_filter = ["public_consent", "synthetic"]
    search_fields = ["family_name", "given_name", "email"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AffiliationInline]


@admin.register(Affiliation)
class AffiliationAdmin(AuditedRegistryAdmin):
    staff_only = True
    list_display = ["person", "position", "organisation", "start_date", "end_date"]
    list_select_related = ["person", "organisation"]
    search_fields = ["person__family_name", "organisation__name_it", "position"]
    autocomplete_fields = ["person", "organisation"]
