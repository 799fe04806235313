from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "reti.registry"
    verbose_name = _("Registro")

    def ready(self):
        from reti.lib import lookups  # noqa: F401 (registers `field__among`)

        from . import changes, places, search

        changes.connect_signals()
        search.connect_signals()
        places.connect_signals()
