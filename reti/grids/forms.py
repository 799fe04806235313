"""Forms of the grids pages: the scoring form built from a template's tree, declarations,
assignments and the committee's consensus."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reti.lib.forms import PlainTextForm

from .models import ConflictDeclaration

SCORED = ("criterion", "negative", "gate", "bonus")
EVIDENCE = {
    "document": _("Documento a supporto (nome o protocollo)"),
    "url": _("Indirizzo web a supporto"),
    "text": _("Testo a supporto"),
}
ATTRIBUTES = {
    "size_class": _("Classe dimensionale (micro, small, medium, large)"),
    "ateco": _("Codice ATECO"),
    "legal_form": _("Forma giuridica"),
    "call_line": _("Linea dell'avviso"),
}


def text(mapping, default: str = "") -> str:
    """The current language's text of an it/en mapping, Italian when missing."""
    mapping = mapping or {}
    language = "en" if (get_language() or "it").startswith("en") else "it"
    return mapping.get(language) or mapping.get("it") or default


def scored_nodes(template) -> list:
    """The nodes an evaluator answers, in the tree's order."""
    return [node for node in template.walk() if node.kind in SCORED and not node.children]


def used_attributes(template) -> list[str]:
    """The subject attributes some node's applicability depends on."""
    used = {name for node in template.walk() for name in node.applicability}
    return [name for name in ATTRIBUTES if name in used] + sorted(used - set(ATTRIBUTES))


def _value_field(template, node):
    scale = template.scales.get(node.scale) if node.scale else None
    kind = scale.kind if scale else "yesno"
    label = f"{node.code} — {text(node.label, node.code)}"
    if kind == "levels":
        choices = [(level.code, text(level.label, level.code)) for level in scale.levels]
        return forms.ChoiceField(
            label=label, choices=choices, required=False, widget=forms.RadioSelect
        )
    if kind == "yesno":
        choices = [("true", _("Sì")), ("false", _("No"))]
        return forms.ChoiceField(
            label=label, choices=choices, required=False, widget=forms.RadioSelect
        )
    low, high = (scale.min, scale.max) if kind == "range" else (0, 100)
    step = scale.step if kind == "range" and scale.step else "any"
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(attrs={"step": step, "min": low, "max": high}),
    )


class ScoringForm(PlainTextForm, forms.Form):
    """One value, justification and evidence field per scored node; the subject's attributes.

    `rows()` gives, for each node, its three bound fields and the node itself, for the
    template to show the rubric beside the value."""

    def __init__(self, template, *args, answers=None, attributes=None, **kwargs):
        initial = {}
        for code, item in (answers or {}).items():
            value = item.get("value")
            initial[f"v-{code}"] = str(value).lower() if isinstance(value, bool) else value
            initial[f"j-{code}"] = item.get("justification", "")
            for entry in item.get("evidence", []):
                initial[f"e-{code}-{entry['kind']}"] = entry["ref"]
        for name, value in (attributes or {}).items():
            initial[f"a-{name}"] = value
        super().__init__(*args, initial=initial, **kwargs)
        self.template = template
        self.nodes = scored_nodes(template)
        for name in used_attributes(template):
            self.fields[f"a-{name}"] = forms.CharField(
                label=ATTRIBUTES.get(name, name), required=False, max_length=40
            )
        for node in self.nodes:
            self.fields[f"v-{node.code}"] = _value_field(template, node)
            self.fields[f"j-{node.code}"] = forms.CharField(
                label=_("Motivazione"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            for kind in node.evidence:
                self.fields[f"e-{node.code}-{kind}"] = forms.CharField(
                    label=EVIDENCE[kind], required=False, max_length=2000
                )

    def add_problems(self, error) -> None:
        """Show an action's problems ("node.field" keys) on the fields they are about."""
        for key, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            code, _dot, field = key.partition(".")
            names = {
                "value": [f"v-{code}"],
                "justification": [f"j-{code}"],
                "evidence": [f"e-{code}-{kind}" for kind in self._evidence_of(code)],
            }.get(field, [])
            name = next((n for n in names if n in self.fields), None)
            for message in messages:
                self.add_error(name, f"{code}: {message}" if name is None and code else message)

    def _evidence_of(self, code: str) -> tuple:
        node = next((n for n in self.nodes if n.code == code), None)
        return node.evidence if node else ()

    def attribute_fields(self):
        return [self[name] for name in self.fields if name.startswith("a-")]

    def rows(self):
        for node in self.nodes:
            evidence = [self[f"e-{node.code}-{kind}"] for kind in node.evidence]
            yield node, self[f"v-{node.code}"], self[f"j-{node.code}"], evidence

    def answers(self) -> dict:
        """The answers as stored: unanswered nodes left out."""
        found = {}
        data = self.cleaned_data
        for node in self.nodes:
            value = data.get(f"v-{node.code}")
            justification = data.get(f"j-{node.code}", "")
            evidence = [
                {"kind": kind, "ref": data[f"e-{node.code}-{kind}"].strip()}
                for kind in node.evidence
                if (data.get(f"e-{node.code}-{kind}") or "").strip()
            ]
            if value in (None, "") and not justification and not evidence:
                continue
            if value in ("true", "false"):
                value = value == "true"
            found[node.code] = {
                "value": None if value == "" else value,
                "justification": justification,
                "evidence": evidence,
            }
        return found

    def attributes(self) -> dict:
        return {
            name[2:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("a-") and value
        }


class DeclarationForm(PlainTextForm, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Dichiaro che, rispetto a questo soggetto,"),
        choices=[
            ("false", _("non sussistono situazioni di conflitto di interessi")),
            ("true", _("sussiste una situazione di conflitto di interessi")),
        ],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Tipo di interesse"),
        choices=ConflictDeclaration.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Descrizione"), required=False, max_length=4000, widget=forms.Textarea
    )


class ReasonForm(PlainTextForm, forms.Form):
    reason = forms.CharField(label=_("Motivo"), max_length=2000, widget=forms.Textarea)


class NoteForm(PlainTextForm, forms.Form):
    note = forms.CharField(
        label=_("Nota per il registro (facoltativa)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(PlainTextForm, forms.Form):
    """The chair gives one subject (by its assignment row's subject) to one evaluator."""

    evaluator = forms.ModelChoiceField(label=_("Valutatore"), queryset=None)
    override_reason = forms.CharField(
        label=_("Motivo della deroga a un conflitto rilevato"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, evaluators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = evaluators


class ConsensusForm(ScoringForm):
    justification = forms.CharField(
        label=_("Motivazione della decisione collegiale"), max_length=8000, widget=forms.Textarea
    )
