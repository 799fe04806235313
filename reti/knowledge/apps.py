from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reti.lib.extensions import Demo, Section


class KnowledgeConfig(AppConfig):
    name = "reti.knowledge"
    verbose_name = _("Buone pratiche")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("knowledge:practice_list", _("Buone pratiche"), "exchange"),)
    # What the app adds to `reti demo` and to others' pages; see reti.lib.extensions.
    demo = Demo("reti.knowledge.demo", order=10)
    portal_sections = {
        "organisation": (
            Section(
                "knowledge/includes/organisation_transfers.html",
                "reti.knowledge.sections.organisation_transfers",
                order=10,
            ),
        ),
    }
    account_sections = (
        Section(
            "knowledge/includes/account_drafts.html",
            "reti.knowledge.sections.account_drafts",
            order=40,
        ),
    )

    def ready(self):
        from .search import register

        register()
