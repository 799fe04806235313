from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reti.lib.extensions import Demo, Section


class GridsConfig(AppConfig):
    name = "reti.grids"
    verbose_name = _("Griglie di valutazione")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("grids:grid_list", _("Griglie di valutazione"), "exchange"),)
    # What the app adds to `reti demo` and to the account page; see reti.lib.extensions.
    demo = Demo("reti.grids.demo", order=60)
    # Who must give a second factor, and what the app holds about a person (reti.lib.extensions).
    second_factor = "reti.grids.permissions.sits_on_a_committee"
    personal_data = "reti.grids.personal_data"
    account_sections = (
        Section(
            "grids/includes/account_assignments.html",
            "reti.grids.sections.account_assignments",
            order=50,
        ),
        Section(
            "grids/includes/account_published_sheets.html",
            "reti.grids.sections.account_published_sheets",
            order=51,
        ),
    )
