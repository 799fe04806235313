"""OpenCoesione's project-level layout ("progetti"): its columns, code lists and spellings.

Pure: no Django. The column names and their order follow OpenCoesione's published project
files (docs/opencoesione.md cites the sources); Reti reads and writes the subset below. How
they spell values:

- `;` between fields, a header row of column names, UTF-8;
- amounts in euro with a decimal comma and two decimals, no thousands separator
  ("80000000,00");
- dates as YYYYMMDD ("20060502");
- a project in several territories lists each code in the territory columns, joined by
  `:::` (so do several subjects in the subject columns).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

DELIMITER = ";"
MULTI = ":::"

# OC_COD_CICLO: the programming cycle (ciclo di programmazione).
CYCLES = {"1": "2007-2013", "2": "2014-2020", "3": "2021-2027"}
PERIOD_CYCLES = {period: code for code, period in CYCLES.items()}
# OC_COD_TEMA_SINTETICO: OpenCoesione's synthetic themes (temi sintetici).
THEMES = {
    "01": "Ricerca e innovazione",
    "02": "Reti e servizi digitali",
    "03": "Competitività delle imprese",
    "04": "Energia",
    "05": "Ambiente",
    "06": "Cultura e turismo",
    "07": "Trasporti e mobilità",
    "08": "Occupazione e lavoro",
    "09": "Inclusione sociale e salute",
    "10": "Istruzione e formazione",
    "11": "Capacità amministrativa",
}


@dataclass(frozen=True)
class Spec:
    """One column Reti reads or writes: its name, what it holds (Italian, then English),
    and whether an imported row must fill it."""

    name: str
    it: str
    en: str
    required: bool = False


COLUMNS = (
    Spec("COD_LOCALE_PROGETTO", "Codice locale del progetto nel sistema di monitoraggio",
         "The project's local code in the monitoring system", True),
    Spec("CUP", "Codice unico di progetto (15 caratteri)", "Unique project code (15 characters)",
         True),
    Spec("OC_TITOLO_PROGETTO", "Titolo del progetto", "Project title", True),
    Spec("OC_SINTESI_PROGETTO", "Sintesi del progetto", "Project summary"),
    Spec("OC_COD_CICLO", "Ciclo di programmazione: 1 2007-2013, 2 2014-2020, 3 2021-2027",
         "Programming cycle: 1 2007-2013, 2 2014-2020, 3 2021-2027", True),
    Spec("OC_DESCR_CICLO", "Descrizione del ciclo", "Cycle, in words"),
    Spec("OC_COD_TEMA_SINTETICO", "Tema sintetico (codice, 01-11)", "Synthetic theme (code)",
         True),
    Spec("OC_TEMA_SINTETICO", "Tema sintetico (descrizione)", "Synthetic theme, in words"),
    Spec("OC_COD_FONTE", "Fonte finanziaria (codice)", "Source of funding (code)"),
    Spec("OC_DESCR_FONTE", "Fonte finanziaria (descrizione)", "Source of funding, in words"),
    Spec("FONDO_COMUNITARIO", "Fondo europeo (FSE, FESR, FSE+…)", "EU fund (ESF, ERDF, ESF+…)"),
    Spec("OC_CODICE_PROGRAMMA", "Codice del programma (CCI o codice nazionale)",
         "Programme code (CCI or national code)", True),
    Spec("OC_DESCRIZIONE_PROGRAMMA", "Nome del programma", "Programme name"),
    Spec("COD_REGIONE", "Regioni del progetto (codici ISTAT, 2 cifre)",
         "The project's regions (ISTAT codes, 2 digits)"),
    Spec("DEN_REGIONE", "Regioni del progetto (nomi)", "The project's regions (names)"),
    Spec("COD_PROVINCIA", "Province del progetto (codici ISTAT, 3 cifre)",
         "The project's provinces (ISTAT codes, 3 digits)"),
    Spec("DEN_PROVINCIA", "Province del progetto (nomi)", "The project's provinces (names)"),
    Spec("COD_COMUNE", "Comuni del progetto (codici ISTAT, 6 cifre)",
         "The project's municipalities (ISTAT codes, 6 digits)"),
    Spec("DEN_COMUNE", "Comuni del progetto (nomi)", "The project's municipalities (names)"),
    Spec("FINANZ_TOTALE_PUBBLICO", "Finanziamento pubblico totale (euro)",
         "Total public funding (euro)"),
    Spec("IMPEGNI", "Impegni (euro)", "Commitments (euro)"),
    Spec("TOT_PAGAMENTI", "Pagamenti totali (euro)", "Total payments (euro)"),
    Spec("OC_DATA_INIZIO_PROGETTO", "Data di inizio (AAAAMMGG)", "Start date (YYYYMMDD)"),
    Spec("OC_DATA_FINE_PROGETTO_PREVISTA", "Data di fine prevista (AAAAMMGG)",
         "Planned end date (YYYYMMDD)"),
    Spec("OC_DATA_FINE_PROGETTO_EFFETTIVA", "Data di fine effettiva (AAAAMMGG)",
         "Actual end date (YYYYMMDD)"),
    Spec("OC_CODFISC_PROGRAMMATORE", "Codice fiscale del soggetto programmatore",
         "Tax code of the programming body"),
    Spec("OC_DENOM_PROGRAMMATORE", "Denominazione del soggetto programmatore",
         "Name of the programming body"),
    Spec("OC_CODFISC_BENEFICIARIO", "Codici fiscali dei beneficiari",
         "Tax codes of the beneficiaries"),
    Spec("OC_DENOM_BENEFICIARIO", "Denominazioni dei beneficiari", "Names of the beneficiaries"),
)  # fmt: skip
NAMES = tuple(spec.name for spec in COLUMNS)
REQUIRED = tuple(spec.name for spec in COLUMNS if spec.required)

CUP_RE = re.compile(r"^[A-Z0-9]{15}$")
AMOUNT_RE = re.compile(r"^-?\d+([,.]\d{1,2})?$")
CODE_RE = {"COD_REGIONE": r"^\d{2}$", "COD_PROVINCIA": r"^\d{3}$", "COD_COMUNE": r"^\d{6}$"}
CODE_RE = {name: re.compile(pattern) for name, pattern in CODE_RE.items()}
FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


# ---- writing -------------------------------------------------------------------------------


def date_text(value: dt.date | None) -> str | None:
    return value.strftime("%Y%m%d") if value else None


def joined(values) -> str | None:
    values = [v for v in values if v]
    return MULTI.join(values) if values else None


# ---- reading -------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in Italian."""


