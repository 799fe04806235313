"""The filters of the registry's lists, as the site reads them from the query string.

Named as the API's filters (reti/registry/api/filters.py), so a page's URL and the API's share
them; the values go to the same domain queries (reti/registry/queries.py). A list shows back
what it did not understand (reti.lib.lists) instead of answering 400.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reti.lib import lists
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


def _choice(choices) -> forms.ChoiceField:
    return forms.ChoiceField(required=False, choices=choices)


class NetworkFilterForm(lists.FilterForm):
    period = lists.code()
    theme = lists.code()
    status = _choice(Network.Status.choices)
    scope = _choice(Network.Scope.choices)


class ProjectFilterForm(lists.FilterForm):
    period = lists.code()
    fund = lists.code()
    theme = lists.code()
    territory = lists.code()
    status = _choice(Project.Status.choices)
    kind = _choice(Project.Kind.choices)
    network = lists.code()
    renamed = {"region": "territory", "regione": "territory"}


class OrganisationFilterForm(lists.FilterForm):
    territory = lists.code()
    kind = _choice(Organisation.Kind.choices)
    status = _choice(Organisation.Status.choices)
    q = forms.CharField(required=False, min_length=2, max_length=100)
    synthetic = YesNoField(required=False)
    # The list spoke of regions before it took the API's names.
    renamed = {"region": "territory", "regione": "territory"}
    labels = {"q": _("testo (almeno 2 caratteri)")}
