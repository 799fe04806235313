from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "reti.events"
    verbose_name = _("Eventi")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("events:list", _("Eventi"), "exchange"),)
