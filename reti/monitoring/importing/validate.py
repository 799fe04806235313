"""Checking one row of a participant file and turning it into a record's values.

Every problem names the row, the column and the reason; the codice fiscale and the date of
birth are shown masked (pseudonym.mask), never in clear.

The rules are stated once, in two tables that both ways of checking a row read:
`KINDS` says how a cell of each kind of column is read (and the problem when it cannot be),
`ROW` lists the cells in the order the report names their problems, with the rules across
cells (`Rule`) after the cells they look at. `RowChecker.check` walks `ROW` and names every
broken rule; `RowChecker.fast` reads each cell only in its plainest spelling, applies the same
rules and gives up (None) at the first surprise, so that `check` names the problems.
"""

import datetime
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from operator import call, itemgetter

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import pseudonym
from .spec import BY_NAME, COLUMNS, FALSE, GENDERS, NAMES, STATUSES, TRUE

DISADVANTAGES = (
    ("disabilita", "disability"),
    ("cittadino_paese_terzo", "third_country_national"),
    ("origine_straniera", "foreign_background"),
    ("minoranza", "minority"),
    ("senza_dimora", "homeless"),
    ("zona_rurale", "rural_area"),
    ("esecuzione_penale", "penal_execution"),
    ("vittima_tratta", "trafficking_victim"),
    ("altro_svantaggio", "other_disadvantaged"),
)
LEAVING = (
    ("uscita_in_cerca_lavoro", "leaving_job_searching"),
    ("uscita_in_istruzione", "leaving_in_education"),
    ("uscita_qualifica", "leaving_qualification"),
    ("uscita_occupato", "leaving_employed"),
)
FOLLOWUP = (
    ("sei_mesi_occupato", "followup_employed"),
    ("sei_mesi_migliorato", "followup_improved"),
)
# The record's columns, in the order `RowChecker.check` returns their values.
RECORD_COLUMNS = (
    "person_key",
    "gender",
    "age_at_entry",
    "entry_date",
    "exit_date",
    "status_at_entry",
    "long_term_unemployed",
    "inactive_not_in_education",
    "isced",
    *(field for _c, field in DISADVANTAGES),
    "leaving_observed_on",
    *(field for _c, field in LEAVING),
    "followup_observed_on",
    *(field for _c, field in FOLLOWUP),
)
MASKED = {"codice_fiscale", "data_nascita"}
AGES = range(121)  # age at entry, in whole years
ISCED_LEVELS = range(9)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_IT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


UNREAD = object()  # a cell `Kind.read` cannot read


def _spellings(table: dict) -> dict:
    """The plainest spellings of a table's lower-case keys: as they are, upper, capitalised."""
    return {
        spelling: value
        for text, value in table.items()
        for spelling in (text, text.upper(), text.capitalize())
    }


_FLAGS = {**dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False)}


def _read_code(text: str):
    try:
        return pseudonym.check(text)
    except pseudonym.InvalidCodiceFiscale as error:
        raise Unreadable(error.reason) from None


def _plain_code(text: str) -> str:
    code = pseudonym.quick_check(text)
    if code is None:
        raise KeyError(text)
    return code


def _read_flag(text: str):
    value = _FLAGS.get(text, UNREAD)
    return _FLAGS.get(text.lower(), UNREAD) if value is UNREAD else value


def _read_age(text: str):
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return UNREAD
    return int(number) if number.is_integer() else UNREAD


def _read_isced(text: str):
    return int(text) if text.isdecimal() and int(text) in ISCED_LEVELS else UNREAD


class Unreadable(Exception):
    """A cell `Kind.read` cannot read, for a reason of its own (the codice fiscale's)."""

    def __init__(self, reason: str):
        self.reason = reason


@dataclass(frozen=True)
class Kind:
    """How a cell of one kind of column (spec.Column.kind) is read.

    `read`, the full check's: the value of any spelling it accepts, else UNREAD (the problem
    is `reason`) or Unreadable(reason). `plain`, the fast path's: the same value for the
    plainest spellings only, else KeyError (cheaper than a value to look for in every row).
    An empty cell is worth `empty` (UNREAD: it is read like any other); an empty required
    cell is the problem `missing`, when the kind has one.
    """

    read: Callable[[str], object]
    plain: Callable[[str], object]
    reason: Promise | None
    empty: object = None
    missing: Promise | None = None


_DATE = "date"  # read by each RowChecker, which keeps the dates it has read


