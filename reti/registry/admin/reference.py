"""Reference lists: territories (from ISTAT, superusers only), periods, funds, themes, sources
and what the sources state of the cooperation as a whole."""

from django.contrib import admin

from .. import permissions
from ..models import Fund, ProgrammingPeriod, Source, Statement, Territory, Theme
from .base import RegistryAdmin


@admin.register(Territory)
class TerritoryAdmin(RegistryAdmin):
    list_display = ["code", "name_it", "level", "nuts_code", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["code", "name_it", "name_en", "nuts_code", "iso_code"]
    autocomplete_fields = ["parent"]

    def has_add_permission(self, request):
        return permissions.can_edit_territories(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit_territories(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_edit_territories(request.user)


@admin.register(ProgrammingPeriod)
class ProgrammingPeriodAdmin(RegistryAdmin):
    list_display = ["code", "start_year", "end_year"]


@admin.register(Fund)
class FundAdmin(RegistryAdmin):
    list_display = ["code", "name_it", "name_en"]
    search_fields = ["code", "name_it", "name_en"]


@admin.register(Theme)
class ThemeAdmin(RegistryAdmin):
    list_display = ["name_it", "name_en", "code", "parent"]
    list_select_related = ["parent"]
    search_fields = ["code", "name_it", "name_en"]
    autocomplete_fields = ["parent"]


@admin.register(Source)
class SourceAdmin(RegistryAdmin):
    list_display = ["title", "key", "place", "date"]
    search_fields = ["title", "key"]


@admin.register(Statement)
class StatementAdmin(RegistryAdmin):
    list_display = ["title_it", "key", "since_period", "source", "source_slides"]
    list_select_related = ["since_period", "source"]
    search_fields = ["title_it", "title_en", "key"]
