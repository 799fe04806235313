"""What the events list downloads (reti.lib.tabular)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reti.lib import tabular

EVENTS = tabular.Table(
    "eventi",
    _("Eventi"),
    (
        tabular.Column("id", _("Numero dell'evento"), type="integer"),
        tabular.Column("titolo", _("Titolo"), "title_it"),
        tabular.Column("titolo_en", _("Titolo in inglese"), "title_en"),
        tabular.Column("tipo", _("Tipo"), lambda e: e.get_kind_display()),
        tabular.Column("inizio", _("Inizio"), "start", type="datetime"),
        tabular.Column("fine", _("Fine"), "end", type="datetime"),
        tabular.Column("luogo", _("Luogo"), "place"),
        tabular.Column("collegamento_online", _("Collegamento online"), "online_url", type="url"),
        tabular.Column("id_ospite", _("Organizzazione ospite (numero)"), "host_id", type="integer"),
        tabular.Column("ospite", _("Organizzazione ospite"), "host.name_it"),
        tabular.Column("rete", _("Rete"), "network.slug"),
        tabular.Column(
            "temi", _("Temi"),
            lambda e: " | ".join(theme.code for theme in e.themes.all()),
            description=_("Codici separati da |"),
        ),
        tabular.Column("posti", _("Posti"), "capacity", type="integer"),
        tabular.Column(
            "dato_sintetico", _("Dato sintetico"), "synthetic", type="boolean",
            description=_("Sì per i dati inventati della dimostrazione"),
        ),
        tabular.Column(
            "pagina", _("Pagina sul portale"),
            lambda e: reverse("events:detail", args=[e.pk]), type="url",
        ),
    ),
    description=_("Gli eventi che corrispondono ai filtri della lista, nel suo ordine."),
)  # fmt: skip
