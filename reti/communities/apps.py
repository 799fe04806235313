from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reti.lib.extensions import Demo, Section


class CommunitiesConfig(AppConfig):
    name = "reti.communities"
    verbose_name = _("Comunità di pratica")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("communities:list", _("Comunità di pratica"), "exchange"),)
    # What the app adds to `reti demo` and to others' pages; see reti.lib.extensions.
    demo = Demo("reti.communities.demo", order=30)
    personal_data = "reti.communities.personal_data"
    account_sections = (
        Section(
            "communities/includes/account_communities.html",
            "reti.communities.sections.account_communities",
            order=20,
        ),
    )
