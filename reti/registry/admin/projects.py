"""Projects with their partnerships and actions."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import OuterRef, Subquery
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from reti.lib.admin import AUDIT_REASON, m2m_data

from .. import actions, permissions
from ..models import Action, Organisation, Partnership, Project
from .base import (
    AuditedRegistryAdmin,
    StackedRegistryInline,
    TabularRegistryInline,
)
from .organisations import PROVENANCE, TIMESTAMPS
from .widgets import LabelledAutocompleteSelect


class PartnershipFormSet(forms.BaseInlineFormSet):
    """Labels the organisation of every row from the partnerships read with their
    organisations, instead of a query per row (see LabelledAutocompleteSelect)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        widget = form.fields["organisation"].widget
        widget = getattr(widget, "widget", widget)  # inside the add/change/view wrapper
        if isinstance(widget, LabelledAutocompleteSelect):
            widget.labels = self._organisation_labels
        return form

    @cached_property
    def _organisation_labels(self) -> dict[str, str]:
        return {str(p.organisation_id): str(p.organisation) for p in self.get_queryset()}


class PartnershipInline(TabularRegistryInline):
    model = Partnership
    formset = PartnershipFormSet
    fields = ["organisation", "role", "start_date", "end_date", "contribution_it"]
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["widget"] = LabelledAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProjectActionInline(StackedRegistryInline):
    model = Action
    fk_name = "project"
    fields = [("kind", "level"), ("title_it", "title_en"), ("description_it", "description_en")]


class ProjectAddForm(forms.ModelForm):
    """A new project names its lead: an editor's project is led by their organisation."""

    lead = forms.ModelChoiceField(
        label=_("capofila"), queryset=Organisation.objects.all(), required=False
    )


def _limit_lead(field, user, admin_site) -> None:
    if permissions.is_registry_staff(user):
        widget = AutocompleteSelect(Partnership._meta.get_field("organisation"), admin_site)
        widget.choices = field.choices
        field.widget = widget
        return
    field.queryset = Organisation.objects.filter(pk__in=permissions.editable_organisation_ids(user))
    field.required = True


class EditableByMeFilter(admin.SimpleListFilter):
    title = _("permessi")
    parameter_name = "editable"

    def lookups(self, request, model_admin):
        if permissions.is_registry_staff(request.user):
            return []
        return [("1", _("Modificabili da me"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(permissions.editable_projects_q(request.user))
        return queryset


@admin.register(Project)
class ProjectAdmin(AuditedRegistryAdmin):
    list_display = ["display_title", "acronym", "lead_name", "kind", "status", "period"]
    list_filter = [EditableByMeFilter, "status", "kind", "period", "fund", "synthetic"]
    list_select_related = ["period"]
    # Each extra substring field is one more scan of millions of rows.
    search_fields = ["title_it", "=acronym", "=cup"]
    search_help_text = _("Cerca nel titolo italiano; sigla e CUP esatti.")
    list_per_page = 50
    # Newest first on the primary key: other orderings would sort millions of rows.
    sortable_by = []
    autocomplete_fields = ["themes", "networks"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title_it", "title_en", "acronym", "cup", "kind", "status"]}),
        (_("Programmazione"), {"fields": ["period", "fund", "themes", "networks"]}),
        (_("Finalità"), {"fields": [("objectives_it", "objectives_en")]}),
        (_("Risultati"), {"fields": [("results_it", "results_en")]}),
        (_("Tempi e budget"), {"fields": [("start_date", "end_date"), "budget"]}),
        (
            _("Partner dichiarati"),
            {"fields": ["declared_partner_count", ("partners_note_it", "partners_note_en")]},
        ),
        PROVENANCE,
        TIMESTAMPS,
    ]
    inlines = [PartnershipInline, ProjectActionInline]

    @admin.display(description=_("titolo"))
    def display_title(self, obj):
        return obj.title

    @admin.display(description=_("capofila"))
    def lead_name(self, obj):
        return obj.lead_name or "—"

    def get_queryset(self, request):
        lead = Partnership.objects.filter(
            project=OuterRef("pk"), role=Partnership.Role.LEAD
        ).values("organisation__name_it")[:1]
        return super().get_queryset(request).annotate(lead_name=Subquery(lead))

    def has_add_permission(self, request):
        return permissions.is_editor(request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return [(_("Capofila"), {"fields": ["lead"]}), *fieldsets]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        base = super().get_form(request, obj, change=change, form=ProjectAddForm, **kwargs)
        user, site = request.user, self.admin_site

        class AddForm(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                _limit_lead(self.fields["lead"], user, site)

        return AddForm

    def save_with_action(self, request, obj, form, change):
        actions.save_project(
            request.user,
            obj,
            lead=None if change else form.cleaned_data.get("lead"),
            m2m=m2m_data(form),
            reason=AUDIT_REASON,
        )
