from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "reti.grids"
    verbose_name = _("Griglie di valutazione")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("grids:grid_list", _("Griglie di valutazione"), "exchange"),)
