"""Reti's projects in OpenCoesione's layout as an open dataset (reti.opendata)."""

from django.utils.translation import gettext_lazy as _

from reti.opendata.registry import Dataset, last_change
from reti.registry.models import Project

from .exporting import PROJECTS, projects

DATASETS = (
    Dataset(
        code="progetti-opencoesione",
        title=_("Progetti nel tracciato OpenCoesione"),
        description=_(
            "I progetti del registro con le colonne e i codici dei file «progetti» di "
            "OpenCoesione (CUP, titolo, programma, tema, territori, importi, date, soggetti): "
            "si leggono con gli stessi strumenti. Il CSV per Excel usa il punto e virgola e la "
            "virgola decimale come OpenCoesione; le date sono AAAAMMGG."
        ),
        table=PROJECTS,
        rows=projects,
        modified=last_change(Project.objects.all()),
        themes=("REGI", "ECON", "SOCI"),
        keywords=(_("OpenCoesione"), _("progetti"), _("CUP"), _("politiche di coesione")),
    ),
)
