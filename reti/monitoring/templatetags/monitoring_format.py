"""How monitoring pages write their figures: counts as integers in the page's locale, and
the added-value analysis's covariates by what they mean."""

from django import template
from django.utils.formats import number_format

from ..analytics.labels import covariate_label as _covariate_label

register = template.Library()


@register.filter
def count(value):
    """A count as a whole number in the page's locale ("1.234" / "1,234"), never "692,0";
    a figure with a fractional part keeps it. None stays None (the page says why)."""
    if value is None or isinstance(value, str):
        return value
    number = float(value)
    if number.is_integer():
        return number_format(int(number), 0, force_grouping=True)
    return number_format(value, force_grouping=True)


@register.filter
def covariate_label(name: str) -> str:
    return _covariate_label(name)
