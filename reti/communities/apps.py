from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "reti.communities"
    verbose_name = _("Comunità di pratica")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("communities:list", _("Comunità di pratica"), "exchange"),)
