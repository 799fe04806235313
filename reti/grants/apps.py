from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reti.lib.extensions import Demo, Section


class GrantsConfig(AppConfig):
    """Small-grant calls of a global grant (Sovvenzione Globale): call, application, ranking."""

    name = "reti.grants"
    verbose_name = _("Bandi e piccoli sussidi")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("grants:call_list", _("Bandi"), "exchange"),)
    # What the app adds to `reti demo` and to the account page; see reti.lib.extensions.
    demo = Demo("reti.grants.demo", order=70, logins="reti.grants.demo_evaluated.LOGINS")
    portal_sections = {
        "project": (
            Section(
                "grants/includes/project_grant.html",
                "reti.grants.sections.project_grant",
                order=30,
            ),
        ),
    }
    personal_data = "reti.grants.personal_data"
    # Who manages the grids committee of a call besides its chair; see reti.lib.extensions.
    grid_committee_managers = "reti.grants.permissions.manages_committee"
    datasets = "reti.grants.datasets"
    account_sections = (
        Section(
            "grants/includes/account_applications.html",
            "reti.grants.sections.account_applications",
            order=60,
        ),
    )
