"""Forms of the CSR pages: registering a company, the self-assessment (the grids scoring
form restricted to the nodes that apply, with a PDF per answer), the review, the plan."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reti.grids import engine
from reti.grids.forms import ScoringForm
from reti.lib.forms import PlainTextForm
from reti.registry.models import Territory

from . import ateco
from .models import Company, ImprovementAction

REGION_LEVELS = (Territory.Level.REGION, Territory.Level.AUTONOMOUS_PROVINCE)


def regions():
    return Territory.objects.filter(level__in=REGION_LEVELS).order_by("name_it")


class CompanyForm(PlainTextForm, forms.ModelForm):
    name = forms.CharField(label=_("Ragione sociale"), max_length=300)
    vat_number = forms.CharField(
        label=_("Partita IVA"), max_length=20, help_text=_("11 cifre, con la cifra di controllo.")
    )
    legal_representative = forms.CharField(label=_("Legale rappresentante"), max_length=200)
    position = forms.CharField(
        label=_("Il tuo ruolo nell'impresa"), max_length=200, help_text=_("Es. titolare, HR.")
    )

    class Meta:
        model = Company
        fields = [
            "legal_form",
            "ateco_code",
            "employees",
            "turnover",
            "balance_sheet",
            "region",
            "seat_address",
        ]

    field_order = ["name", "vat_number", *Meta.fields, "legal_representative", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ateco_code"] = forms.ChoiceField(
            label=_("Attività prevalente (ATECO 2025)"),
            choices=[("", "—"), *ateco.choices()],
            help_text=_("Le sottocategorie sono raggruppate per sezione."),
        )
        self.fields["region"].queryset = regions()


class LocalUnitForm(PlainTextForm, forms.Form):
    address = forms.CharField(
        label=_("Indirizzo dell'unità locale"), max_length=300, required=False
    )
    region = forms.ModelChoiceField(label=_("Regione"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions()

    def clean(self):
        data = super().clean()
        if data.get("address") and not data.get("region"):
            self.add_error("region", _("Indicare la regione dell'unità locale."))
        if data.get("region") and not data.get("address"):
            self.add_error("address", _("Indicare l'indirizzo dell'unità locale."))
        return data


LocalUnitFormSet = forms.formset_factory(LocalUnitForm, extra=2, max_num=20)


class ClaimForm(PlainTextForm, forms.Form):
    vat_number = forms.CharField(label=_("Partita IVA dell'impresa"), max_length=20)
    legal_representative = forms.CharField(label=_("Legale rappresentante"), max_length=200)
    position = forms.CharField(label=_("Il tuo ruolo nell'impresa"), max_length=200)


def applicable_codes(template, attributes: dict) -> set[str]:
    """Codes of the nodes that apply to a subject with these attributes (the engine's own
    reading of applicability, from an evaluation without answers)."""
    result = engine.evaluate(template, {}, attributes)
    return {entry.node for entry in result.trace if entry.applicable}


class CsrScoringForm(ScoringForm):
    """The grids scoring form on the nodes that apply to the company, and one PDF per node.

    The subject's attributes come from the company (size class, ATECO), never from the form."""

    def __init__(self, template, *args, attributes=None, files_allowed=True, **kwargs):
        super().__init__(template, *args, attributes=attributes, **kwargs)
        keep = applicable_codes(template, attributes or {})
        self.nodes = [node for node in self.nodes if node.code in keep]
        for name in list(self.fields):
            prefix, _dash, rest = name.partition("-")
            code = rest.rsplit("-", 1)[0] if prefix == "e" else rest
            # Attributes come from the company; document evidence from the uploaded PDFs.
            if prefix == "a" or code not in keep or (prefix == "e" and rest.endswith("-document")):
                del self.fields[name]
        if files_allowed:
            for node in self.nodes:
                self.fields[f"f-{node.code}"] = forms.FileField(
                    label=_("Evidenza in PDF"),
                    required=False,
                    widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
                )

    def rows(self):
        for node in self.nodes:
            evidence = [self[name] for name in self.fields if name.startswith(f"e-{node.code}-")]
            if f"f-{node.code}" in self.fields:
                evidence.append(self[f"f-{node.code}"])
            yield node, self[f"v-{node.code}"], self[f"j-{node.code}"], evidence

    def answers(self) -> dict:
        found = super().answers()
        # Document evidence is the uploaded PDFs, attached by the action.
        for item in found.values():
            item["evidence"] = [e for e in item["evidence"] if e["kind"] != "document"]
        return found

    def add_problems(self, error) -> None:
        """As the grids form, but a missing document is asked for on the PDF field."""
        others = {}
        for key, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            code, _dot, field = key.partition(".")
            if field == "evidence" and f"f-{code}" in self.fields and "'document'" in str(messages):
                self.add_error(f"f-{code}", _("Allegare un PDF a supporto di questa risposta."))
            else:
                others[key] = messages
        if others:
            super().add_problems(ValidationError(others))

    def uploads(self) -> dict:
        return {
            name[2:]: upload
            for name, upload in self.cleaned_data.items()
            if name.startswith("f-") and upload
        }


class AnonymousFigures(PlainTextForm, forms.Form):
    """What the anonymous mode needs to know of the company: its size and sector."""

    employees = forms.DecimalField(
        label=_("Occupati (ULA)"), min_value=0, max_digits=9, decimal_places=1
    )
    turnover = forms.DecimalField(
        label=_("Fatturato annuo (euro)"), min_value=0, max_digits=14, decimal_places=2
    )
    balance_sheet = forms.DecimalField(
        label=_("Totale di bilancio annuo (euro)"), min_value=0, max_digits=14, decimal_places=2
    )
    ateco_section = forms.ChoiceField(label=_("Settore (sezione ATECO 2025)"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ateco_section"].choices = [
            (code, f"{code} — {name}") for code, name in ateco.sections()
        ]


class DecisionForm(PlainTextForm, forms.Form):
    decision = forms.TypedChoiceField(
        label=_("Decisione"),
        choices=[("validate", _("Validare")), ("refuse", _("Non validare"))],
        coerce=lambda value: value == "validate",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Motivazione della decisione"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanForm(PlainTextForm, forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = ["area", "description", "owner", "due_date"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"})}


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Stato"), choices=ImprovementAction.Status.choices)


class ReasonForm(PlainTextForm, forms.Form):
    reason = forms.CharField(label=_("Motivo"), max_length=2000, widget=forms.Textarea)


class CandidacyForm(PlainTextForm, forms.Form):
    """A candidacy to the prize, for one of the companies the user represents."""

    company = forms.ModelChoiceField(label=_("Impresa"), queryset=Company.objects.none())
    initiative = forms.CharField(label=_("Iniziativa candidata"), max_length=300)
    description = forms.CharField(label=_("Descrizione dell'iniziativa"), widget=forms.Textarea)

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if companies is not None:
            self.fields["company"].queryset = companies
