"""Reti's projects in OpenCoesione's project layout (layout.py), through the one tabular
writer: the same `Table` serves `reti opencoesione export` (OpenCoesione's own spelling:
`;`, decimal comma, no BOM) and the open dataset (reti.opendata's downloads).

A project imported from OpenCoesione is written back as it was read (its CohesionRecord);
any other project gets what the registry knows: CUP, title, cycle from its programming
period, fund, the places of its partners as territories, its budget as public funding,
dates, the lead partner as beneficiary. Programme and theme stay empty: Reti does not invent
them.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from reti.lib import tabular
from reti.lib.tabular import writers
from reti.registry.models import Partnership, Project, ProjectPlace, Territory

from . import layout

# OpenCoesione's spelling of a CSV (layout.py); booleans never occur in the layout.
DIALECT = writers.Dialect(delimiter=";", decimal_mark=",", bom=False, true="S", false="N")
LEVEL_COLUMN = {
    Territory.Level.REGION: "COD_REGIONE",
    Territory.Level.AUTONOMOUS_PROVINCE: "COD_REGIONE",
    Territory.Level.PROVINCE: "COD_PROVINCIA",
    Territory.Level.MUNICIPALITY: "COD_COMUNE",
}
CENT = Decimal("0.01")


def _money(value):
    return None if value is None else value.quantize(CENT)


def _facts(project: Project) -> dict:
    """Everything a row says about `project`, worked out once per project."""
    cached = getattr(project, "_oc_facts", None)
    if cached is not None:
        return cached
    record = getattr(project, "cohesion", None)
    if record is not None:
        territories = list(record.territories.all())
    else:
        territories = [place.territory for place in project.places.all()]
    by_column: dict[str, list[Territory]] = {}
    for territory in sorted(territories, key=lambda t: t.code):
        column = LEVEL_COLUMN.get(territory.level)
        if column:
            by_column.setdefault(column, []).append(territory)
    partners = sorted(project.partnerships.all(), key=lambda p: (p.role != "lead", p.pk))
    beneficiaries = [p.organisation for p in partners if p.role in ("lead", "partner")]
    cycle = record.cycle_code if record else layout.PERIOD_CYCLES.get(project.period.code)
    theme = record.theme_code if record else None
    facts = {
        "COD_LOCALE_PROGETTO": record.local_code if record else f"RETI-{project.pk}",
        "CUP": project.cup,
        "OC_TITOLO_PROGETTO": project.title_it,
        "OC_SINTESI_PROGETTO": record.summary if record else project.objectives_it or None,
        "OC_COD_CICLO": cycle,
        "OC_DESCR_CICLO": layout.CYCLES.get(cycle or ""),
        "OC_COD_TEMA_SINTETICO": theme,
        "OC_TEMA_SINTETICO": layout.THEMES.get(theme or ""),
        "OC_COD_FONTE": record.source_code or None if record else None,
        "OC_DESCR_FONTE": None,
        "FONDO_COMUNITARIO": project.fund.code if project.fund_id else None,
        "OC_CODICE_PROGRAMMA": record.programme_code if record else None,
        "OC_DESCRIZIONE_PROGRAMMA": record.programme_name or None if record else None,
        "FINANZ_TOTALE_PUBBLICO": _money(record.public_funding if record else project.budget),
        "IMPEGNI": _money(record.commitments) if record else None,
        "TOT_PAGAMENTI": _money(record.payments) if record else None,
        "OC_DATA_INIZIO_PROGETTO": layout.date_text(project.start_date),
        "OC_DATA_FINE_PROGETTO_PREVISTA": layout.date_text(
            record.planned_end if record else project.end_date
        ),
        "OC_DATA_FINE_PROGETTO_EFFETTIVA": layout.date_text(
            project.end_date if project.status == Project.Status.COMPLETED else None
        ),
        "OC_CODFISC_PROGRAMMATORE": record.programmer.tax_code
        if record and record.programmer_id
        else None,
        "OC_DENOM_PROGRAMMATORE": record.programmer.name_it
        if record and record.programmer_id
        else None,
        "OC_CODFISC_BENEFICIARIO": layout.joined(o.tax_code or "" for o in beneficiaries),
        "OC_DENOM_BENEFICIARIO": layout.joined(o.name_it for o in beneficiaries if o.tax_code),
    }
    for code_column, name_column in (
        ("COD_REGIONE", "DEN_REGIONE"),
        ("COD_PROVINCIA", "DEN_PROVINCIA"),
        ("COD_COMUNE", "DEN_COMUNE"),
    ):
        found = by_column.get(code_column, [])
        facts[code_column] = layout.joined(t.code for t in found)
        facts[name_column] = layout.joined(t.name_it for t in found)
    project._oc_facts = facts
    return facts


def _column(spec: layout.Spec) -> tabular.Column:
    money = spec.name in ("FINANZ_TOTALE_PUBBLICO", "IMPEGNI", "TOT_PAGAMENTI")
    return tabular.Column(
        spec.name,
        _(spec.it),
        lambda project, name=spec.name: _facts(project)[name],
        type="number" if money else "string",
        unit="EUR" if money else "",
        required=spec.name in ("COD_LOCALE_PROGETTO", "OC_TITOLO_PROGETTO"),
    )


PROJECTS = tabular.Table(
    "progetti_opencoesione",
    _("Progetti nel tracciato OpenCoesione"),
    tuple(_column(spec) for spec in layout.COLUMNS),
    _("I progetti di Reti con le colonne e i codici dei file «progetti» di OpenCoesione."),
)


def projects() -> Iterator[Project]:
    """Every project, oldest first, with what its row needs in a fixed number of queries
    per chunk of 2000."""
    partners = Partnership.objects.filter(role__in=("lead", "partner")).select_related(
        "organisation"
    )
    places = ProjectPlace.objects.select_related("territory")
    return (
        Project.objects.select_related("period", "fund", "cohesion", "cohesion__programmer")
        .prefetch_related(
            "cohesion__territories",
            Prefetch("partnerships", partners),
            Prefetch("places", places),
        )
        .order_by("id")
        .iterator(chunk_size=2000)
    )


def chunks(records: Iterable[Project] | None = None) -> Iterator[bytes]:
    """The CSV file, as OpenCoesione spells it, in chunks of about 64 kB."""
    rows = tabular.rows_of(PROJECTS, projects() if records is None else records)
    return writers.csv_chunks(PROJECTS, rows, DIALECT)
