from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "reti.portal"
    verbose_name = _("Portale")
    # Its open datasets (networks, projects, organisations); see reti.lib.extensions.
    datasets = "reti.portal.datasets"
