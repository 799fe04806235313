"""The grids template helpers write what Django's own rendering would."""

from django import forms
from django.test.html import parse_html

from reti.grids.templatetags.grids import option_input


class _Options(forms.Form):
    one = forms.ChoiceField(choices=[("a", "A"), ("b", "B & C")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
    )


def test_an_option_s_input_is_the_one_django_s_templates_write():
    form = _Options(initial={"one": "b", "many": ["x", "y"]})
    choices = [*form["one"], *form["many"]]
    assert any("checked" in choice.data["attrs"] for choice in choices)
    for choice in choices:
        assert parse_html(option_input(choice)) == parse_html(choice.tag())
