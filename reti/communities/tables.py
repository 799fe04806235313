"""What the communities list downloads (reti.lib.tabular)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reti.lib import tabular

COMMUNITIES = tabular.Table(
    "comunita",
    _("Comunità di pratica"),
    (
        tabular.Column("id", _("Numero della comunità"), type="integer"),
        tabular.Column("identificativo", _("Identificativo nell'indirizzo della pagina"), "slug"),
        tabular.Column("nome", _("Nome"), "name_it"),
        tabular.Column("nome_en", _("Nome in inglese"), "name_en"),
        tabular.Column("rete", _("Rete"), "network.slug"),
        tabular.Column("tema", _("Tema"), "theme.code"),
        tabular.Column(
            "pubblica", _("Pubblica"), "is_public", type="boolean",
            description=_("No per le comunità riservate ai membri"),
        ),
        tabular.Column("membri", _("Membri"), "member_count", type="integer"),
        tabular.Column("discussioni", _("Discussioni"), "thread_count", type="integer"),
        tabular.Column(
            "dato_sintetico", _("Dato sintetico"), "synthetic", type="boolean",
            description=_("Sì per i dati inventati della dimostrazione"),
        ),
        tabular.Column(
            "pagina", _("Pagina sul portale"),
            lambda c: reverse("communities:detail", args=[c.slug]), type="url",
        ),
    ),
    description=_("Le comunità di pratica che chi scarica può vedere."),
)  # fmt: skip
