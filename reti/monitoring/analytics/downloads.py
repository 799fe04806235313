"""The indicators page's download: the cells the page shows, through the one tabular writer.

One row per cell (indicator, region, gender), read from the same protected selection as the
page (public.py): a suppressed cell has an empty value and the note SUPPRESSED, never a
number, in every format (CSV for Italian Excel and international, XLSX, JSON). The note does
not say why a cell is hidden (under the threshold, or to protect one that is): telling a
primary cell from a complementary one would tell a reader which counts are small.
"""

from django.utils.translation import gettext_lazy as _

from reti.lib import tabular

from .definitions import PARTICIPANT_INDICATORS
from .disclosure import GENDERS, TOTAL
from .forms import GENDER_LABELS

# Eurostat's flag for a confidential value.
SUPPRESSED = "c"

TABLE = tabular.Table(
    "indicatori",
    _("Indicatori comuni per regione e genere"),
    (
        tabular.Column("codice_indicatore", _("Codice dell’indicatore"), "code"),
        tabular.Column("indicatore", _("Indicatore"), "name"),
        tabular.Column("codice_regione", _("Codice ISTAT della regione"), "region"),
        tabular.Column("regione", _("Regione"), "region_name"),
        tabular.Column("genere", _("Genere"), "gender"),
        tabular.Column(
            "valore",
            _("Persone"),
            "value",
            type="integer",
            description=_("Vuoto quando non è pubblicato (vedi la nota)."),
        ),
        tabular.Column(
            "nota",
            _("Nota"),
            "note",
            description=_(
                "c: non pubblicato per la riservatezza (meno persone della soglia, o un "
                "valore da cui si ricaverebbe un conteggio non pubblicato)."
            ),
        ),
    ),
    description=_(
        "Gli indicatori comuni del FSE+ e del FSE 2014-2020 calcolati dai record dei "
        "partecipanti, con la stessa protezione dei piccoli numeri della pagina."
    ),
)


class Cell(dict):
    __getattr__ = dict.__getitem__


def _cells(rows: list[dict], code: str, name: str, region: str, region_name: str):
    for row in rows:
        if region:  # one region's indicators
            where = (row["code"], row["name"], region, region_name)
        else:  # one indicator by region, Italy last
            where = (code, name, row["region"], "Italia" if row["italy"] else row["name"])
        for gender in [*GENDERS, TOTAL]:
            value = row[gender]
            yield Cell(
                zip(("code", "name", "region", "region_name"), where, strict=True),
                gender=str(GENDER_LABELS.get(gender, _("Totale"))),
                value=value,
                note="" if value is not None else SUPPRESSED,
            )


def every_indicator(snapshot):
    """Every published cell of the snapshot: each indicator by region (Italy last) and gender,
    as the indicators page downloads one indicator (the open dataset, reti.opendata)."""
    from .labels import indicator_name
    from .public import indicator_table

    for indicator in PARTICIPANT_INDICATORS:
        name = indicator_name(indicator.code)
        yield from _cells(indicator_table(snapshot, indicator.code), indicator.code, name, "", "")


def indicators(request, code: str, name: str, region: str, region_name: str, rows: list[dict]):
    """The download of the indicators page: `rows` are its table (public.indicator_table for
    one indicator by region, or public.region_table for `region`'s indicators)."""
    filters = {"regione": region} if region else {"indicatore": code}
    return tabular.download(
        request,
        TABLE,
        _cells(rows, code, name, region, region_name),
        filters=filters,
        filename=f"indicatori-{region}" if region else f"indicatori-{code}",
    )


BALANCE = tabular.Table(
    "bilanciamento",
    _("Bilanciamento delle variabili prima e dopo l’abbinamento"),
    (
        tabular.Column("variabile", _("Variabile"), "covariate"),
        tabular.Column("descrizione", _("Descrizione"), "label"),
        tabular.Column(
            "nel_modello",
            _("Nel modello di propensione"),
            "in_model",
            type="boolean",
            description=_("No: termine di controllo, non usato dal modello."),
        ),
        tabular.Column("smd_prima", _("Differenza standardizzata prima"), "before", type="number"),
        tabular.Column("smd_dopo", _("Differenza standardizzata dopo"), "after", type="number"),
        tabular.Column(
            "rapporto_varianze",
            _("Rapporto delle varianze dopo (trattati / confronto)"),
            "variance_ratio",
            type="number",
        ),
        tabular.Column("sbilanciata", _("Sbilanciata"), "imbalanced", type="boolean"),
    ),
    description=_(
        "Sbilanciata: differenza standardizzata oltre 0,1 in valore assoluto o rapporto delle "
        "varianze fuori da 0,5-2."
    ),
)


def _estimate(estimate, question: str) -> dict | None:
    if estimate is None:
        return None
    return {
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "significant": estimate.significant,
        "question": question,
    }


