"""The grants' open dataset (reti.opendata): the published rankings of the calls.

One row per application in the latest published run of each call (graduatoria provvisoria,
definitiva or after a scorrimento): the organisation, never a natural person; nothing of a
run not yet published."""

from django.db.models import Max, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from reti.lib import tabular
from reti.opendata.registry import Dataset

from . import runs
from .models import RankingEntry, RankingRun

RANKINGS = tabular.Table(
    "graduatorie-bandi",
    _("Graduatorie dei bandi"),
    (
        tabular.Column("bando", _("Codice del bando"), "run.call.code"),
        tabular.Column("titolo_bando", _("Titolo del bando"), "run.call.title_it"),
        tabular.Column(
            "graduatoria", _("Graduatoria"), lambda e: e.run.get_kind_display(),
            description=_("Provvisoria, definitiva o dopo uno scorrimento."),
        ),
        tabular.Column("elaborazione", _("Numero dell'elaborazione"), "run.number", type="integer"),
        tabular.Column("pubblicata_il", _("Pubblicata il"), "run.published_at", type="datetime"),
        tabular.Column("linea", _("Linea"), "line"),
        tabular.Column("posizione", _("Posizione"), "position", type="integer"),
        tabular.Column(
            "protocollo", _("Numero di protocollo"), "application.receipt.protocol_number"
        ),
        tabular.Column("proponente", _("Proponente"), "application.organisation.name_it"),
        tabular.Column("punteggio", _("Punteggio"), "score", type="number"),
        tabular.Column(
            "esito", _("Esito"), lambda e: e.get_status_display(),
            description=_("Finanziata, finanziata parzialmente, idonea non finanziata, "
                          "sotto soglia, non ammissibile, ritirata, revocata."),
        ),
        tabular.Column(
            "contributo_concesso", _("Contributo concesso"), "granted", type="number", unit="EUR"
        ),
        tabular.Column("riserva", _("Riserva"), "quota"),
        tabular.Column(
            "cup", _("CUP"), lambda e: runs.cup(e.application),
            description=_("Codice unico di progetto, se la gestione del contributo lo registra."),
        ),
        tabular.Column(
            "dato_sintetico", _("Dato sintetico"), "run.call.synthetic", type="boolean",
            description=_("Sì per i dati inventati della dimostrazione"),
        ),
    ),
    description=_("Le graduatorie pubblicate dei bandi, nell'ultima elaborazione di ciascuno."),
)  # fmt: skip


CALLS = tabular.Table(
    "bandi",
    _("Bandi"),
    (
        tabular.Column("codice", _("Codice del bando"), "code"),
        tabular.Column("titolo", _("Titolo"), "title_it"),
        tabular.Column("titolo_en", _("Titolo in inglese"), "title_en"),
        tabular.Column(
            "sovvenzione_globale", _("Sovvenzione globale"), lambda c: str(c.global_grant)
        ),
        tabular.Column("stato", _("Stato"), lambda c: c.get_status_display()),
        tabular.Column("apertura", _("Apertura"), "opens_at", type="datetime"),
        tabular.Column("scadenza", _("Scadenza"), "deadline", type="datetime",
                       description=_("Ora italiana.")),
        tabular.Column("pagina", _("Pagina del bando"), lambda c: c.get_absolute_url(), type="url"),
    ),
    description=_("I bandi pubblicati, aperti e conclusi."),
)  # fmt: skip


def _latest():
    newest = (
        RankingRun.objects.filter(call=OuterRef("call"))
        .exclude(published_at=None)
        .order_by("-number")
        .values("pk")[:1]
    )
    return RankingRun.objects.exclude(published_at=None).filter(pk=Subquery(newest))


def entries():
    return (
        RankingEntry.objects.filter(run__in=_latest())
        .select_related("run__call", "application__organisation", "application__receipt")
        .order_by("run__call__code", "line", "position", "application__receipt__protocol_number")
        .iterator(chunk_size=2000)
    )


def modified():
    return RankingRun.objects.aggregate(moment=Max("published_at"))["moment"]


DATASETS = (
    Dataset(
        code="graduatorie-bandi",
        title=_("Graduatorie dei bandi"),
        description=_(
            "Le graduatorie pubblicate dei bandi per piccoli contributi: per ogni domanda il "
            "proponente, il numero di protocollo, la linea, il punteggio, l'esito e il "
            "contributo concesso. Nessun dato di persone fisiche."
        ),
        table=RANKINGS,
        rows=entries,
        modified=modified,
        themes=("ECON", "SOCI", "GOVE"),
        keywords=(_("bandi"), _("graduatorie"), _("contributi")),
    ),
)
