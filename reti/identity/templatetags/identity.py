from django import template
from django.conf import settings

from .. import registry

register = template.Library()


@register.inclusion_tag("identity/includes/sign_in_buttons.html", takes_context=True)
def identity_buttons(context, next_url=""):
    """The "Entra con SPID" and "Entra con CIE" buttons; nothing while they are not configured."""
    enabled = bool(settings.RETI_SAML)
    return {
        "enabled": enabled,
        "spid": registry.providers("spid") if enabled else (),
        "cie": registry.providers("cie") if enabled else (),
        "next": next_url,
    }
