from django import forms
from django.utils.translation import gettext_lazy as _

from reti.lib.forms import PlainTextForm

from .models import ImportBatch, Intervention

MAX_UPLOAD_BYTES = 512 * 1024 * 1024


class UploadForm(PlainTextForm, forms.Form):
    file = forms.FileField(
        label=_("File dei partecipanti (CSV o XLSX)"),
        help_text=_("Le colonne del modello; il codice fiscale è trasformato in pseudonimo."),
    )
    mode = forms.ChoiceField(
        label=_("Modalità"),
        choices=ImportBatch.Mode.choices,
        initial=ImportBatch.Mode.REPLACE,
        widget=forms.RadioSelect,
    )
    confirm_shrink = forms.BooleanField(
        label=_("Confermo la riduzione"),
        help_text=_(
            "Solo se il file, in sostituzione, contiene molti meno partecipanti di quelli già "
            "caricati (meno della metà): senza conferma un tale file è respinto."
        ),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("File troppo grande (massimo 512 MB)."))
        return upload


class InterventionFilter(PlainTextForm, forms.Form):
    """The list's filters, read from the query string; unknown values are ignored."""

    regione = forms.CharField(required=False, max_length=3)
    periodo = forms.CharField(required=False, max_length=9)
    strumento = forms.ChoiceField(
        required=False, choices=[("", ""), *Intervention.Instrument.choices]
    )
