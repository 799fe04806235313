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
            "size_class",
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


# --- grant management ---------------------------------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionForm(PlainTextForm, forms.Form):
    decree_number = forms.CharField(label=_("Atto di concessione: numero"), max_length=100)
    decree_date = forms.DateField(label=_("Atto di concessione: data"), widget=DATE_INPUT)
    decree_signer = forms.CharField(label=_("Atto di concessione: firmatario"), max_length=200)
    cup = forms.CharField(label=_("CUP"), max_length=40)
    amount = forms.DecimalField(
        label=_("Contributo concesso (euro)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs=MONEY_INPUT),
        help_text=_("Vuoto: l'importo assegnato in graduatoria."),
    )
    state_aid_code = forms.CharField(label=_("Codice RNA COR"), max_length=40, required=False)


class AgreementForm(forms.Form):
    start_date = forms.DateField(label=_("Inizio"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("Fine"), widget=DATE_INPUT)


class PaymentForm(PlainTextForm, forms.Form):
    kind = forms.ChoiceField(
        label=_("Tranche"),
        choices=[
            ("advance", _("Anticipo")),
            ("intermediate", _("Acconto intermedio")),
            ("balance", _("Saldo")),
        ],
    )
    guarantee = forms.CharField(label=_("Garanzia fideiussoria"), max_length=200, required=False)
    note = forms.CharField(label=_("Nota"), max_length=300, required=False)


class ReferenceForm(PlainTextForm, forms.Form):
    reference = forms.CharField(label=_("Mandato di pagamento"), max_length=100)


class ReasonForm(PlainTextForm, forms.Form):
    reason = forms.CharField(label=_("Motivazione"), widget=forms.Textarea(attrs={"rows": 2}))


class ExpenseItemForm(PlainTextForm, forms.Form):
    category = forms.ModelChoiceField(label=_("Categoria di spesa"), queryset=None)
    description = forms.CharField(label=_("Descrizione"), max_length=300)
    amount = forms.DecimalField(
        label=_("Importo (euro)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs=MONEY_INPUT),
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = call.cost_categories.all()


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Giustificativo (PDF)"))


class ChangeForm(PlainTextForm, forms.Form):
    kind = forms.ChoiceField(
        label=_("Variazione"),
        choices=[
            ("budget_shift", _("Spostamento di budget tra categorie")),
            ("extension", _("Proroga della data di fine")),
        ],
    )
    from_category = forms.ModelChoiceField(
        label=_("Dalla categoria"), queryset=None, required=False
    )
    to_category = forms.ModelChoiceField(label=_("Alla categoria"), queryset=None, required=False)
    amount = forms.DecimalField(
        label=_("Importo (euro)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs=MONEY_INPUT),
    )
    new_end_date = forms.DateField(label=_("Nuova data di fine"), widget=DATE_INPUT, required=False)
    reason = forms.CharField(label=_("Motivazione"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_category", "to_category"):
            self.fields[name].queryset = call.cost_categories.all()


class DecideChangeForm(PlainTextForm, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decisione"),
        choices=[("1", _("Approva")), ("0", _("Respingi"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label=_("Motivazione"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RevokeForm(PlainTextForm, forms.Form):
    kind = forms.ChoiceField(
        label=_("Revoca"),
        choices=[("partial", _("Revoca parziale")), ("total", _("Revoca totale"))],
    )
    amount = forms.DecimalField(
        label=_("Importo revocato (euro, se parziale)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs=MONEY_INPUT),
    )
    to_recover = forms.DecimalField(
        label=_("Importo da recuperare (euro)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs=MONEY_INPUT),
    )
    act = forms.CharField(label=_("Atto di revoca"), max_length=200)
    reason = forms.CharField(label=_("Motivazione"), widget=forms.Textarea(attrs={"rows": 2}))


class RecoveryForm(PlainTextForm, forms.Form):
    amount = forms.DecimalField(
        label=_("Importo recuperato (euro)"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs=MONEY_INPUT),
    )
    date = forms.DateField(label=_("Data"), widget=DATE_INPUT)
    reference = forms.CharField(label=_("Reversale d'incasso"), max_length=100)


class SampleForm(PlainTextForm, forms.Form):
    rate = forms.DecimalField(
        label=_("Quota da estrarre (0,1 per il 10%)"),
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
    )
    seed = forms.CharField(label=_("Seme dell'estrazione"), max_length=100)


# --- after the deadline: committee, runs, scorrimento, appeals -----------------------------


def _user_by_name(name: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=name.strip(), is_active=True).first()
    if user is None:
        raise forms.ValidationError(
            _("Nessun utente attivo con nome utente «%(name)s».") % {"name": name.strip()}
        )
    return user


class CommitteeForm(PlainTextForm, forms.Form):
    """The committee named by user names (the people need an account to score)."""

    chair = forms.CharField(label=_("Presidente (nome utente)"), max_length=150)
    members = forms.CharField(
        label=_("Componenti valutatori (nomi utente separati da virgola)"),
        max_length=2000,
        required=False,
    )
    secretary = forms.CharField(
        label=_("Segretario (nome utente, facoltativo)"), max_length=150, required=False
    )
    evaluators_per_subject = forms.IntegerField(
        label=_("Valutatori per domanda"), min_value=1, max_value=9, initial=2
    )

    def clean_chair(self):
        return _user_by_name(self.cleaned_data["chair"])

    def clean_members(self):
        names = [n for n in self.cleaned_data["members"].split(",") if n.strip()]
        return [_user_by_name(name) for name in names]

    def clean_secretary(self):
        name = self.cleaned_data["secretary"].strip()
        return _user_by_name(name) if name else None


class RunForm(PlainTextForm, forms.Form):
    kind = forms.ChoiceField(
        label=_("Graduatoria"),
        choices=[("provisional", _("Provvisoria")), ("final", _("Definitiva"))],
    )
    reason = forms.CharField(
        label=_("Motivo (facoltativo)"), max_length=300, required=False, widget=forms.Textarea
    )


class ScrollForm(PlainTextForm, forms.Form):
    """Scorrimento: what freed the money of one application of the current run."""

    application = forms.TypedChoiceField(label=_("Domanda"), coerce=int)
    kind = forms.ChoiceField(
        label=_("Evento"),
        choices=[
            ("withdrawn", _("Rinuncia")),
            ("revoked", _("Revoca")),
            ("savings", _("Economie")),
        ],
    )
    amount = forms.DecimalField(
        label=_("Economie (euro)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        localize=True,
        widget=forms.TextInput(attrs=MONEY_INPUT),
    )
    reason = forms.CharField(label=_("Motivo"), max_length=300, widget=forms.Textarea)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [
            (
                e.application_id,
                f"{e.application.receipt.protocol_number} — {e.application.organisation}",
            )
            for e in entries
        ]


class AppealForm(PlainTextForm, forms.Form):
    against = forms.ChoiceField(label=_("Contro"), choices=[])
    text = forms.CharField(label=_("Motivi del ricorso"), max_length=10000, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        from .models import Appeal

        super().__init__(*args, **kwargs)
        self.fields["against"].choices = Appeal.Against.choices


class AppealDecisionForm(PlainTextForm, forms.Form):
    """Shown once per pending appeal on one page: no ids, each field named by aria-label."""

    decision = forms.ChoiceField(
        label=_("Decisione"),
        choices=[("upheld", _("Accolto")), ("rejected", _("Respinto"))],
        widget=forms.Select(attrs={"aria-label": _("Decisione"), "class": "form-select"}),
    )
    outcome = forms.CharField(
        label=_("Motivazione della decisione"),
        max_length=10000,
        widget=forms.Textarea(
            attrs={
                "aria-label": _("Motivazione della decisione"),
                "rows": 2,
                "class": "form-control",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", False)
        super().__init__(*args, **kwargs)


# --- admissibility and the soccorso istruttorio (reti.grants.actions.admissibility) ----------


class AdmissibilityDecisionForm(PlainTextForm, forms.Form):
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
