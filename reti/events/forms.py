from django import forms
from django.utils.translation import gettext_lazy as _

from reti.lib import lists
from reti.lib.forms import PlainTextForm
from reti.registry.models import Network, Organisation, Project, Theme, WorkingGroup

from .models import Event, EventDocument, FollowUpItem, PeerReviewPoint, Registration


class StyledForm:
    """Bootstrap Italia's classes on the widgets: form-control, form-check-input."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(widget, forms.Select | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-control")


class RegistrationForm(PlainTextForm, forms.Form):
    """Who registers: a signed-in user may leave name and e-mail to their account's."""

    name = forms.CharField(label=_("Nome e cognome"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    affiliation = forms.CharField(label=_("Ente di appartenenza"), max_length=300, required=False)
    language = forms.ChoiceField(
        label=_("Lingua delle comunicazioni"), choices=Registration.Language.choices
    )
    public_consent = forms.BooleanField(
        label=_("Acconsento a comparire (nome ed ente) nell'elenco pubblico dei partecipanti"),
        required=False,
    )


class EventFilterForm(lists.FilterForm):
    """The events list's filters, named as the API's (reti/events/api.py)."""

    kind = forms.ChoiceField(choices=[("", ""), *Event.Kind.choices], required=False)
    network = forms.CharField(required=False, max_length=80)
    theme = forms.CharField(required=False, max_length=60)
    host = forms.IntegerField(required=False, min_value=1)
    when = forms.ChoiceField(choices=[("upcoming", ""), ("past", ""), ("all", "")], required=False)
    q = forms.CharField(required=False, max_length=200)


class EventForm(StyledForm, PlainTextForm, forms.ModelForm):
    online_url = forms.URLField(
        label=_("Collegamento online"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title_it",
            "title_en",
            "summary_it",
            "summary_en",
            "host",
            "network",
            "project",
            "working_group",
            "themes",
            "place",
            "online_url",
            "start",
            "end",
            "agenda_it",
            "agenda_en",
            "capacity",
            "registration_deadline",
        ]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "registration_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, hosts=None, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Organisers choose among the organisations and networks they act for.
        self.fields["host"].required = True
        self.fields["host"].queryset = hosts if hosts is not None else Organisation.objects.all()
        self.fields["network"].queryset = (
            networks if networks is not None else Network.objects.all()
        )
        self.fields["project"].queryset = Project.objects.none()
        self.fields["working_group"].queryset = WorkingGroup.objects.select_related("network")
        self.fields["themes"].queryset = Theme.objects.all()
        if self.instance.project_id:
            self.fields["project"].queryset = Project.objects.filter(pk=self.instance.project_id)
        self.fields["project"].help_text = _("Indicato dal back office.")


class DocumentForm(StyledForm, PlainTextForm, forms.ModelForm):
    class Meta:
        model = EventDocument
        fields = ["kind", "title", "file"]


class MinutesForm(StyledForm, PlainTextForm, forms.Form):
    minutes_it = forms.CharField(label=_("Verbale (italiano)"), widget=forms.Textarea)
    minutes_en = forms.CharField(
        label=_("Verbale (inglese)"), widget=forms.Textarea, required=False
    )


class ReviewPointForm(StyledForm, PlainTextForm, forms.ModelForm):
    class Meta:
        model = PeerReviewPoint
        fields = ["kind", "text", "answers"]

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answers"].queryset = PeerReviewPoint.objects.filter(
            event=event, kind=PeerReviewPoint.Kind.QUESTION
        )


class FollowUpForm(StyledForm, PlainTextForm, forms.ModelForm):
    class Meta:
        model = FollowUpItem
        fields = ["title", "owner", "due_date", "recommendation", "status", "note"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, event=None, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = PeerReviewPoint.objects.filter(
            event=event, kind=PeerReviewPoint.Kind.RECOMMENDATION
        )
        if owners is not None:
            self.fields["owner"].queryset = owners


class FollowUpStatusForm(StyledForm, PlainTextForm, forms.ModelForm):
    class Meta:
        model = FollowUpItem
        fields = ["status", "note"]