def _kinds(read_date: Callable, plain_date: Callable) -> dict[str, Kind]:
    """The one table of kinds; dates are read through the checker's memo."""
    return {
        "cf": Kind(_read_code, _plain_code, None, empty=UNREAD),
        "gender": Kind(
            lambda text: GENDERS.get(text.lower(), UNREAD),
            _spellings(GENDERS).__getitem__,
            gettext_lazy("codice sconosciuto: F, M oppure NB"),
            empty=UNREAD,
        ),
        "status": Kind(
            lambda text: STATUSES.get(text.lower(), UNREAD),
            _spellings(STATUSES).__getitem__,
            gettext_lazy("codice sconosciuto: disoccupato, inattivo oppure occupato"),
            empty=UNREAD,
        ),
        _DATE: Kind(
            read_date,
            plain_date,
            gettext_lazy("data non valida (gg/mm/aaaa o aaaa-mm-gg)"),
            missing=gettext_lazy("data mancante"),
        ),
        "age": Kind(
            _read_age,
            {"": None, **{str(n): n for n in AGES}}.__getitem__,
            gettext_lazy("età non valida: un numero intero di anni"),
        ),
        "isced": Kind(
            _read_isced,
            {"": None, **{str(n): n for n in ISCED_LEVELS}}.__getitem__,
            gettext_lazy("livello ISCED sconosciuto: da 0 a 8"),
        ),
        "bool": Kind(
            _read_flag,
            {"": False, **_spellings(_FLAGS)}.__getitem__,
            gettext_lazy("valore sconosciuto: si oppure no"),
            empty=False,
        ),
        "result": Kind(
            _read_flag,
            {"": None, **_spellings(_FLAGS)}.__getitem__,
            gettext_lazy("valore sconosciuto: si oppure no"),
            empty=None,
        ),
    }


@dataclass(frozen=True)
class Rule:
    """A rule across the cells of a row: `broken(values, texts, today)` is true when the row
    breaks it. `values` holds the cells read so far (None, or the kind's empty value, for an
    unreadable one: its problem is already named), `texts` every cell as written. The problem
    names `column` and shows its text, or nothing for a rule about a missing cell.
    """

    column: str
    reason: Promise
    broken: Callable[[dict, dict, datetime.date], bool]
    shows_text: bool = True


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_at_entry(values: dict, texts: dict) -> int | None:
    """The age written, or else the one the date of birth gives on the entry date."""
    if texts["eta_ingresso"]:
        return values["eta_ingresso"]
    born, entry = values["data_nascita"], values["data_ingresso"]
    return _age(born, entry) if born and entry else None


def _before(day, other) -> bool:
    return day is not None and other is not None and day < other


def _outside(age, ages: range) -> bool:
    return age is not None and age not in ages


_dates = itemgetter(
    "data_ingresso", "data_uscita", "data_rilevazione_uscita", "data_rilevazione_sei_mesi"
)
_situation = itemgetter(
    "condizione_ingresso",
    "disoccupato_lunga_durata",
    "inattivo_non_in_istruzione",
    "isced",
    *(column for column, _f in DISADVANTAGES),
)
_leaving = itemgetter(*(column for column, _f in LEAVING))
_followup = itemgetter(*(column for column, _f in FOLLOWUP))
_NOT_OBSERVED_4 = (None,) * 4
_NOT_OBSERVED_2 = (None,) * 2
AGE_RANGE = gettext_lazy("età all'ingresso fuori da 0-120")