def added_value(request, result, filters: dict):
    """The added-value page's download: `?format=json` the whole analysis (estimates with
    their intervals and the question each answers, sample sizes, balance), the other
    formats the balance table. Shares as fractions (0.08 is 8 percentage points)."""
    from django.http import JsonResponse

    from .added_value import imbalanced
    from .labels import covariate_label

    rows = [
        Cell(row | {"label": covariate_label(row["covariate"]), "imbalanced": imbalanced(row)})
        for row in result.balance
    ]
    for row in rows:
        row.setdefault("variance_ratio", None)
        row.setdefault("in_model", True)
    if tabular.asked(request) != "json":
        return tabular.download(request, BALANCE, rows, filters=filters, filename="bilanciamento")
    document = {
        "filters": filters,
        "instrument": result.instrument,
        "comparison": result.compare or "all_other_instruments",
        "outcome": "employed six months after leaving (share)",
        "population": result.population,
        "unobserved": result.unobserved,
        "sample": result.sample,
        "treated": result.treated,
        "controls": result.controls,
        "matched": result.matched,
        "treated_interventions": result.clusters,
        "not_estimable_because": result.reason or None,
        "naive_difference": result.naive,
        "att": _estimate(result.att, "effect on these participants (Abadie-Imbens)"),
        "att_instrument": _estimate(
            result.att_cluster,
            "effect of the instrument across its interventions (clustered by intervention)",
        ),
        "difference_in_differences": _estimate(
            result.did,
            "descriptive: assumes parallel trends, which one pre-period cannot check",
        ),
        "balance": [
            {
                "covariate": row["covariate"],
                "in_model": row["in_model"],
                "smd_before": row["before"],
                "smd_after": row["after"],
                "variance_ratio_after": row["variance_ratio"],
                "imbalanced": row["imbalanced"],
            }
            for row in rows
        ],
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="valore-aggiunto.json"'
    return response


FUNNEL = tabular.Table(
    "confronto",
    _("Confronto equo tra regioni: il tasso di ogni regione e i limiti di controllo"),
    (
        tabular.Column("tasso", _("Codice del tasso"), "rate"),
        tabular.Column("codice_regione", _("Codice ISTAT della regione"), "region"),
        tabular.Column("regione", _("Regione"), "name"),
        tabular.Column("persone", _("Persone"), "n", type="integer"),
        tabular.Column("esiti", _("Persone con l’esito"), "events", type="integer"),
        tabular.Column("tasso_percentuale", _("Tasso"), "percent", type="number", unit="%"),
        tabular.Column(
            "rispetto_alla_media",
            _("Rispetto alla media"),
            "band",
            description=_(
                "within: entro i limiti al 95%; high_95, low_95: oltre il limite al 95%; "
                "high_998, low_998: oltre il limite al 99,8%."
            ),
        ),
    ),
    description=_(
        "Solo le regioni i cui conteggi sono pubblicati; la media nazionale e i limiti sono "
        "calcolati su di esse."
    ),
)


def comparison(request, rate: str, points: list[dict]):
    """The comparison page's download: the points of the funnel plot as the table shows them."""
    rows = [Cell(point | {"rate": rate}) for point in points]
    return tabular.download(
        request, FUNNEL, rows, filters={"tasso": rate}, filename=f"confronto-{rate}"
    )


HOMOGENEITY = tabular.Table(
    "omogeneita",
    _("Omogeneità territoriale: valori per regione e periodo, con gli indici del periodo"),
    (
        tabular.Column("misura", _("Misura"), "measure"),
        tabular.Column("periodo", _("Periodo di programmazione"), "period"),
        tabular.Column("codice_regione", _("Codice ISTAT della regione"), "region"),
        tabular.Column("regione", _("Regione"), "name"),
        tabular.Column("macro_area", _("Macro-area"), "macro_area"),
        tabular.Column(
            "valore",
            _("Valore"),
            "value",
            type="number",
            description=_("Vuoto quando non è pubblicato (vedi la nota)."),
        ),
        tabular.Column("nota", _("Nota"), "note", description=_("c: non pubblicato.")),
        tabular.Column("regioni_negli_indici", _("Regioni negli indici"), "regions",
                       type="integer"),
        tabular.Column("media", _("Media del periodo"), "mean", type="number"),
        tabular.Column("coefficiente_variazione", _("Coefficiente di variazione"), "cv",
                       type="number"),
        tabular.Column("gini", _("Indice di Gini"), "gini", type="number"),
        tabular.Column("theil", _("Indice di Theil"), "theil", type="number"),
        tabular.Column("theil_tra", _("Theil tra macro-aree"), "theil_between", type="number"),
        tabular.Column("theil_dentro", _("Theil dentro le macro-aree"), "theil_within",
                       type="number"),
        tabular.Column("max_min", _("Rapporto tra massimo e minimo"), "max_min_ratio",
                       type="number"),
    ),
    description=_(
        "Gli indici del periodo sono ripetuti su ogni riga del periodo e calcolati sui soli "
        "valori pubblicati."
    ),
)  # fmt: skip
INDEX_FIELDS = ("regions", "mean", "cv", "gini", "theil", "theil_between", "theil_within")


def homogeneity(request, measure: str, result):
    """The homogeneity page's download: each region's value by period (a hidden one empty,
    with the note c), beside its period's indices."""
    by_period = {p["period"]: p["indices"] for p in result.by_period}
    rows = []
    for value in result.values:
        found = by_period.get(value["period"])
        indices = {name: getattr(found, name, None) for name in (*INDEX_FIELDS, "max_min_ratio")}
        note = "" if value["value"] is not None else SUPPRESSED
        rows.append(Cell(value | indices | {"measure": measure, "note": note}))
    return tabular.download(
        request, HOMOGENEITY, rows, filters={"misura": measure}, filename=f"omogeneita-{measure}"
    )