def text(value: str) -> str:
    """A text cell: trimmed; a leading quote put by a spreadsheet-safe writer removed."""
    value = value.strip()
    if value.startswith("'") and value[1:].startswith(FORMULA):
        return value[1:]
    return value


def amount(value: str) -> Decimal | None:
    value = value.strip()
    if not value:
        return None
    if not AMOUNT_RE.match(value):
        raise CellError(f"importo non valido {value!r} (es. 1234,56)")
    try:
        return Decimal(value.replace(",", ".")).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise CellError(f"importo non valido {value!r}") from None


def date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    if len(value) != 8 or not value.isdigit():
        raise CellError(f"data non valida {value!r} (AAAAMMGG)")
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise CellError(f"data inesistente {value!r}") from None


def many(value: str) -> list[str]:
    return [part.strip() for part in value.split(MULTI) if part.strip()]


def codes(name: str, value: str) -> list[str]:
    found = many(value)
    for code in found:
        if not CODE_RE[name].match(code):
            raise CellError(f"codice ISTAT non valido {code!r}")
    return found


@dataclass
class Row:
    """One project of the file as Reti reads it (values parsed, not yet matched)."""

    line: int
    local_code: str
    cup: str
    title: str
    summary: str
    cycle: str
    theme: str
    source: str
    fund: str
    programme_code: str
    programme_name: str
    territories: list[str] = field(default_factory=list)
    public_funding: Decimal | None = None
    commitments: Decimal | None = None
    payments: Decimal | None = None
    start: dt.date | None = None
    planned_end: dt.date | None = None
    end: dt.date | None = None
    programmer: tuple[str, str] | None = None
    beneficiaries: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """A bad cell: the file's line (the header is line 1), the column, what is wrong."""

    line: int
    column: str
    message: str

    def __str__(self):
        if self.line == 0:  # about the options, not a line of the file
            return f"{self.column}: {self.message}"
        return f"riga {self.line}, colonna {self.column}: {self.message}"


