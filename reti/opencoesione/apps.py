from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenCoesioneConfig(AppConfig):
    name = "reti.opencoesione"
    verbose_name = _("OpenCoesione")
    # Reti's projects in OpenCoesione's layout, as an open dataset (reti.opendata).
    datasets = "reti.opencoesione.datasets"