# The cells in the order `check` reads them, each rule across cells after the cells it reads.
ROW = (
    "codice_fiscale",
    "genere",
    "data_ingresso",
    Rule(
        "data_ingresso",
        gettext_lazy("data di ingresso nel futuro"),
        lambda v, t, today: _before(today, v["data_ingresso"]),
    ),
    "data_uscita",
    Rule(
        "data_uscita",
        gettext_lazy("uscita precedente all'ingresso"),
        lambda v, t, today: _before(v["data_uscita"], v["data_ingresso"]),
    ),
    "data_nascita",
    "eta_ingresso",
    Rule(
        "eta_ingresso",
        gettext_lazy("manca l'età all'ingresso (o la data di nascita)"),
        lambda v, t, today: not t["eta_ingresso"] and not t["data_nascita"],
        shows_text=False,
    ),
    Rule(
        "eta_ingresso",
        AGE_RANGE,
        lambda v, t, today: bool(t["eta_ingresso"]) and _outside(v["eta_ingresso"], AGES),
    ),
    Rule(
        "data_nascita",
        AGE_RANGE,
        lambda v, t, today: not t["eta_ingresso"] and _outside(age_at_entry(v, t), AGES),
    ),
    "condizione_ingresso",
    "disoccupato_lunga_durata",
    Rule(
        "disoccupato_lunga_durata",
        gettext_lazy(
            "disoccupato di lunga durata, ma la condizione all'ingresso non è disoccupato"
        ),
        lambda v, t, today: (
            v["disoccupato_lunga_durata"] and v["condizione_ingresso"] not in (None, "unemployed")
        ),
    ),
    "inattivo_non_in_istruzione",
    Rule(
        "inattivo_non_in_istruzione",
        gettext_lazy("inattivo non in istruzione, ma la condizione all'ingresso non è inattivo"),
        lambda v, t, today: (
            v["inattivo_non_in_istruzione"] and v["condizione_ingresso"] not in (None, "inactive")
        ),
    ),
    "isced",
    *(column for column, _f in DISADVANTAGES),
    "data_rilevazione_uscita",
    *(column for column, _f in LEAVING),
    "data_rilevazione_sei_mesi",
    *(column for column, _f in FOLLOWUP),
    Rule(
        "data_rilevazione_uscita",
        gettext_lazy("risultato all'uscita per una persona ancora nell'intervento"),
        lambda v, t, today: (
            not t["data_uscita"]
            and (v["data_rilevazione_uscita"] is not None or _leaving(v) != _NOT_OBSERVED_4)
        ),
    ),
    Rule(
        "data_rilevazione_sei_mesi",
        gettext_lazy("risultato a sei mesi per una persona ancora nell'intervento"),
        lambda v, t, today: (
            not t["data_uscita"]
            and (v["data_rilevazione_sei_mesi"] is not None or _followup(v) != _NOT_OBSERVED_2)
        ),
    ),
    Rule(
        "data_rilevazione_uscita",
        gettext_lazy("situazione all'uscita rilevata prima dell'uscita"),
        lambda v, t, today: _before(v["data_rilevazione_uscita"], v["data_uscita"]),
    ),
    Rule(
        "data_rilevazione_sei_mesi",
        gettext_lazy("situazione a sei mesi rilevata prima dell'uscita"),
        lambda v, t, today: _before(v["data_rilevazione_sei_mesi"], v["data_uscita"]),
    ),
    Rule(
        "data_rilevazione_uscita",
        gettext_lazy("manca la data della rilevazione all'uscita"),
        lambda v, t, today: _leaving(v) != _NOT_OBSERVED_4 and v["data_rilevazione_uscita"] is None,
        shows_text=False,
    ),
    Rule(
        "data_rilevazione_sei_mesi",
        gettext_lazy("manca la data della rilevazione a sei mesi"),
        lambda v, t, today: (
            _followup(v) != _NOT_OBSERVED_2 and v["data_rilevazione_sei_mesi"] is None
        ),
        shows_text=False,
    ),
)
RULES = tuple(step for step in ROW if isinstance(step, Rule))


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str

    def as_list(self) -> list:
        return [self.row, self.column, self.value, self.reason]


def shown(column: str, value: str) -> str:
    """A value as the report may show it: masked for identifying columns, cut to 40 chars."""
    value = str(value)
    if column in MASKED:
        return pseudonym.mask(value)
    return value if len(value) <= 40 else value[:39] + "…"


def header_problems(header: list[str]) -> list[Problem]:
    """What is wrong with the header row: missing, unknown or repeated columns."""
    problems = []
    seen = set()
    for name in header:
        if name in seen:
            problems.append(Problem(1, name, "", _("colonna ripetuta")))
        elif name not in BY_NAME:
            problems.append(Problem(1, name or "?", "", _("colonna sconosciuta")))
        seen.add(name)
    for column in COLUMNS:
        if column.required and column.name not in seen:
            problems.append(Problem(1, column.name, "", _("colonna obbligatoria mancante")))
    if "data_nascita" not in seen and "eta_ingresso" not in seen:
        problems.append(
            Problem(1, "eta_ingresso", "", _("serve la colonna eta_ingresso o data_nascita"))
        )
    return problems


class _IsoTexts(dict):
    """The ISO text of each date met (and None of None), computed once."""

    def __missing__(self, day):
        text = self[day] = day.isoformat()
        return text


