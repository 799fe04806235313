"""The published column specification of participant files, and its templates.

One row per person: the Italian column names below, in any order, in a CSV (UTF-8 with or
without BOM, or Windows-1252; `;` or `,`) or an XLSX file (first sheet, header in row 1).
docs/monitoring.md shows the same table; `TEMPLATE` (written by reti.lib.tabular, CSV or
XLSX) is an empty file with the header and one invented example row.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reti.lib import tabular


@dataclass(frozen=True)
class Column:
    name: str  # the Italian column name in the file
    kind: str  # cf, gender, date, age, status, bool, isced
    required: bool
    help: str
    example: str


BOOL_HELP = _("si / no (vuoto = no)")
RESULT_HELP = _("si / no; vuoto = non rilevato")

COLUMNS = (
    Column(
        "codice_fiscale",
        "cf",
        True,
        _("Codice fiscale della persona (16 caratteri)"),
        "RSSMRA85T10A562S",
    ),
    Column("genere", "gender", True, _("F = donna, M = uomo, NB = non binario"), "M"),
    Column(
        "data_nascita",
        "date",
        False,
        _("gg/mm/aaaa o aaaa-mm-gg; serve questa o eta_ingresso"),
        "10/12/1985",
    ),
    Column("eta_ingresso", "age", False, _("Età in anni compiuti all'ingresso (0-120)"), ""),
    Column(
        "data_ingresso", "date", True, _("Data del primo ingresso nell'intervento"), "01/03/2024"
    ),
    Column(
        "data_uscita",
        "date",
        False,
        _("Data di uscita; vuoto = ancora nell'intervento"),
        "30/09/2024",
    ),
    Column(
        "condizione_ingresso",
        "status",
        True,
        _("disoccupato, inattivo oppure occupato (anche autonomo)"),
        "disoccupato",
    ),
    Column("disoccupato_lunga_durata", "bool", False, _("Solo per i disoccupati"), "si"),
    Column(
        "inattivo_non_in_istruzione",
        "bool",
        False,
        _("Solo per gli inattivi: non in istruzione né formazione"),
        "no",
    ),
    Column("isced", "isced", False, _("Livello ISCED 2011 del titolo più alto (0-8)"), "3"),
    Column("disabilita", "bool", False, BOOL_HELP, "no"),
    Column("cittadino_paese_terzo", "bool", False, BOOL_HELP, "no"),
    Column("origine_straniera", "bool", False, BOOL_HELP, "no"),
    Column("minoranza", "bool", False, BOOL_HELP, "no"),
    Column("senza_dimora", "bool", False, BOOL_HELP, "no"),
    Column("zona_rurale", "bool", False, BOOL_HELP, "no"),
    Column("esecuzione_penale", "bool", False, BOOL_HELP, "si"),
    Column("vittima_tratta", "bool", False, BOOL_HELP, "no"),
    Column("altro_svantaggio", "bool", False, BOOL_HELP, "no"),
    Column(
        "data_rilevazione_uscita",
        "date",
        False,
        _("Quando è stata rilevata la situazione all'uscita"),
        "15/10/2024",
    ),
    Column("uscita_in_cerca_lavoro", "result", False, RESULT_HELP, "no"),
    Column("uscita_in_istruzione", "result", False, RESULT_HELP, "no"),
    Column("uscita_qualifica", "result", False, RESULT_HELP, "si"),
    Column("uscita_occupato", "result", False, RESULT_HELP, "si"),
    Column(
        "data_rilevazione_sei_mesi",
        "date",
        False,
        _("Quando è stata rilevata la situazione sei mesi dopo l'uscita"),
        "15/04/2025",
    ),
    Column("sei_mesi_occupato", "result", False, RESULT_HELP, "si"),
    Column("sei_mesi_migliorato", "result", False, RESULT_HELP, ""),
)
NAMES = tuple(column.name for column in COLUMNS)
BY_NAME = {column.name: column for column in COLUMNS}

GENDERS = {
    "f": "female",
    "donna": "female",
    "female": "female",
    "m": "male",
    "uomo": "male",
    "male": "male",
    "nb": "non_binary",
    "x": "non_binary",
    "non binario": "non_binary",
    "non_binario": "non_binary",
    "non_binary": "non_binary",
}
STATUSES = {
    "disoccupato": "unemployed",
    "d": "unemployed",
    "unemployed": "unemployed",
    "inattivo": "inactive",
    "i": "inactive",
    "inactive": "inactive",
    "occupato": "employed",
    "o": "employed",
    "employed": "employed",
    "autonomo": "employed",
    "lavoratore autonomo": "employed",
}
TRUE = {"si", "sì", "s", "1", "x", "true", "vero", "yes", "y"}
FALSE = {"no", "n", "0", "false", "falso"}


# The template: one column per file column, its help as the description (the XLSX notes
# sheet lists them, with which are required), one invented example row.
TEMPLATE = tabular.Table(
    "partecipanti",
    _("Modello del file dei partecipanti"),
    tuple(
        tabular.Column(
            column.name,
            column.name,
            lambda example, name=column.name: example[name],
            description=column.help,
            required=column.required,
        )
        for column in COLUMNS
    ),
    description=_("Una riga per persona; le colonne possono stare in qualsiasi ordine."),
)
TEMPLATE_ROWS = ({column.name: column.example for column in COLUMNS},)


def template_bytes(fmt: str) -> bytes:
    """The whole template file in `fmt` ("csv" or "xlsx"), as the download gives it."""
    return b"".join(tabular.body(fmt, TEMPLATE, tabular.rows_of(TEMPLATE, TEMPLATE_ROWS), {}))


def template_csv() -> bytes:
    return template_bytes("csv")


def template_xlsx() -> bytes:
    return template_bytes("xlsx")
