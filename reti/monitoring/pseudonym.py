"""Pseudonymous person keys: a keyed hash (HMAC-SHA256) of the normalised codice fiscale.

The clear codice fiscale is read from an import file, checked and turned into a key at once;
it is never stored, logged, shown or put in an error message (`mask` gives what may be
shown). The key (`settings.MONITORING_PSEUDONYM_KEY`, env `RETI_PSEUDONYM_KEY`) must never
change once data are loaded: the same person would get a new key.
"""

import functools
import hashlib
import hmac
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from stdnum.it import codicefiscale

_WHITESPACE = re.compile(r"\s+")
_PERSON_CODE = re.compile(
    r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z]"
    r"[0-9LMNPQRSTUV]{3}[A-Z]$"
)
_KEY = re.compile(r"^[0-9a-f]{64}$")


class InvalidCodiceFiscale(ValueError):
    """A codice fiscale that fails its checks; the message never contains the code."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def normalise(code: str) -> str:
    """Upper-case, without spaces (also inner ones, as typed in spreadsheets)."""
    return _WHITESPACE.sub("", code or "").upper()


def check(code: str) -> str:
    """The normalised code of a person, or InvalidCodiceFiscale naming what is wrong."""
    code = normalise(code)
    if not code:
        raise InvalidCodiceFiscale(_("codice fiscale mancante"))
    if len(code) != 16:
        raise InvalidCodiceFiscale(_("codice fiscale di lunghezza errata (servono 16 caratteri)"))
    if not _PERSON_CODE.match(code):
        raise InvalidCodiceFiscale(_("codice fiscale con caratteri non ammessi"))
    if codicefiscale.calc_check_digit(code[:-1]) != code[-1]:
        raise InvalidCodiceFiscale(_("carattere di controllo del codice fiscale errato"))
    try:
        codicefiscale.get_birth_date(code)
    except ValueError:
        raise InvalidCodiceFiscale(_("data di nascita del codice fiscale impossibile")) from None
    return code


@functools.lru_cache(maxsize=200_000)
def _possible_birth(segment: str) -> bool:
    """Whether characters 7-11 (year, month, day and sex) encode a possible birth date."""
    try:
        codicefiscale.get_birth_date(f"AAAAAA{segment}A000A")
    except ValueError:
        return False
    return True


def quick_check(code: str) -> str | None:
    """The normalised code when `check` would accept it, else None; several times faster.

    The import's fast path: a None sends the row to the full check, which names the problem.
    """
    if len(code) != 16 or not code.isalnum():
        return None  # spaces to remove, a wrong length: left to check()
    code = code.upper()
    if (
        _PERSON_CODE.match(code)
        and codicefiscale.calc_check_digit(code[:15]) == code[15]
        and _possible_birth(code[6:11])
    ):
        return code
    return None


def secret() -> bytes:
    """The installation's pseudonym key, as HMAC takes it."""
    return settings.MONITORING_PSEUDONYM_KEY.encode()


def key_of_checked(code: str, key: bytes | None = None) -> str:
    """The person key of an already checked, normalised code (the import's fast path)."""
    return hmac.digest(key or secret(), code.encode("ascii"), hashlib.sha256).hex()


def person_key(code: str) -> str:
    """The person key of a codice fiscale; InvalidCodiceFiscale when the code is wrong."""
    return key_of_checked(check(code))


def is_person_key(value: str) -> bool:
    """Whether `value` has the form of a person key (64 lower-case hex digits)."""
    return bool(_KEY.match(value or ""))


def mask(code: str) -> str:
    """What may be shown of a code in a report: its first and last characters, no more."""
    code = normalise(code)
    if len(code) <= 2:
        return "*" * len(code)
    return code[0] + "*" * (len(code) - 2) + code[-1]
