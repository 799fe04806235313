from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "reti.monitoring"
    verbose_name = _("Monitoraggio")
    # Entries of the portal's main menu: (URL name, label); see reti.portal.nav.
    portal_nav = (("monitoring:home", _("Monitoraggio")),)
