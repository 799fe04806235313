"""Forms of the portal's pages: a practice and its results, contacts and links, an upload, a
review, a transfer."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reti.lib.forms import PlainTextForm
from reti.registry.models import Network, Organisation, Project, Territory, Theme
from reti.registry.permissions import editable_organisation_ids, is_registry_staff

from .models import (
    GoodPractice,
    PracticeContact,
    PracticeLink,
    PracticeResult,
    TargetGroup,
    Transfer,
)
from .models.practices import TEXT_FIELDS

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class StyledForm:
    """Bootstrap Italia's classes on the widgets (checkboxes and files keep their own)."""

    def style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.FileInput):
                continue
            widget.attrs.setdefault("class", "form-control")


def _ids(value: str, label: str) -> list[int]:
    ids = []
    for part in (value or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValidationError(
                _("%(label)s: «%(part)s» non è un numero identificativo.")
                % {"label": label, "part": part}
            )
        ids.append(int(part))
    return ids


class PracticeForm(StyledForm, PlainTextForm, forms.ModelForm):
    """Create or edit a practice; organisations, projects and territories by id or code."""

    territory_code = forms.CharField(
        label=_("Territorio (codice ISTAT o NUTS)"),
        required=False,
        max_length=12,
        help_text=_("Es. 09 per la Toscana, 048 per la Città metropolitana di Firenze."),
    )
    project_id = forms.IntegerField(
        label=_("Progetto di origine (numero identificativo)"), required=False, min_value=1
    )
    partner_ids = forms.CharField(
        label=_("Organizzazioni partner (numeri identificativi, separati da virgole)"),
        required=False,
        max_length=2000,
    )

    class Meta:
        model = GoodPractice
        fields = [
            "title_it",
            "title_en",
            *[f"{name}_{lang}" for name in TEXT_FIELDS for lang in ("it", "en")],
            "status_it",
            "status_en",
            "lead_organisation",
            "network",
            "period",
            "start_date",
            "end_date",
            "fund",
            "amount",
            "themes",
            "target_groups",
        ]
        widgets = {
            **{f"{name}_{lang}": TEXTAREA for name in TEXT_FIELDS for lang in ("it", "en")},
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "themes": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        leads = Organisation.objects.order_by("name_it")
        if not is_registry_staff(user):
            leads = leads.filter(pk__in=editable_organisation_ids(user))
        else:
            # Staff may name any organisation: by id, since there are hundreds of thousands.
            self.fields["lead_organisation"] = forms.ModelChoiceField(
                queryset=leads,
                label=_("Organizzazione capofila (numero identificativo)"),
                widget=forms.NumberInput,
            )
        self.fields["lead_organisation"].queryset = leads
        self.fields["network"].queryset = Network.objects.order_by("name_it")
        self.fields["themes"].queryset = Theme.objects.order_by("name_it")
        self.fields["target_groups"].queryset = TargetGroup.objects.order_by("name_it")
        practice = self.instance
        if practice.pk:
            self.initial.setdefault(
                "territory_code", practice.territory.code if practice.territory_id else ""
            )
            self.initial.setdefault("project_id", practice.project_id)
            self.initial.setdefault(
                "partner_ids",
                ", ".join(
                    str(pk) for pk in practice.partner_organisations.values_list("pk", flat=True)
                ),
            )

    def clean_territory_code(self):
        code = self.cleaned_data["territory_code"].strip()
        if not code:
            return None
        try:
            return Territory.objects.by_code(code)
        except (Territory.DoesNotExist, Territory.MultipleObjectsReturned) as exc:
            raise ValidationError(_("Territorio sconosciuto: %(code)s") % {"code": code}) from exc

    def clean_project_id(self):
        pk = self.cleaned_data["project_id"]
        if pk is None:
            return None
        project = Project.objects.filter(pk=pk).first()
        if project is None:
            raise ValidationError(_("Nessun progetto con il numero %(pk)s.") % {"pk": pk})
        return project

    def clean_partner_ids(self):
        ids = _ids(self.cleaned_data["partner_ids"], str(self.fields["partner_ids"].label))
        found = list(Organisation.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {org.pk for org in found})
        if missing:
            raise ValidationError(
                _("Organizzazioni inesistenti: %(ids)s") % {"ids": ", ".join(map(str, missing))}
            )
        return found

    def practice(self) -> tuple[GoodPractice, dict]:
        """The practice with the form's values (unsaved) and its many-to-many values."""
        practice = super().save(commit=False)
        practice.territory = self.cleaned_data["territory_code"]
        practice.project = self.cleaned_data["project_id"]
        m2m = {
            "themes": self.cleaned_data["themes"],
            "target_groups": self.cleaned_data["target_groups"],
            "partner_organisations": self.cleaned_data["partner_ids"],
        }
        return practice, m2m


class AttachmentForm(StyledForm, PlainTextForm, forms.Form):
    file = forms.FileField(
        label=_("File (PDF, DOCX, ODT, PNG o JPEG, al massimo 20 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.png,.jpg,.jpeg"}),
    )
    title = forms.CharField(label=_("Titolo dell'allegato"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class ValidateForm(StyledForm, PlainTextForm, forms.Form):
    comment = forms.CharField(
        label=_("Commento di validazione"),
        widget=TEXTAREA,
        max_length=5000,
        error_messages={"required": _("Scrivere un commento di validazione.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class SendBackForm(StyledForm, PlainTextForm, forms.Form):
    reasons = forms.CharField(
        label=_("Motivi del rinvio"),
        widget=TEXTAREA,
        max_length=5000,
        error_messages={"required": _("Indicare i motivi del rinvio.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class TransferForm(StyledForm, PlainTextForm, forms.ModelForm):
    """Record a transfer: the adopting organisation by id, its region by code."""

    adopting_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        label=_("Organizzazione che adotta (numero identificativo)"),
        widget=forms.NumberInput,
    )
    region_code = forms.CharField(
        label=_("Regione che adotta (codice ISTAT, facoltativo)"), required=False, max_length=12
    )

    class Meta:
        model = Transfer
        fields = [
            "adopting_organisation",
            "stage",
            "adapted_it",
            "adapted_en",
            "results_it",
            "results_en",
            "start_date",
            "end_date",
        ]
        widgets = {
            "adapted_it": TEXTAREA,
            "adapted_en": TEXTAREA,
            "results_it": TEXTAREA,
            "results_en": TEXTAREA,
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        if not code:
            return None
        try:
            return Territory.objects.by_code(code)
        except (Territory.DoesNotExist, Territory.MultipleObjectsReturned) as exc:
            raise ValidationError(_("Territorio sconosciuto: %(code)s") % {"code": code}) from exc

    def transfer(self, practice) -> Transfer:
        transfer = super().save(commit=False)
        transfer.practice = practice
        transfer.adopting_region = self.cleaned_data["region_code"]
        return transfer


class PartForm(StyledForm, PlainTextForm, forms.ModelForm):
    """A row of a practice's results, contacts or links (the practice is set by the formset)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class ResultForm(PartForm):
    class Meta:
        model = PracticeResult
        fields = ["label_it", "label_en", "value", "unit", "evidence"]


class ContactForm(PartForm):
    """A contact typed by hand: published only with the person's consent, recorded here."""

    class Meta:
        model = PracticeContact
        fields = ["name", "role", "email", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["consent"].label = _(
            "La persona ha acconsentito alla pubblicazione di nome, ruolo ed e-mail"
        )

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("consent"):
            self.add_error(
                "consent",
                _("Un contatto scritto a mano richiede il consenso alla pubblicazione."),
            )
        return data


class LinkForm(PartForm):
    url = forms.URLField(
        label=_("Indirizzo (http:// o https://)"), max_length=500, assume_scheme="https"
    )

    class Meta:
        model = PracticeLink
        fields = ["url", "label_it", "label_en"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.startswith(("http://", "https://")):
            raise ValidationError(_("Il collegamento deve iniziare con http:// o https://."))
        return url


def _formset(form):
    return forms.inlineformset_factory(
        GoodPractice, form.Meta.model, form=form, fk_name="practice", extra=1, can_delete=True,
        max_num=50, validate_max=True,
    )  # fmt: skip


# The practice's hand-typed contacts only: contacts that are registry people are managed in
# the back office (the page lists them).
ResultFormSet = _formset(ResultForm)
ContactFormSet = _formset(ContactForm)
LinkFormSet = _formset(LinkForm)
PART_FORMSETS = {"figures": ResultFormSet, "contacts": ContactFormSet, "links": LinkFormSet}
PART_LABELS = {
    "figures": _("Risultato %(n)s"),
    "contacts": _("Contatto %(n)s"),
    "links": _("Collegamento %(n)s"),
}


def part_formsets(practice, data=None) -> dict:
    """The three formsets of a practice's parts, bound to `data` when posted."""
    formsets = {}
    for prefix, formset in PART_FORMSETS.items():
        queryset = getattr(practice, prefix).all()
        if prefix == "contacts":
            queryset = queryset.filter(person__isnull=True)
        formsets[prefix] = formset(data, instance=practice, queryset=queryset, prefix=prefix)
    return formsets


def part_errors(formsets: dict) -> list[str]:
    """Every error of the formsets, each naming its row and field: "Risultato 2 — valore: …"."""
    errors = []
    for prefix, formset in formsets.items():
        errors += [str(error) for error in formset.non_form_errors()]
        for index, form in enumerate(formset.forms, start=1):
            row = PART_LABELS[prefix] % {"n": index}
            for field, messages in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for message in messages:
                    errors.append(f"{row} — {label}: {message}" if label else f"{row}: {message}")
    return errors