class RowChecker:
    """Checks rows of one file; `check` returns the record's values or a list of problems,
    `fast` the same values for a row in its plainest form, or None."""

    def __init__(self, header: list[str], secret: bytes, today: datetime.date):
        self.header = header
        self.blank = dict.fromkeys(NAMES, "")
        self.width = len(header)
        self.today = today
        self.dates: dict[str, datetime.date | None] = {}
        self.iso = _IsoTexts({None: None})
        kinds = _kinds(self._read_date, self._plain_date)
        self.cells = {column.name: (column, kinds[column.kind]) for column in COLUMNS}
        # The fast path: the cells of NAMES picked by position (absent columns read the
        # empty string appended to each row), each read by its kind's `plain`, and the HMAC
        # keyed once and copied for each code.
        where = {name: n for n, name in enumerate(header)}
        self._pick = itemgetter(*(where.get(name, len(header)) for name in NAMES))
        self._plain = tuple(self._plain_reader(*self.cells[name]) for name in NAMES)
        self._broken = tuple(rule.broken for rule in RULES)
        self._keyed = hmac.new(secret, digestmod=hashlib.sha256)

    @staticmethod
    def _plain_reader(column, kind: Kind) -> Callable[[str], object]:
        if column.required and kind.missing:  # an empty cell is a problem to name
            return lambda text: kind.plain(text) if text else {}[text]
        return kind.plain

    @staticmethod
    def _read(column, kind: Kind, text: str) -> tuple:
        """(value, reason) of a cell for the full check: the reason of its problem, or None."""
        if not text and kind.empty is not UNREAD:
            if column.required and kind.missing:
                return None, kind.missing
            return kind.empty, None
        try:
            value = kind.read(text)
        except Unreadable as error:
            return None, error.reason
        if value is UNREAD:
            return (None if kind.empty is UNREAD else kind.empty), kind.reason
        return value, None

    def _date(self, text: str):
        """A date from dd/mm/yyyy or yyyy-mm-dd; None when unreadable (kept: dates repeat)."""
        try:
            return self.dates[text]
        except KeyError:
            pass
        value = None
        match = _IT.match(text) or _ISO.match(text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            day, month, year = (a, b, c) if match.re is _IT else (c, b, a)
            try:
                value = datetime.date(year, month, day)
            except ValueError:
                value = None
        if len(self.dates) < 100_000:
            self.dates[text] = value
        return value

    def _read_date(self, text: str):
        value = self._date(text)
        return UNREAD if value is None else value

    def _plain_date(self, text: str):
        if not text:
            return None
        value = self.dates.get(text) or self._date(text)
        if value is None:
            raise KeyError(text)
        return value

    def _record(self, values: dict, texts: dict) -> tuple:
        """The record's values (RECORD_COLUMNS) of a row that breaks no rule."""
        iso = self.iso
        mac = self._keyed.copy()  # pseudonym.key_of_checked, from an HMAC already keyed
        mac.update(values["codice_fiscale"].encode("ascii"))
        entry, exit_, leaving_on, followup_on = _dates(values)
        return (
            mac.hexdigest(),
            values["genere"],
            age_at_entry(values, texts),
            iso[entry],
            iso[exit_],
            *_situation(values),
            iso[leaving_on],
            *_leaving(values),
            iso[followup_on],
            *_followup(values),
        )

    def fast(self, values: list[str]):
        """The record's values, as `check` returns them, for a row in its plainest form that
        breaks no rule; None for any other row (then `check` finds and names its problems).

        About twice as fast as `check`: cells are picked by position and looked up in
        tables, and no problem is ever built.
        """
        if len(values) != self.width:
            return None
        texts = tuple(map(str.strip, self._pick((*values, ""))))
        try:
            cells = dict(zip(NAMES, map(call, self._plain, texts), strict=True))
        except KeyError:
            return None
        written = dict(zip(NAMES, texts, strict=True))
        if any(map(call, self._broken, repeat(cells), repeat(written), repeat(self.today))):
            return None
        return self._record(cells, written)

    def check(self, number: int, values: list[str]):
        """The record's values, or every problem of row `number`: the cells and rules of
        `ROW` in order, each problem naming the row, the column and the reason."""
        if len(values) != self.width:
            return [
                Problem(
                    number,
                    "",
                    "",
                    _(
                        "la riga ha %(found)d campi invece di %(expected)d (file troncato o "
                        "colonne spostate)"
                    )
                    % {"found": len(values), "expected": self.width},
                )
            ]
        problems = []
        # One dict per row, built in C; absent optional columns read as empty.
        texts = dict(self.blank)
        texts.update(zip(self.header, map(str.strip, values), strict=True))
        cells = {}
        for step in ROW:
            if type(step) is Rule:
                if step.broken(cells, texts, self.today):
                    text = texts[step.column] if step.shows_text else ""
                    problems.append(
                        Problem(number, step.column, shown(step.column, text), str(step.reason))
                    )
                continue
            text = texts[step]
            cells[step], reason = self._read(*self.cells[step], text)
            if reason is not None:
                problems.append(Problem(number, step, shown(step, text), str(reason)))
        if problems:
            return problems
        return self._record(cells, texts)
