from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reti.lib.extensions import Demo, Section


class CsrConfig(AppConfig):
    name = "reti.csr"
    verbose_name = _("Responsabilità sociale d'impresa")
    # Entries of the portal's main menu (reti.portal.nav).
    portal_nav = (("csr:home", _("Responsabilità sociale d'impresa"), "explore"),)
    # What the app adds to `reti demo` (after grids, whose catalogue it uses).
    demo = Demo("reti.csr.demo", order=75)
    # A company's organisation page shows its valid attestations (public facts only).
    portal_sections = {
        "organisation": (
            Section(
                "csr/includes/organisation_section.html",
                "reti.csr.sections.organisation_attestations",
                order=60,
            ),
        )
    }
    # A grants call's CSR bonus, read from the applicant's attestation (reti.csr.bonus).
    grid_fixed_answers = "reti.csr.bonus.fixed_answers"
    # The managers of a prize edition oversee its jury's grids committee.
    grid_committee_managers = "reti.csr.permissions.manages_prize_committee"
    # The open dataset of valid attestations (reti.opendata).
    datasets = "reti.csr.datasets"
    account_sections = (
        Section("csr/includes/account_section.html", "reti.csr.sections.account", order=60),
    )
