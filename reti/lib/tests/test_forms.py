"""An action's ValidationError shown on the form that started it; text refused with control
characters."""

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from reti.lib.forms import PlainTextForm, add_errors


class NameForm(forms.Form):
    name = forms.CharField()


def _form() -> NameForm:
    form = NameForm({"name": "Aurora"})
    assert form.is_valid()
    return form


def test_a_message_naming_a_field_of_the_form_goes_on_that_field():
    form = _form()
    add_errors(form, ValidationError({"name": ["Nome già usato.", "Troppo corto."]}))
    assert form.errors["name"] == ["Nome già usato.", "Troppo corto."]
    assert "name" not in form.cleaned_data


def test_a_message_naming_a_field_the_form_lacks_goes_above_the_form():
    form = _form()
    add_errors(form, ValidationError({"network": "Indicare la rete."}))
    assert form.non_field_errors() == ["Indicare la rete."]


def test_every_message_without_a_field_goes_above_the_form_with_its_code():
    form = _form()
    add_errors(form, ValidationError([ValidationError("Chiuso.", code="closed"), "E poi."]))
    assert form.non_field_errors() == ["Chiuso.", "E poi."]
    assert form.has_error(NON_FIELD_ERRORS, code="closed")


class Note(PlainTextForm, forms.Form):
    title = forms.CharField()
    body = forms.CharField(widget=forms.Textarea)
    tags = forms.MultipleChoiceField(choices=[("a", "a"), ("a\x07", "bell")], required=False)


@pytest.mark.parametrize(
    ("data", "refused"),
    [
        ({"title": "Una riga", "body": "Riga\r\n\tdue"}, []),
        ({"title": "Una\nriga", "body": "x"}, ["title"]),
        ({"title": "Una riga", "body": "x\x1b[31m"}, ["body"]),
        ({"title": "a\x00b", "body": "a\x00b"}, ["title", "body"]),
        ({"title": "t", "body": "b", "tags": ["a", "a\x07"]}, ["tags"]),
    ],
)
def test_a_plain_text_form_refuses_control_characters_on_the_field(data, refused):
    form = Note(data)

    assert form.is_valid() == (not refused)
    assert list(form.errors) == refused
