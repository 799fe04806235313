"""The import's fast path gives exactly what the full row check gives, or hands the row over.

`RowChecker.fast` accepts only rows in their plainest form that break no rule; for every row it
either returns None (the full `check` then names the problems) or the very values `check`
returns. `pseudonym.quick_check` likewise agrees with `pseudonym.check`. Hypothesis draws the
headers (columns shuffled, optional ones absent) and the random source of each file's 2,000
rows (clean ones, with one or two cells replaced by anything from pools of good, odd and
wrong spellings): rows are drawn by plain `random` calls, as a cell-by-cell strategy costs
about 25 ms a row and would test a few hundred rows where this tests 50,000.
"""

import random
import string
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.it import codicefiscale

from reti.monitoring import pseudonym
from reti.monitoring.importing.spec import NAMES
from reti.monitoring.importing.validate import RowChecker

SECRET = b"k" * 40
TODAY = date(2026, 6, 30)
DIGITS = "0123456789LMNPQRSTUV"
UPPER = string.ascii_uppercase
REQUIRED = NAMES[:7]
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def codes(draw) -> str:
    """A codice fiscale of the person pattern, often right, sometimes wrong or oddly typed."""

    def text(alphabet, size):
        return draw(st.text(alphabet=alphabet, min_size=size, max_size=size))

    body = (
        text(UPPER, 6)
        + text(DIGITS, 2)
        + draw(st.sampled_from("ABCDEHLMPRST"))
        + text(DIGITS, 2)
        + draw(st.sampled_from(UPPER))
        + text(DIGITS, 3)
    )
    code = body + codicefiscale.calc_check_digit(body)
    variant = draw(st.sampled_from(["plain"] * 6 + ["wrong", "lower", "spaced", "short"]))
    if variant == "wrong":
        return body + draw(st.sampled_from(UPPER))  # often a wrong check character
    if variant == "lower":
        return code.lower()
    if variant == "spaced":
        return f" {code[:8]} {code[8:]} "  # spaces, as typed in spreadsheets
    if variant == "short":
        return code[:15]
    return code


FLAGS = ["", "", "", "si", "no", "SI", "No", "sì", "x", "1", "0", "forse", " si "]
RESULTS = ["", "", "", "si", "no", "Si", "NO", "boh"]
DATES = [
    "",
    "01/03/2024",
    "15/09/2024",
    "2024-10-01",
    "1/2/2025",
    "30/02/2024",
    "2024-13-01",
    "31.12.2023",
    "ieri",
    "01/01/2030",
]
VALUES = {
    "genere": ["F", "M", "NB", "donna", "Uomo", "x", "?", ""],
    "data_nascita": ["", "", "10/12/1985", "2001-02-28", "29/02/2001", "01/01/1890", "dopo"],
    "eta_ingresso": ["", "34", "0", "120", "121", "34,0", "034", "-1", "trenta", "34.5"],
    "data_ingresso": DATES,
    "data_uscita": DATES,
    "condizione_ingresso": ["disoccupato", "Inattivo", "occupato", "o", "studente", ""],
    "isced": ["", "0", "3", "8", "9", "03", "x"],
    "data_rilevazione_uscita": DATES,
    "data_rilevazione_sei_mesi": DATES,
}


def _code(rnd: random.Random) -> str:
    body = (
        "".join(rnd.choice(string.ascii_uppercase) for _ in range(6))
        + "".join(rnd.choice(DIGITS) for _ in range(2))
        + rnd.choice("ABCDEHLMPRST")
        + "".join(rnd.choice(DIGITS) for _ in range(2))
        + rnd.choice(string.ascii_uppercase)
        + "".join(rnd.choice(DIGITS) for _ in range(3))
    )
    check = codicefiscale.calc_check_digit(body)
    roll = rnd.random()
    if roll < 0.1:
        check = rnd.choice(string.ascii_uppercase)  # often a wrong check character
    code = body + check
    if roll > 0.9:
        code = code.lower()
    elif roll > 0.85:
        code = f" {code[:8]} {code[8:]} "  # spaces, as typed in spreadsheets
    elif roll > 0.82:
        code = code[:15]
    return code


def _clean(rnd: random.Random, name: str, left: bool) -> str:
    """A value that breaks no rule, in a row whose person left (or not)."""
    if name == "codice_fiscale":
        return _code(rnd)
    choices = {
        "genere": ["F", "M", "NB", "donna"],
        "data_nascita": ["", "10/12/1985", "2001-02-28"],
        "eta_ingresso": ["34", "19", "0", "120"],
        "data_ingresso": ["01/03/2024", "2024-03-01"],
        "data_uscita": ["15/09/2024", "2024-09-15"] if left else [""],
        "condizione_ingresso": ["disoccupato"],
        "isced": ["", "0", "3", "8"],
        "data_rilevazione_uscita": ["01/10/2024"] if left else [""],
        "data_rilevazione_sei_mesi": ["2025-03-20"] if left else [""],
    }.get(name)
    if choices is None:
        choices = (
            ["", "si", "no", "SI"] if left or not name.startswith(("uscita_", "sei_")) else [""]
        )
    return rnd.choice(choices)


