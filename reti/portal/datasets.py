"""The registry's open datasets (reti.opendata): networks, projects, organisations, each every
record of its public list, with the list's own columns."""

from django.utils.translation import gettext_lazy as _

from reti.opendata.registry import Dataset, last_change
from reti.registry.models import Network, Organisation, Project

from .networks import NETWORKS
from .organisations import ORDERING, ORGANISATIONS
from .projects import PROJECTS


def networks():
    return (
        Network.objects.select_related("source")
        .prefetch_related("periods", "themes")
        .order_by("name_it", "id")
        .iterator(chunk_size=2000)
    )


def projects():
    return (
        Project.objects.select_related("period", "fund", "source")
        .order_by("-id")
        .iterator(chunk_size=2000)
    )


def organisations():
    return (
        Organisation.objects.select_related("territory")
        .order_by(*ORDERING)
        .iterator(chunk_size=2000)
    )


DATASETS = (
    Dataset(
        code="reti",
        title=_("Reti del FSE e del FSE+"),
        description=_(
            "Le reti tematiche e territoriali del Fondo sociale europeo registrate in Reti: "
            "nome, sigla, ambito, stato, periodi di programmazione e temi."
        ),
        table=NETWORKS,
        rows=networks,
        modified=last_change(Network.objects.all()),
        themes=("SOCI", "GOVE"),
        keywords=(_("reti"), _("Fondo sociale europeo"), _("FSE+")),
    ),
    Dataset(
        code="progetti",
        title=_("Progetti delle reti"),
        description=_("I progetti registrati in Reti, con periodo, fondo e stato."),
        table=PROJECTS,
        rows=projects,
        modified=last_change(Project.objects.all()),
        themes=("SOCI", "ECON"),
        keywords=(_("progetti"), _("Fondo sociale europeo")),
    ),
    Dataset(
        code="organizzazioni",
        title=_("Organizzazioni"),
        description=_(
            "Le organizzazioni del registro (amministrazioni, enti, partner) con tipo, "
            "stato e territorio."
        ),
        table=ORGANISATIONS,
        rows=organisations,
        modified=last_change(Organisation.objects.all()),
        themes=("GOVE",),
        keywords=(_("organizzazioni"), _("pubblica amministrazione")),
    ),
)
