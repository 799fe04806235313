"""Administrative facilitations (agevolazioni) and which a company's attestation opens.

A facilitation requires a level; a company is eligible on a day when it holds an attestation
valid and not revoked that day whose level is at least the one required (base < advanced <
excellent, as in catalogue/levels.yaml), and the facilitation is in force that day. The
facilitations of every region are open to the company, wherever its seat: each says which
region grants it. The public list and its download (through reti.lib.tabular, the one
writer) share the table below.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reti.lib import tabular

from . import levels
from .models import Attestation, Facilitation


def rank(level: str) -> int:
    codes = [item["code"] for item in levels.rules()["levels"]]
    return codes.index(level) if level in codes else -1


def best_level(company, day) -> str:
    """The highest level among the company's attestations valid on `day` ("" for none)."""
    found = Attestation.objects.filter(
        company=company, valid_from__lte=day, valid_until__gte=day, revoked_at__isnull=True
    ).values_list("level", flat=True)
    return max(found, key=rank, default="")


def in_force(day=None):
    day = day or timezone.localdate()
    return (
        Facilitation.objects.filter(valid_from__lte=day)
        .exclude(valid_until__lt=day)
        .select_related("region")
    )


def eligible(company, day=None) -> list[Facilitation]:
    """The facilitations in force that the company's level gives it, by region."""
    day = day or timezone.localdate()
    level = best_level(company, day)
    if not level:
        return []
    return [f for f in in_force(day) if rank(f.required_level) <= rank(level)]


TABLE = tabular.Table(
    "agevolazioni-rsi",
    _("Agevolazioni per imprese socialmente responsabili"),
    (
        tabular.Column("regione", _("Regione"), "region.name_it"),
        tabular.Column("amministrazione", _("Amministrazione che la concede"), "granted_by"),
        tabular.Column("tipo", _("Tipo"), lambda f: f.get_kind_display()),
        tabular.Column("agevolazione", _("Agevolazione"), "title_it"),
        tabular.Column(
            "livello_richiesto", _("Livello RSI richiesto"),
            lambda f: levels.label(f.required_level),
            description=_("Livello minimo dell'attestazione RSI: base, avanzato, eccellente."),
        ),
        tabular.Column("base_giuridica", _("Base giuridica"), "legal_basis"),
        tabular.Column("in_vigore_dal", _("In vigore dal"), "valid_from", type="date"),
        tabular.Column("in_vigore_fino_al", _("In vigore fino al"), "valid_until", type="date"),
        tabular.Column(
            "dato_sintetico", _("Dato sintetico"), "synthetic", type="boolean",
            description=_("Sì per i dati inventati della dimostrazione"),
        ),
    ),
    description=_("Le agevolazioni in vigore per le imprese con attestazione RSI, per regione."),
)  # fmt: skip