def _row(rnd: random.Random, header: list[str]) -> list[str]:
    """A clean row, often with one or two cells replaced by anything from the pools."""
    left = rnd.random() < 0.6
    cells = [_clean(rnd, name, left) for name in header]
    for _ in range(rnd.choice([0, 0, 1, 1, 2])):
        n = rnd.randrange(len(header))
        name = header[n]
        if name in VALUES:
            cells[n] = rnd.choice(VALUES[name])
        elif name.startswith(("uscita_", "sei_mesi_")):
            cells[n] = rnd.choice(RESULTS)
        elif name != "codice_fiscale":
            cells[n] = rnd.choice(FLAGS)
    if rnd.random() < 0.02:
        cells.append("")  # one field too many
    return cells


@st.composite
def headers(draw) -> list[str]:
    """The template's columns in any order, optional ones possibly absent."""
    header = list(draw(st.permutations(NAMES)))
    absent = draw(st.sets(st.sampled_from([n for n in NAMES if n not in REQUIRED])))
    return [name for name in header if name not in absent]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=headers(), rnd=st.randoms(use_true_random=True))
def test_fast_path_agrees_with_the_full_check(header, rnd):
    """A file's worth of rows a header: the checker's caches fill as in an import."""
    checker = RowChecker(header, SECRET, TODAY)
    for number in range(2, 2_002):
        values = _row(rnd, header)
        fast = checker.fast(values)
        if fast is not None:
            assert fast == checker.check(number, values), values


def test_both_paths_are_taken():
    header = list(NAMES)
    checker = RowChecker(header, SECRET, TODAY)
    clean = dict.fromkeys(NAMES, "")
    clean.update(
        codice_fiscale="RSSMRA85T10A562S",
        genere="M",
        eta_ingresso="40",
        data_ingresso="01/03/2024",
        condizione_ingresso="occupato",
    )
    values = [clean[name] for name in header]
    assert checker.fast(values) == checker.check(2, values)
    values[header.index("eta_ingresso")] = "40,0"  # right for the full check, not plain
    assert checker.fast(values) is None
    assert not isinstance(checker.check(3, values), list)


@EXAMPLES
@given(code=codes())
def test_quick_check_agrees_with_check(code):
    try:
        expected = pseudonym.check(code)
    except pseudonym.InvalidCodiceFiscale:
        expected = None
    assert pseudonym.quick_check(code) in (None, expected)
    if expected is not None and code == code.strip() and " " not in code:
        assert pseudonym.quick_check(code) == expected


def test_fast_path_key_is_the_hmac_of_the_code():
    header = ["codice_fiscale", "genere", "eta_ingresso", "data_ingresso", "condizione_ingresso"]
    checker = RowChecker(header, SECRET, TODAY)
    values = checker.fast(["RSSMRA85T10A562S", "M", "40", "01/03/2024", "occupato"])
    assert values[0] == pseudonym.key_of_checked("RSSMRA85T10A562S", SECRET)
    long_key = RowChecker(header, b"s" * 100, TODAY)  # longer than the hash's block
    values = long_key.fast(["RSSMRA85T10A562S", "M", "40", "01/03/2024", "occupato"])
    assert values[0] == pseudonym.key_of_checked("RSSMRA85T10A562S", b"s" * 100)


def test_a_digit_int_refuses_is_named_not_a_crash():
    """A superscript two is a digit to str.isdigit but not to int(): the check used to crash."""
    header = ["codice_fiscale", "genere", "eta_ingresso", "data_ingresso", "condizione_ingresso"]
    checker = RowChecker([*header, "isced"], SECRET, TODAY)
    values = ["RSSMRA85T10A562S", "M", "40", "01/03/2024", "occupato", "²"]
    assert checker.fast(values) is None
    (problem,) = checker.check(7, values)
    assert problem.as_list() == [7, "isced", "²", "livello ISCED sconosciuto: da 0 a 8"]


def test_every_column_is_read_once_and_every_rule_names_a_column():
    from reti.monitoring.importing.validate import ROW, Rule

    cells = [step for step in ROW if not isinstance(step, Rule)]
    assert sorted(cells) == sorted(NAMES)
    assert all(rule.column in NAMES for rule in ROW if isinstance(rule, Rule))
