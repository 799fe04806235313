"""Networks with their governing roles, working groups, links and actions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reti.lib.admin import AUDIT_REASON, m2m_data

from .. import actions, permissions
from ..models import Action, GoverningRole, Network, NetworkLink, WorkingGroup
from .base import (
    AuditedRegistryAdmin,
    StackedRegistryInline,
    TabularRegistryInline,
)
from .organisations import PROVENANCE, TIMESTAMPS


class GoverningRoleInline(TabularRegistryInline):
    model = GoverningRole
    fields = ["organisation", "role", "start_date", "end_date", "attested_on", "source_slides"]
    autocomplete_fields = ["organisation"]


class WorkingGroupInline(StackedRegistryInline):
    model = WorkingGroup
    fields = [
        ("title_it", "title_en"),
        ("programme_year", "coordinator"),
        "themes",
        ("priorities_it", "priorities_en"),
        ("programme_it", "programme_en"),
    ]
    autocomplete_fields = ["coordinator", "themes"]
    show_change_link = True


class NetworkLinkInline(TabularRegistryInline):
    model = NetworkLink
    fk_name = "from_network"
    fields = ["kind", "to_network", "note_it", "source_slides"]
    autocomplete_fields = ["to_network"]
    verbose_name_plural = _("collegamenti verso altre reti")


class NetworkActionInline(StackedRegistryInline):
    model = Action
    fk_name = "network"
    fields = [("kind", "level"), ("title_it", "title_en"), ("description_it", "description_en")]


@admin.register(Network)
class NetworkAdmin(AuditedRegistryAdmin):
    list_display = ["name_it", "acronym", "scope", "status", "synthetic"]
    list_filter = ["scope", "status", "synthetic", "periods"]
    search_fields = ["name_it", "name_en", "acronym", "slug"]
    sortable_by = ["name_it"]
    # As for organisations and projects: a page of the change list costs its rows' rendering.
    list_per_page = 50
    autocomplete_fields = ["themes"]
    filter_horizontal = ["periods"]
    prepopulated_fields = {"slug": ["name_it"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name_it", "name_en", "acronym", "slug", "scope", "status"]}),
        (_("Finalità"), {"fields": ["purpose_it", "purpose_en", "themes", "periods"]}),
        (
            _("Vita e membri"),
            {"fields": [("start_date", "end_date"), "declared_member_count", "website"]},
        ),
        PROVENANCE,
        TIMESTAMPS,
    ]
    inlines = [GoverningRoleInline, WorkingGroupInline, NetworkLinkInline, NetworkActionInline]

    def has_add_permission(self, request):
        return permissions.can_create_network(request.user)

    def save_with_action(self, request, obj, form, change):
        actions.save_network(request.user, obj, m2m=m2m_data(form), reason=AUDIT_REASON)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(AuditedRegistryAdmin):
    list_display = ["title_it", "network", "programme_year", "coordinator"]
    list_filter = ["programme_year"]
    list_select_related = ["network", "coordinator"]
    search_fields = ["title_it", "title_en", "network__acronym", "network__name_it"]
    autocomplete_fields = ["network", "coordinator", "themes", "related_networks"]
    readonly_fields = ["created_at", "updated_at"]
