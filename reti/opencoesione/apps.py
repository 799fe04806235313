from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reti.lib.extensions import Demo


class OpenCoesioneConfig(AppConfig):
    name = "reti.opencoesione"
    verbose_name = _("OpenCoesione")
    # Reti's projects in OpenCoesione's layout, as an open dataset (reti.opendata).
    datasets = "reti.opencoesione.datasets"
    # The synthetic sample's projects in `reti demo`, after the registry's (docs/opencoesione.md).
    demo = Demo("reti.opencoesione.demo", order=80)
