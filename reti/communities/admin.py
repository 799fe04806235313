"""Back office of communities: staff manage communities and members; the audit trail shows
every moderation. Posts are written on the portal."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reti.registry import permissions as registry_permissions

from . import actions
from .models import Community, Member


class StaffOnly:
    """Communities are set up by staff; moderators moderate on the portal."""

    def has_module_permission(self, request):
        return registry_permissions.is_registry_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return registry_permissions.is_registry_staff(request.user)

    def has_add_permission(self, request, obj=None):
        return registry_permissions.is_registry_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return registry_permissions.is_registry_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return registry_permissions.is_registry_staff(request.user)


class MemberInline(StaffOnly, admin.TabularInline):
    model = Member
    extra = 0
    fields = ["user", "role", "notify"]
    autocomplete_fields = ["user"]


@admin.register(Community)
class CommunityAdmin(StaffOnly, SimpleHistoryAdmin):
    list_display = ["name_it", "network", "theme", "is_public", "synthetic"]
    list_filter = ["is_public", "synthetic"]
    search_fields = ["name_it", "name_en", "slug"]
    autocomplete_fields = ["network", "theme"]
    prepopulated_fields = {"slug": ["name_it"]}
    inlines = [MemberInline]

    def revert_disabled(self, request, obj=None):
        return True

    def save_model(self, request, obj, form, change):
        actions.save_community(request.user, obj)
