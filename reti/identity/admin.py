from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LinkedIdentity


@admin.register(LinkedIdentity)
class LinkedIdentityAdmin(SimpleHistoryAdmin):
    list_display = ("fiscal_number", "kind", "user", "linked_at", "last_used_at")
    list_filter = ("kind",)
    search_fields = ("fiscal_number", "user__username", "user__email")
    raw_id_fields = ("user",)
    readonly_fields = ("linked_at", "last_used_at")
