from django import template

from reti.portal.history import history_url as _history_url

register = template.Library()


@register.filter
def history_url(obj) -> str:
    """The public history page of a registry record ("" for kinds without one)."""
    return _history_url(obj) or ""
