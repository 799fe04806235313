from django import forms
from django.utils.translation import gettext_lazy as _

from reti.lib import lists
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


class InterventionFilters(lists.FilterForm):
    """The list's filters, named as the API's (reti.lib.lists): a code no record has, or an
    instrument the list does not know, is reported on the page and not applied."""

    region = lists.code(max_length=10)
    period = lists.code(max_length=20)
    instrument = forms.ChoiceField(required=False, choices=Intervention.Instrument.choices)
    # The list spoke Italian before it took the API's names (regione, periodo: reti.lib.lists).
    renamed = {"strumento": "instrument"}
