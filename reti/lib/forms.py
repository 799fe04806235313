"""Form helpers shared by the apps' views."""

from django import forms
from django.core.exceptions import ValidationError

from reti.lib.text import control_character, message


def add_errors(form, error: ValidationError) -> None:
    """Show an action's ValidationError on `form`: each message on the field it names when the
    form has that field, the others (and messages naming no field) above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PlainTextForm:
    """Mixin for forms: no control characters in any text a user typed (reti/lib/text.py).

    A field shown as a Textarea may hold tabs and line breaks; other text fields hold a single
    line. Put it before `forms.Form` / `forms.ModelForm` in the bases.
    """

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            field = self.fields.get(name)
            multiline = field is not None and isinstance(field.widget, forms.Textarea)
            texts = value if isinstance(value, list | tuple) else [value]
            for text in texts:
                character = control_character(text, multiline) if isinstance(text, str) else None
                if character is not None:
                    self.add_error(name, ValidationError(message(character), code="control"))
                    break
        return cleaned
