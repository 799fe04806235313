from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "reti.knowledge"
    verbose_name = _("Buone pratiche")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("knowledge:practice_list", _("Buone pratiche"), "exchange"),)

    def ready(self):
        from .search import register

        register()
