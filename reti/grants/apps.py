from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    """Small-grant calls of a global grant (Sovvenzione Globale): call, application, ranking."""

    name = "reti.grants"
    verbose_name = _("Bandi e piccoli sussidi")
