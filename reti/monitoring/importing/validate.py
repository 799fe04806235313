"""Checking one row of a participant file and turning it into a record's values.

Every problem names the row, the column and the reason; the codice fiscale and the date of
birth are shown masked (pseudonym.mask), never in clear.
"""

import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass
from operator import itemgetter

from django.utils.translation import gettext as _

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
FLAGS = {**dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False)}
# The fast path's tables: only the plainest spellings (anything else goes to the full check).
_PLAIN_FLAGS = {
    spelling: value
    for text, value in FLAGS.items()
    for spelling in (text, text.upper(), text.capitalize())
}
_FLAG_OR_FALSE = {**_PLAIN_FLAGS, "": False}  # disadvantages: empty = no
_FLAG_OR_NONE = {**_PLAIN_FLAGS, "": None}  # results: empty = not observed
_PLAIN_AGES = {str(n): n for n in range(121)}
_PLAIN_ISCED = {"": None, **{str(n): n for n in range(9)}}
_UNSET = object()
_NOT_OBSERVED_4 = [None] * 4
_NOT_OBSERVED_2 = [None] * 2
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_IT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


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


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class RowChecker:
    """Checks rows of one file; `check` returns (person key, values) or a list of problems."""

    def __init__(self, header: list[str], secret: bytes, today: datetime.date):
        self.header = header
        self.blank = dict.fromkeys(NAMES, "")
        self.width = len(header)
        self.secret = secret
        self.today = today
        self.dates: dict[str, datetime.date | None] = {}
        self.iso: dict[str, tuple] = {}
        # The fast path: the cells of NAMES picked by position (absent columns read the
        # empty string appended to each row), the HMAC keyed once and copied for each code.
        where = {name: n for n, name in enumerate(header)}
        self._pick = itemgetter(*(where.get(name, len(header)) for name in NAMES))
        self._keyed = hmac.new(secret, digestmod=hashlib.sha256)

    def _date(self, text: str):
        """A date from dd/mm/yyyy or yyyy-mm-dd; None when unreadable (cached: dates repeat)."""
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

    def _hmac(self, code: str) -> str:
        """pseudonym.key_of_checked, from an HMAC already keyed."""
        mac = self._keyed.copy()
        mac.update(code.encode("ascii"))
        return mac.hexdigest()

    def _plain_date(self, text: str):
        """(date, ISO text) of a date cell, cached; (None, None) when unreadable."""
        found = self.iso.get(text)
        if found is None:
            value = self._date(text)
            found = (value, value.isoformat() if value else None)
            if len(self.iso) < 100_000:
                self.iso[text] = found
        return found

    def fast(self, values: list[str]):
        """The record's values, as `check` returns them, for a row in its plainest form that
        breaks no rule; None for any other row (then `check` finds and names its problems).

        Several times faster than `check`: cells are picked by position, codes and dates
        looked up in tables, and no problem is ever built.
        """
        if len(values) != self.width:
            return None
        cells = tuple(map(str.strip, self._pick((*values, ""))))
        (code, gender_text, born_text, age_text, entry_text, exit_text, status_text) = cells[:7]
        code = pseudonym.quick_check(code)
        gender = GENDERS.get(gender_text.lower())
        status = STATUSES.get(status_text.lower())
        if code is None or gender is None or status is None or not entry_text:
            return None
        entry, entry_iso = self._plain_date(entry_text)
        if entry is None or entry > self.today:
            return None
        exit_, exit_iso = self._plain_date(exit_text) if exit_text else (None, None)
        if exit_text and (exit_ is None or exit_ < entry):
            return None
        born = None
        if born_text:
            born = self._plain_date(born_text)[0]
            if born is None:
                return None
        if age_text:
            age = _PLAIN_AGES.get(age_text)
        elif born is not None:
            age = _age(born, entry)
            if not 0 <= age <= 120:
                return None
        else:
            age = None
        if age is None:
            return None
        long_term = _FLAG_OR_FALSE.get(cells[7], _UNSET)
        not_in_education = _FLAG_OR_FALSE.get(cells[8], _UNSET)
        isced = _PLAIN_ISCED.get(cells[9], _UNSET)
        disadvantages = [_FLAG_OR_FALSE.get(cell, _UNSET) for cell in cells[10:19]]
        leaving_text, followup_text = cells[19], cells[24]
        leaving = [_FLAG_OR_NONE.get(cell, _UNSET) for cell in cells[20:24]]
        followup = [_FLAG_OR_NONE.get(cell, _UNSET) for cell in cells[25:27]]
        if (
            long_term is _UNSET
            or not_in_education is _UNSET
            or isced is _UNSET
            or _UNSET in disadvantages
            or _UNSET in leaving
            or _UNSET in followup
            or (long_term and status != "unemployed")
            or (not_in_education and status != "inactive")
        ):
            return None
        leaving_on, leaving_iso = self._plain_date(leaving_text) if leaving_text else (None, None)
        followup_on, followup_iso = (
            self._plain_date(followup_text) if followup_text else (None, None)
        )
        if (leaving_text and leaving_on is None) or (followup_text and followup_on is None):
            return None
        leaving_seen = leaving != _NOT_OBSERVED_4
        followup_seen = followup != _NOT_OBSERVED_2
        if exit_ is None:
            if leaving_on or leaving_seen or followup_on or followup_seen:
                return None
        elif (leaving_on and leaving_on < exit_) or (followup_on and followup_on < exit_):
            return None
        if (leaving_seen and leaving_on is None) or (followup_seen and followup_on is None):
            return None
        return (
            self._hmac(code),
            gender,
            age,
            entry_iso,
            exit_iso,
            status,
            long_term,
            not_in_education,
            isced,
            *disadvantages,
            leaving_iso,
            *leaving,
            followup_iso,
            *followup,
        )

    def check(self, number: int, values: list[str]):
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
        fields = dict(self.blank)
        fields.update(zip(self.header, map(str.strip, values), strict=True))
        get = fields.__getitem__

        def bad(name: str, value: str, reason: str) -> None:
            problems.append(Problem(number, name, shown(name, value), reason))

        def date_of(name: str, required: bool = False):
            text = get(name)
            if not text:
                if required:
                    bad(name, text, _("data mancante"))
                return None
            value = self._date(text)
            if value is None:
                bad(name, text, _("data non valida (gg/mm/aaaa o aaaa-mm-gg)"))
            return value

        def flag(name: str, empty):
            text = get(name)
            if not text:
                return empty
            value = FLAGS.get(text)
            if value is None:
                value = FLAGS.get(text.lower())
            if value is None:
                bad(name, text, _("valore sconosciuto: si oppure no"))
                return empty
            return value

        code = get("codice_fiscale")
        key = None
        try:
            key = pseudonym.key_of_checked(pseudonym.check(code), self.secret)
        except pseudonym.InvalidCodiceFiscale as error:
            bad("codice_fiscale", code, str(error.reason))

        gender_text = get("genere")
        gender = GENDERS.get(gender_text.lower())
        if gender is None:
            bad("genere", gender_text, _("codice sconosciuto: F, M oppure NB"))

        entry = date_of("data_ingresso", required=True)
        if entry is not None and entry > self.today:
            bad("data_ingresso", get("data_ingresso"), _("data di ingresso nel futuro"))
        exit_ = date_of("data_uscita")
        if entry and exit_ and exit_ < entry:
            bad("data_uscita", get("data_uscita"), _("uscita precedente all'ingresso"))

        age = None
        age_text = get("eta_ingresso")
        born = date_of("data_nascita")
        if age_text:
            try:
                number_value = float(age_text.replace(",", "."))
                if not number_value.is_integer():
                    raise ValueError
                age = int(number_value)
            except ValueError:
                bad("eta_ingresso", age_text, _("età non valida: un numero intero di anni"))
        elif born and entry:
            age = _age(born, entry)
        elif not get("data_nascita"):
            bad("eta_ingresso", "", _("manca l'età all'ingresso (o la data di nascita)"))
        if age is not None and not 0 <= age <= 120:
            name = "eta_ingresso" if age_text else "data_nascita"
            bad(name, age_text or get("data_nascita"), _("età all'ingresso fuori da 0-120"))

        status_text = get("condizione_ingresso")
        status = STATUSES.get(status_text.lower())
        if status is None:
            bad(
                "condizione_ingresso",
                status_text,
                _("codice sconosciuto: disoccupato, inattivo oppure occupato"),
            )
        long_term = flag("disoccupato_lunga_durata", False)
        if long_term and status and status != "unemployed":
            bad(
                "disoccupato_lunga_durata",
                get("disoccupato_lunga_durata"),
                _("disoccupato di lunga durata, ma la condizione all'ingresso non è disoccupato"),
            )
        not_in_education = flag("inattivo_non_in_istruzione", False)
        if not_in_education and status and status != "inactive":
            bad(
                "inattivo_non_in_istruzione",
                get("inattivo_non_in_istruzione"),
                _("inattivo non in istruzione, ma la condizione all'ingresso non è inattivo"),
            )

        isced = None
        isced_text = get("isced")
        if isced_text:
            if isced_text.isdigit() and 0 <= int(isced_text) <= 8:
                isced = int(isced_text)
            else:
                bad("isced", isced_text, _("livello ISCED sconosciuto: da 0 a 8"))

        disadvantages = [flag(column, False) for column, _f in DISADVANTAGES]

        leaving_on = date_of("data_rilevazione_uscita")
        leaving = [flag(column, None) for column, _f in LEAVING]
        followup_on = date_of("data_rilevazione_sei_mesi")
        followup = [flag(column, None) for column, _f in FOLLOWUP]
        if exit_ is None and not get("data_uscita"):
            if leaving_on or any(v is not None for v in leaving):
                bad(
                    "data_rilevazione_uscita",
                    get("data_rilevazione_uscita"),
                    _("risultato all'uscita per una persona ancora nell'intervento"),
                )
            if followup_on or any(v is not None for v in followup):
                bad(
                    "data_rilevazione_sei_mesi",
                    get("data_rilevazione_sei_mesi"),
                    _("risultato a sei mesi per una persona ancora nell'intervento"),
                )
        elif exit_ is not None:
            if leaving_on and leaving_on < exit_:
                bad(
                    "data_rilevazione_uscita",
                    get("data_rilevazione_uscita"),
                    _("situazione all'uscita rilevata prima dell'uscita"),
                )
            if followup_on and followup_on < exit_:
                bad(
                    "data_rilevazione_sei_mesi",
                    get("data_rilevazione_sei_mesi"),
                    _("situazione a sei mesi rilevata prima dell'uscita"),
                )
        if any(v is not None for v in leaving) and leaving_on is None:
            bad("data_rilevazione_uscita", "", _("manca la data della rilevazione all'uscita"))
        if any(v is not None for v in followup) and followup_on is None:
            bad("data_rilevazione_sei_mesi", "", _("manca la data della rilevazione a sei mesi"))

        if problems:
            return problems
        iso = datetime.date.isoformat
        return (
            key,
            gender,
            age,
            iso(entry),
            iso(exit_) if exit_ else None,
            status,
            long_term,
            not_in_education,
            isced,
            *disadvantages,
            iso(leaving_on) if leaving_on else None,
            *leaving,
            iso(followup_on) if followup_on else None,
            *followup,
        )
