from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reti.lib.extensions import Demo, Section


class MonitoringConfig(AppConfig):
    name = "reti.monitoring"
    verbose_name = _("Monitoraggio")
    # Entries of the portal's main menu: (URL name, label); see reti.portal.nav.
    portal_nav = (("monitoring:home", _("Monitoraggio")),)
    # What the app adds to `reti demo` and to others' pages; see reti.lib.extensions.
    demo = Demo("reti.monitoring.demo", order=40)
    datasets = "reti.monitoring.datasets"
    # Who must give a second factor, and what the app holds about a person (reti.lib.extensions).
    second_factor = "reti.monitoring.permissions.is_auditor"
    personal_data = "reti.monitoring.personal_data"
    # A Region's page links its ESF indicators by gender (reti.lib.extensions).
    portal_sections = {
        "territory": (
            Section(
                "monitoring/includes/territory_indicators.html",
                "reti.monitoring.sections.territory_indicators",
                order=10,
            ),
        ),
    }
    account_sections = (
        Section(
            "monitoring/includes/account_monitoring.html",
            "reti.monitoring.sections.account_monitoring",
            order=10,
        ),
    )