def missing_columns(header: list[str]) -> list[str]:
    return [name for name in REQUIRED if name not in header]


def _subjects(cells: dict, codes_col: str, names_col: str) -> list[tuple[str, str]]:
    tax_codes = many(cells.get(codes_col, ""))
    names = many(cells.get(names_col, ""))
    if len(tax_codes) != len(names):
        raise CellError(
            f"{len(tax_codes)} codici fiscali in {codes_col} e {len(names)} denominazioni"
        )
    return [
        (code.upper().replace(" ", ""), text(name))
        for code, name in zip(tax_codes, names, strict=True)
    ]


def parse(line: int, cells: dict[str, str]) -> tuple[Row | None, list[Problem]]:
    """The row of `cells` (column name -> raw text) at `line`, or the problems found."""
    problems: list[Problem] = []

    def cell(name: str, read=text):
        try:
            value = read(cells.get(name, ""))
        except CellError as error:
            problems.append(Problem(line, name, str(error)))
            return None
        return value

    for name in REQUIRED:
        if not cells.get(name, "").strip():
            problems.append(Problem(line, name, "valore mancante"))
    if problems:
        return None, problems
    cup = cells["CUP"].strip().upper()
    if not CUP_RE.match(cup):
        problems.append(Problem(line, "CUP", f"CUP non valido {cup!r} (15 lettere o cifre)"))
    cycle = cells["OC_COD_CICLO"].strip()
    if cycle not in CYCLES:
        problems.append(Problem(line, "OC_COD_CICLO", f"ciclo sconosciuto {cycle!r}"))
    theme = cells["OC_COD_TEMA_SINTETICO"].strip()
    if theme not in THEMES:
        problems.append(Problem(line, "OC_COD_TEMA_SINTETICO", f"tema sconosciuto {theme!r}"))
    title = text(cells["OC_TITOLO_PROGETTO"])
    if len(title) > 400:
        problems.append(Problem(line, "OC_TITOLO_PROGETTO", "più di 400 caratteri"))
    territories = []
    for name in CODE_RE:
        territories += cell(name, lambda v, name=name: codes(name, v)) or []
    row = Row(
        line=line,
        local_code=text(cells["COD_LOCALE_PROGETTO"]),
        cup=cup,
        title=title,
        summary=text(cells.get("OC_SINTESI_PROGETTO", "")),
        cycle=cycle,
        theme=theme,
        source=text(cells.get("OC_COD_FONTE", "")),
        fund=text(cells.get("FONDO_COMUNITARIO", "")),
        programme_code=text(cells["OC_CODICE_PROGRAMMA"]),
        programme_name=text(cells.get("OC_DESCRIZIONE_PROGRAMMA", "")),
        territories=territories,
        public_funding=cell("FINANZ_TOTALE_PUBBLICO", amount),
        commitments=cell("IMPEGNI", amount),
        payments=cell("TOT_PAGAMENTI", amount),
        start=cell("OC_DATA_INIZIO_PROGETTO", date),
        planned_end=cell("OC_DATA_FINE_PROGETTO_PREVISTA", date),
        end=cell("OC_DATA_FINE_PROGETTO_EFFETTIVA", date),
    )
    if len(row.local_code) > 100:
        problems.append(Problem(line, "COD_LOCALE_PROGETTO", "più di 100 caratteri"))
    if row.start and row.end and row.end < row.start:
        problems.append(
            Problem(line, "OC_DATA_FINE_PROGETTO_EFFETTIVA", "la fine precede l'inizio")
        )
    programmer = cell(
        "OC_CODFISC_PROGRAMMATORE",
        lambda _v: _subjects(cells, "OC_CODFISC_PROGRAMMATORE", "OC_DENOM_PROGRAMMATORE"),
    )
    if programmer and len(programmer) > 1:
        problems.append(Problem(line, "OC_CODFISC_PROGRAMMATORE", "un solo programmatore"))
    row.programmer = programmer[0] if programmer else None
    row.beneficiaries = (
        cell(
            "OC_CODFISC_BENEFICIARIO",
            lambda _v: _subjects(cells, "OC_CODFISC_BENEFICIARIO", "OC_DENOM_BENEFICIARIO"),
        )
        or []
    )
    return (None if problems else row), problems
