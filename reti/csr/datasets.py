"""The CSR open dataset (reti.opendata): the attestations valid today.

One row per attestation valid and not revoked on the day of the download: the company (its
name, P.IVA, region, ATECO section and size class: a company, never a natural person), the
level, the validity dates and the verification address. Nothing of the answers, the
evidence, the validator or the people acting for the company; revoked and expired
attestations are left out (the verification page still answers for them), and so are sole
proprietorships (impresa individuale), whose name and P.IVA are a natural person's.
"""

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reti.lib import tabular
from reti.opendata.registry import Dataset

from . import levels
from .models import Attestation

ATTESTATIONS = tabular.Table(
    "attestazioni-rsi",
    _("Attestazioni RSI valide"),
    (
        tabular.Column("impresa", _("Impresa"), "company.organisation.name_it"),
        tabular.Column("partita_iva", _("Partita IVA"), "company.organisation.vat_number"),
        tabular.Column("regione", _("Regione della sede legale"), "company.region.name_it"),
        tabular.Column("sezione_ateco", _("Sezione ATECO 2025"), "company.ateco_section"),
        tabular.Column(
            "classe_dimensionale", _("Classe dimensionale"), "company.size_class",
            description=_("micro, small, medium, large (Raccomandazione 2003/361/CE)."),
        ),
        tabular.Column(
            "livello", _("Livello"), "level",
            description=_("base, advanced, excellent: soglie in docs/csr.md."),
        ),
        tabular.Column("etichetta_livello", _("Livello (etichetta)"),
                       lambda a: levels.label(a.level)),
        tabular.Column("valida_dal", _("Valida dal"), "valid_from", type="date", required=True),
        tabular.Column("valida_fino_al", _("Valida fino al"), "valid_until", type="date",
                       required=True),
        tabular.Column("verifica", _("Pagina di verifica"), lambda a: a.get_absolute_url(),
                       type="url"),
        tabular.Column(
            "dato_sintetico", _("Dato sintetico"), "synthetic", type="boolean",
            description=_("Sì per i dati inventati della dimostrazione"),
        ),
    ),
    description=_("Le attestazioni RSI valide e non revocate alla data dello scaricamento."),
)  # fmt: skip


def valid():
    today = timezone.localdate()
    return (
        Attestation.objects.filter(
            valid_from__lte=today, valid_until__gte=today, revoked_at__isnull=True
        )
        .exclude(company__legal_form="sole")
        .select_related("company__organisation", "company__region")
        .order_by("company__organisation__name_it", "valid_from", "pk")
    )


def modified():
    return Attestation.objects.aggregate(moment=Max("updated_at"))["moment"]


DATASETS = (
    Dataset(
        code="attestazioni-rsi",
        title=_("Attestazioni RSI valide"),
        description=_(
            "Le attestazioni di responsabilità sociale d'impresa valide e non revocate: "
            "impresa, partita IVA, regione, sezione ATECO, classe dimensionale, livello, "
            "date di validità e indirizzo di verifica. Nessun dato di persone fisiche."
        ),
        table=ATTESTATIONS,
        rows=valid,
        modified=modified,
        themes=("ECON", "SOCI"),
        keywords=(_("responsabilità sociale d'impresa"), _("attestazioni"), _("imprese")),
        frequency="DAILY",
    ),
)
