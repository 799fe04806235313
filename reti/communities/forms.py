from django import forms
from django.utils.translation import gettext_lazy as _

from reti.lib.forms import PlainTextForm


class ThreadForm(PlainTextForm, forms.Form):
    title = forms.CharField(
        label=_("Titolo"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    body = forms.CharField(
        label=_("Messaggio"),
        max_length=20_000,
        help_text=_("Testo semplice o Markdown: **grassetto**, *corsivo*, elenchi, collegamenti."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 8}),
    )


class ReplyForm(PlainTextForm, forms.Form):
    body = forms.CharField(
        label=_("Risposta"),
        max_length=20_000,
        help_text=_("Testo semplice o Markdown."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
    )


class HideForm(PlainTextForm, forms.Form):
    hidden = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=300)
