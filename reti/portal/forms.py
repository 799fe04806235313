"""The filters of the registry's lists, as the site reads them from the query string.

The pages read their own parameters here rather than through the API's schemas; the values
then go to the same domain queries (reti/registry/queries.py). A list shows back what it
did not understand instead of answering 400.
"""

from django import forms
from django.core.exceptions import ValidationError

from reti.lib.forms import PlainTextForm
from reti.registry.models import Network, Organisation, Project

# Spellings of yes and no a link may carry (?synthetic=true, =1, =yes, =on...).
TRUE = {"1", "true", "t", "yes", "y", "on"}
FALSE = {"0", "false", "f", "no", "n", "off"}


class YesNoField(forms.Field):
    """True, False, or None when absent; any other value is an error."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValidationError("Not a yes or no value.", code="invalid")


def _code() -> forms.CharField:
    # A code or slug, looked up by the query: one it does not know is reported then.
    return forms.CharField(required=False)


def _choice(choices) -> forms.ChoiceField:
    return forms.ChoiceField(required=False, choices=choices)


class NetworkFilterForm(PlainTextForm, forms.Form):
    period = _code()
    theme = _code()
    status = _choice(Network.Status.choices)
    scope = _choice(Network.Scope.choices)


class ProjectFilterForm(PlainTextForm, forms.Form):
    period = _code()
    fund = _code()
    theme = _code()
    territory = _code()
    status = _choice(Project.Status.choices)
    kind = _choice(Project.Kind.choices)
    network = _code()


class OrganisationFilterForm(PlainTextForm, forms.Form):
    territory = _code()
    kind = _choice(Organisation.Kind.choices)
    status = _choice(Organisation.Status.choices)
    q = forms.CharField(required=False, min_length=2, max_length=100)
    synthetic = YesNoField(required=False)
