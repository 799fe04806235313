from django import template

from reti.lib import extensions
from reti.portal.history import history_url as _history_url

register = template.Library()


@register.filter
def history_url(obj) -> str:
    """The public history page of a registry record ("" for kinds without one)."""
    return _history_url(obj) or ""


@register.simple_tag(takes_context=True)
def portal_sections(context, page: str, record) -> str:
    """What other apps add to the portal page of a shared record (see reti.lib.extensions)."""
    return extensions.render(context, extensions.sections("portal_sections", page), record)


@register.simple_tag(takes_context=True)
def account_sections(context, user) -> str:
    """What the apps add to a user's account page (see reti.lib.extensions)."""
    return extensions.render(context, extensions.sections("account_sections"), user)
