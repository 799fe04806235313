from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "reti.opendata"
    verbose_name = _("Dati aperti")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("opendata:list", _("Dati aperti"), "explore"),)
