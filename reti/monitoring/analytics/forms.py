"""Filters of the analytics pages, validated against the known codes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..synthetic import INSTRUMENTS, TARGET_GROUPS
from .definitions import BY_CODE
from .homogeneity import MEASURES
from .rates import RATES
from .regions import regions

INSTRUMENT_LABELS = {
    "sovvenzione_globale": _("Sovvenzione Globale"),
    "ordinary_call": _("Avviso pubblico ordinario"),
    "direct_award": _("Affidamento diretto"),
    "other": _("Altro"),
}
TARGET_GROUP_LABELS = {
    "penal_execution": _("Persone in esecuzione penale"),
    "trafficking_victims": _("Vittime di tratta"),
    "disability": _("Persone con disabilità"),
    "youth": _("Giovani"),
    "long_term_unemployed": _("Disoccupati di lunga durata"),
    "migrants": _("Migranti"),
    "homeless": _("Persone senza dimora"),
    "women": _("Donne"),
    "other": _("Altro"),
}
GENDER_LABELS = {"female": _("Donne"), "male": _("Uomini"), "non_binary": _("Persone non binarie")}
PERIODS = ("2014-2020", "2021-2027")
# The instruments whose added value can be estimated ("other" is no instrument of its own).
ADDED_VALUE_INSTRUMENTS = tuple(i for i in INSTRUMENTS if i != "other")
ALL = [("", _("Tutti"))]


def _region_choices():
    return [("", _("Tutte")), *((r.code, r.name) for r in regions())]


class DashboardFilter(forms.Form):
    regione = forms.ChoiceField(label=_("Regione"), required=False, choices=_region_choices)
    periodo = forms.ChoiceField(
        label=_("Periodo"), required=False, choices=ALL + [(p, p) for p in PERIODS]
    )
    strumento = forms.ChoiceField(
        label=_("Strumento"),
        required=False,
        choices=ALL + [(i, INSTRUMENT_LABELS[i]) for i in INSTRUMENTS],
    )
    gruppo = forms.ChoiceField(
        label=_("Gruppo destinatario"),
        required=False,
        choices=ALL + [(g, TARGET_GROUP_LABELS[g]) for g in TARGET_GROUPS],
    )
    genere = forms.ChoiceField(
        label=_("Genere"), required=False, choices=ALL + list(GENDER_LABELS.items())
    )

    def engine_filters(self) -> dict:
        """The engine's filters ({dimension: [values]}) from the valid, non-empty fields."""
        names = {
            "regione": "region",
            "periodo": "period",
            "strumento": "instrument",
            "gruppo": "target_group",
            "genere": "gender",
        }
        data = self.cleaned_data if self.is_valid() else {}
        return {names[k]: [v] for k, v in data.items() if v}


class IndicatorChoice(forms.Form):
    indicatore = forms.ChoiceField(
        label=_("Indicatore"),
        required=False,
        choices=[(c, c) for c, i in BY_CODE.items() if i.per_participant],
    )
    regione = forms.ChoiceField(label=_("Regione"), required=False, choices=_region_choices)


class RateChoice(forms.Form):
    tasso = forms.ChoiceField(
        label=_("Tasso"), required=False, choices=[(c, r.label) for c, r in RATES.items()]
    )


class MeasureChoice(forms.Form):
    misura = forms.ChoiceField(
        label=_("Misura"),
        required=False,
        choices=[("participants_per_10k", _("Partecipanti ogni 10.000 residenti di 15-64 anni"))]
        + [(c, r.label) for c, r in RATES.items()],
    )


class InstrumentChoice(forms.Form):
    strumento = forms.ChoiceField(
        label=_("Strumento"),
        required=False,
        choices=[(i, INSTRUMENT_LABELS[i]) for i in ADDED_VALUE_INSTRUMENTS],
    )
    confronto = forms.ChoiceField(
        label=_("Confronto con"),
        required=False,
        choices=[("", _("tutti gli altri strumenti"))]
        + [(i, INSTRUMENT_LABELS[i]) for i in INSTRUMENTS],
    )

    def clean(self):
        data = super().clean()
        instrument = data.get("strumento") or "sovvenzione_globale"
        if data.get("confronto") and data["confronto"] == instrument:
            self.add_error("confronto", _("Scegli un gruppo di confronto diverso dallo strumento."))
        return data


__all__ = ["MEASURES"]
