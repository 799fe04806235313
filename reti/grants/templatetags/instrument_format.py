"""How the instrument report writes its figures: shares as percentages with one decimal,
differences of shares as signed points, in the page's locale."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value):
    """0.3081 -> "30,8 %"; None stays empty (the page says why)."""
    if value is None:
        return ""
    return f"{number_format(100 * float(value), 1)} %"


@register.filter
def points(value):
    """A difference of shares in percentage points, signed: 0.2 -> "+20,0"."""
    if value is None:
        return ""
    number = 100 * float(value)
    return ("+" if number > 0 else "") + number_format(number, 1)


@register.filter
def days(value):
    """A number of days, whole when it is whole."""
    if value is None:
        return "—"
    number = float(value)
    return number_format(
        int(number) if number.is_integer() else number, 0 if number.is_integer() else 1
    )
