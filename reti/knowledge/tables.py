"""What the knowledge lists download (reti.lib.tabular): the catalogue and the transfers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reti.lib import tabular


def _codes(related: str):
    return lambda record: " | ".join(item.code for item in getattr(record, related).all())


def _practice_page(practice) -> str:
    return reverse("knowledge:practice_detail", args=[practice.pk])


SYNTHETIC = tabular.Column(
    "dato_sintetico", _("Dato sintetico"), "synthetic", type="boolean",
    description=_("Sì per i dati inventati della dimostrazione"),
)  # fmt: skip

PRACTICES = tabular.Table(
    "buone_pratiche",
    _("Buone pratiche"),
    (
        tabular.Column("id", _("Numero della pratica"), type="integer"),
        tabular.Column("titolo", _("Titolo"), "title_it"),
        tabular.Column("titolo_en", _("Titolo in inglese"), "title_en"),
        tabular.Column("capofila", _("Organizzazione capofila"), "lead_organisation.name_it"),
        tabular.Column("rete", _("Rete"), "network.slug"),
        tabular.Column("codice_regione", _("Codice della regione"), "region.code"),
        tabular.Column("periodo", _("Periodo di programmazione"), "period.code"),
        tabular.Column(
            "temi", _("Temi"), _codes("themes"), description=_("Codici separati da |")
        ),
        tabular.Column("pubblicata_il", _("Pubblicata il"), "published_at", type="datetime"),
        SYNTHETIC,
        tabular.Column("pagina", _("Pagina sul portale"), _practice_page, type="url"),
    ),
    description=_("Le buone pratiche pubblicate che corrispondono alla ricerca e ai filtri."),
)  # fmt: skip

TRANSFERS = tabular.Table(
    "trasferimenti",
    _("Trasferimenti di buone pratiche"),
    (
        tabular.Column("id", _("Numero del trasferimento"), type="integer"),
        tabular.Column("id_pratica", _("Numero della pratica"), "practice_id", type="integer"),
        tabular.Column("pratica", _("Pratica"), "practice.title_it"),
        tabular.Column("rete", _("Rete della pratica"), "practice.network.slug"),
        tabular.Column(
            "organizzazione_adottante", _("Organizzazione che adotta"),
            "adopting_organisation.name_it",
        ),
        tabular.Column(
            "codice_regione_adottante", _("Codice della regione che adotta"),
            "adopting_region.code",
        ),
        tabular.Column("fase", _("Fase"), lambda t: t.get_stage_display()),
        tabular.Column("inizio", _("Inizio"), "start_date", type="date"),
        tabular.Column("fine", _("Adozione o fine"), "end_date", type="date"),
        SYNTHETIC,
        tabular.Column(
            "pagina_pratica", _("Pagina della pratica"),
            lambda t: reverse("knowledge:practice_detail", args=[t.practice_id]), type="url",
        ),
    ),
    description=_("I trasferimenti delle pratiche pubblicate, della rete scelta o di tutte."),
)  # fmt: skip
