"""Forms of the grants pages: the claim, a new application, the application with its rows."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reti.lib.forms import PlainTextForm
from reti.registry.models import Organisation, Territory
from reti.registry.validators import compact_tax_code, validate_codice_fiscale

from .models import (
    Application,
    ApplicationPartner,
    BudgetItem,
    IndicatorTarget,
    RepresentationClaim,
)
from .models.applications import INDICATOR_CODES, INDICATOR_NAMES

MONEY_INPUT = {"inputmode": "decimal", "autocomplete": "off"}


def _by_tax_code(code: str) -> Organisation | None:
    return Organisation.objects.filter(tax_code=compact_tax_code(code)).first()


class ClaimForm(PlainTextForm, forms.ModelForm):
    """The organisation is found in the registry by the fiscal code the user types."""

    class Meta:
        model = RepresentationClaim
        fields = ["tax_code", "runts_section", "runts_number", "legal_representative"]

    def clean_tax_code(self):
        code = compact_tax_code(self.cleaned_data["tax_code"]) or ""
        validate_codice_fiscale(code)
        organisation = _by_tax_code(code)
        if organisation is None:
            raise forms.ValidationError(
                _(
                    "Nessuna organizzazione del registro ha questo codice fiscale: chiedi "
                    "all'organismo intermedio di registrarla."
                )
            )
        self.instance.organisation = organisation
        return code


class NewApplicationForm(PlainTextForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organizzazione proponente"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Titolo del progetto"), max_length=300)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ApplicationForm(PlainTextForm, forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "title",
            "summary",
            "objectives",
            "target_groups",
            "activities",
            "line",
            "territory",
            "requested_amount",
            "cofinancing_amount",
            *Application.DECLARATIONS,
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "target_groups": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 6}),
            "requested_amount": forms.TextInput(attrs=MONEY_INPUT),
            "cofinancing_amount": forms.TextInput(attrs=MONEY_INPUT),
        }

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = call.lines.all()
        eligible = call.eligible_territories.all()
        levels = [Territory.Level.REGION, Territory.Level.AUTONOMOUS_PROVINCE]
        levels.append(Territory.Level.PROVINCE)
        choices = Q(pk__in=eligible.values("pk")) if eligible.exists() else Q(level__in=levels)
        # The organisation's own territory (set on creation) stays choosable whatever its level.
        current = Q(pk=self.instance.territory_id) if self.instance.territory_id else Q(pk=None)
        self.fields["territory"].queryset = Territory.objects.filter(choices | current).order_by(
            "name_it"
        )
        for name in ("requested_amount", "cofinancing_amount"):
            self.fields[name].localize = True
            self.fields[name].widget.is_localized = True


class BudgetRowForm(PlainTextForm, forms.Form):
    category = forms.ModelChoiceField(label=_("Categoria di spesa"), queryset=None)
    description = forms.CharField(label=_("Descrizione"), max_length=300, required=False)
    amount = forms.DecimalField(
        label=_("Importo (euro)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        localize=True,
        widget=forms.TextInput(attrs=MONEY_INPUT),
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = call.cost_categories.all()

    def row(self):
        return BudgetItem(
            category=self.cleaned_data["category"],
            description=self.cleaned_data["description"],
            amount=self.cleaned_data["amount"],
        )


class PartnerRowForm(PlainTextForm, forms.Form):
    tax_code = forms.CharField(
        label=_("Codice fiscale (se nel registro)"), max_length=20, required=False
    )
    name = forms.CharField(label=_("Nome (se non è nel registro)"), max_length=300, required=False)
    role = forms.CharField(label=_("Ruolo nel progetto"), max_length=300)
    share = forms.DecimalField(
        label=_("Quota del budget (euro)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        localize=True,
        widget=forms.TextInput(attrs=MONEY_INPUT),
    )

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_tax_code(self):
        code = self.cleaned_data["tax_code"]
        if not code:
            return ""
        organisation = _by_tax_code(code)
        if organisation is None:
            raise forms.ValidationError(
                _("Nessuna organizzazione del registro ha questo codice fiscale: indica il nome.")
            )
        self.organisation = organisation
        return code

    def row(self):
        return ApplicationPartner(
            organisation=getattr(self, "organisation", None),
            name=self.cleaned_data["name"] if not self.cleaned_data["tax_code"] else "",
            role=self.cleaned_data["role"],
            share=self.cleaned_data["share"],
        )


class TargetRowForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Indicatore FSE+"),
        # A blank first choice, so an empty extra row stays empty (a select always sends one).
        choices=[("", "—")]
        + [(code, f"{code} — {INDICATOR_NAMES[code]}") for code in INDICATOR_CODES],
    )
    target = forms.IntegerField(label=_("Valore obiettivo"), min_value=0)

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)

    def row(self):
        return IndicatorTarget(code=self.cleaned_data["code"], target=self.cleaned_data["target"])


ROWS = {
    # related name on Application: (form, formset prefix, extra empty rows)
    "budget_items": (BudgetRowForm, "budget", 2),
    "partners": (PartnerRowForm, "partners", 1),
    "indicator_targets": (TargetRowForm, "targets", 1),
}


def initial_rows(application: Application, related: str) -> list[dict]:
    if related == "budget_items":
        return [
            {"category": i.category_id, "description": i.description, "amount": i.amount}
            for i in application.budget_items.all()
        ]
    if related == "partners":
        return [
            {
                "tax_code": p.organisation.tax_code if p.organisation_id else "",
                "name": p.name,
                "role": p.role,
                "share": p.share,
            }
            for p in application.partners.select_related("organisation")
        ]
    return [{"code": t.code, "target": t.target} for t in application.indicator_targets.all()]


def row_formsets(application: Application, data=None) -> dict:
    """The budget, partner and indicator formsets of an application's form."""
    formsets = {}
    for related, (form_class, prefix, extra) in ROWS.items():
        formset_class = forms.formset_factory(form_class, extra=extra, can_delete=True)
        formsets[related] = formset_class(
            data,
            prefix=prefix,
            initial=initial_rows(application, related),
            form_kwargs={"call": application.call},
        )
    return formsets


def rows_of(formset) -> list:
    """The unsaved rows a valid formset holds (empty and deleted rows left out)."""
    return [
        form.row()
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class AttachmentForm(forms.Form):
    required = forms.ModelChoiceField(label=_("Allegato richiesto"), queryset=None, required=False)
    file = forms.FileField(label=_("File PDF (massimo 20 MB)"))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required"].queryset = call.required_attachments.all()
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"


# --- admissibility and the soccorso istruttorio (reti.grants.actions.admissibility) ----------


class DecisionForm(PlainTextForm, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Esito"),
        choices=[
            ("admitted", _("Ammissibile")),
            ("not_admissible", _("Non ammissibile")),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Motivazione"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obbligatoria per la non ammissibilità; inviata al proponente."),
    )
    change_reason = forms.CharField(
        label=_("Motivo della nuova decisione"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Solo se l'esito è già stato deciso: resta nel registro delle modifiche."),
    )


class DocumentRequestForm(PlainTextForm, forms.Form):
    text = forms.CharField(
        label=_("Che cosa si chiede al proponente"), widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateTimeField(
        label=_("Termine per rispondere (ora italiana)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )


class DocumentAnswerForm(PlainTextForm, forms.Form):
    answer_text = forms.CharField(
        label=_("Risposta"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    answer_file = forms.FileField(label=_("Documento PDF (massimo 20 MB)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_file"].widget.attrs["accept"] = "application/pdf,.pdf"
