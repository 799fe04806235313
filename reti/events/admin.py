"""Back office of events: organisers see their events; every save goes through actions."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from reti.lib.admin import AUDIT_REASON, FORMFIELD_OVERRIDES, LargeTablePaginator
from reti.registry import permissions as registry_permissions

from . import actions, permissions
from .models import Event, EventDocument, FollowUpItem, PeerReviewPoint, Registration


class OrganiserInline(admin.options.InlineModelAdmin):
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES

    def has_view_permission(self, request, obj=None):
        return registry_permissions.is_editor(request.user)

    def has_add_permission(self, request, obj):
        return obj is not None and permissions.can_organise(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is not None and permissions.can_organise(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class RegistrationInline(OrganiserInline, admin.TabularInline):
    model = Registration
    fields = ["position", "name", "email", "affiliation", "status", "public_consent", "attended"]
    readonly_fields = ["position", "name", "email", "affiliation", "status", "public_consent"]
    ordering = ["position"]

    def has_add_permission(self, request, obj):
        return False  # people register on the portal or through the API


class DocumentInline(OrganiserInline, admin.TabularInline):
    model = EventDocument
    fields = ["kind", "title", "file"]


class ReviewPointInline(OrganiserInline, admin.StackedInline):
    model = PeerReviewPoint
    fields = [("kind", "answers", "author"), "text"]
    autocomplete_fields = ["author"]


class FollowUpInline(OrganiserInline, admin.TabularInline):
    model = FollowUpItem
    fields = ["title", "owner", "due_date", "status", "recommendation", "note"]
    autocomplete_fields = ["owner"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title_it", "kind", "start", "host", "network", "capacity", "synthetic"]
    list_filter = ["kind", "synthetic"]
    search_fields = ["title_it", "title_en"]
    date_hierarchy = "start"
    list_select_related = ["host", "network"]
    autocomplete_fields = ["host", "network", "project", "working_group", "themes"]
    raw_id_fields = ["practices"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [RegistrationInline, DocumentInline, ReviewPointInline, FollowUpInline]
    show_full_result_count = False
    paginator = LargeTablePaginator
    formfield_overrides = FORMFIELD_OVERRIDES
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["kind", ("title_it", "title_en"), ("summary_it", "summary_en")]}),
        (None, {"fields": ["host", "network", "project", "working_group", "themes", "practices"]}),
        (
            None,
            {
                "fields": [
                    ("start", "end"),
                    "place",
                    "online_url",
                    ("capacity", "registration_deadline"),
                ]
            },
        ),
        (None, {"fields": [("agenda_it", "agenda_en"), ("minutes_it", "minutes_en")]}),
        (None, {"fields": ["synthetic", ("created_at", "updated_at")]}),
    ]

    def revert_disabled(self, request, obj=None):
        return True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = permissions.organised_event_filter(request.user)
        if scope is None:
            return queryset
        return queryset.filter(Q(host_id__in=scope["orgs"]) | Q(network_id__in=scope["networks"]))

    def has_module_permission(self, request):
        return registry_permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return registry_permissions.is_editor(request.user)

    def has_add_permission(self, request):
        return registry_permissions.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return registry_permissions.is_editor(request.user)
        return permissions.can_organise(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return registry_permissions.is_registry_staff(request.user)

    def save_model(self, request, obj, form, change):
        actions.save_event(request.user, obj, reason=AUDIT_REASON)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        obj.themes.set(form.cleaned_data["themes"])
        obj.practices.set(form.cleaned_data["practices"])
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        saves = {
            PeerReviewPoint: actions.save_review_point,
            FollowUpItem: actions.save_follow_up,
        }
        for obj in formset.save(commit=False):
            if isinstance(obj, Registration):
                actions.record_attendance(request.user, obj.event, {obj.pk: obj.attended})
            elif isinstance(obj, EventDocument):
                actions.add_document(
                    request.user, obj.event, kind=obj.kind, title=obj.title, file=obj.file
                )
            elif type(obj) in saves:
                saves[type(obj)](request.user, obj)
            else:
                raise PermissionDenied
