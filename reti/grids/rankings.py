"""A committee's ranking (graduatoria) as a table: the page and its download show the same
columns, declared once here for the one tabular writer (reti.lib.tabular)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from reti.lib import tabular

from .messages import decided_by_label, outcome_label


def _node_column(code: str) -> tabular.Column:
    return tabular.Column(
        f"punti_{code}",
        format_lazy(_("Punti di {code}"), code=code),
        lambda row, code=code: row.scores.get(code),
        type="number",
        description=_("Il punteggio del criterio usato come spareggio."),
    )


def ranking_table(ranking) -> tabular.Table:
    """The columns of `ranking`: one per figure it was ranked on, node tie-breaks included."""
    nodes = [name[5:] for name in ranking.tie_breaks if name.startswith("node:")]
    columns = [
        tabular.Column("posizione", _("Posizione"), type="integer", getter="position"),
        tabular.Column("soggetto", _("Soggetto"), lambda row: str(row.subject)),
        tabular.Column(
            "chiave",
            _("Chiave del soggetto"),
            getter="subject_key",
            description=_("Tipo e identificativo del soggetto: la chiave del sorteggio."),
        ),
        tabular.Column("esito", _("Esito"), lambda row: str(outcome_label(row.outcome))),
        tabular.Column("punteggio", _("Punteggio"), getter="total", type="number"),
        tabular.Column("massimo", _("Massimo"), getter="max_points", type="number"),
        *[_node_column(code) for code in nodes],
        tabular.Column(
            "presentata_il",
            _("Presentata il"),
            getter="submitted_at",
            type="datetime",
            description=_("La presentazione del soggetto (di una domanda), se ne ha una."),
        ),
        tabular.Column(
            "deciso_da",
            _("Deciso da"),
            lambda row: str(decided_by_label(row.decided_by)),
            description=_("Ciò che separa il soggetto dai vicini: esito, punteggio, spareggio."),
        ),
        tabular.Column(
            "sorteggio",
            _("Sorteggio"),
            getter="lot",
            description=_("SHA-256 del seme, un byte NUL e la chiave: il più basso prima."),
        ),
    ]
    return tabular.Table(
        f"graduatoria-{ranking.committee.pk}",
        _("Graduatoria"),
        tuple(columns),
        description=_("Le decisioni collegiali della commissione in ordine."),
    )
