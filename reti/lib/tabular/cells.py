"""How one value becomes one cell: formula escaping and the spelling of each dialect.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (and a tab or a
carriage return can hide one), so a name such as `=HYPERLINK("http://evil.example","x")`
typed into Reti would run on the computer of whoever opens the download. Following OWASP's
guidance on CSV injection, every text cell that starts with one of those characters (or
their full-width forms, which some spreadsheets fold) is written with a leading single
quote; numbers, negative ones included, stay numbers. In XLSX the text keeps its value and
is stored as a string cell with Excel's own quote prefix, which no spreadsheet evaluates.
"""

import datetime as dt
import math
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def risky(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula."""
    return text.startswith(TRIGGERS)


def escape(text: str) -> str:
    """`text` as a spreadsheet shows it and never runs it."""
    return "'" + text if risky(text) else text


def is_number(value) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return not (isinstance(value, float | Decimal) and not math.isfinite(value))


def local(value: dt.datetime) -> dt.datetime:
    """An aware time in the site's zone (Europe/Rome), without its zone (Excel has none)."""
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(settings.TIME_ZONE))
    return value.replace(tzinfo=None)


def number_text(value, decimal_mark: str) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(value, "f") if isinstance(value, Decimal) else repr(float(value))
    return text.replace(".", decimal_mark) if decimal_mark != "." else text


def text(value, dialect) -> str:
    """The CSV spelling of `value` in `dialect`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return dialect.true if value else dialect.false
    if is_number(value):
        return number_text(value, dialect.decimal_mark)
    if isinstance(value, dt.datetime):
        return local(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | Decimal):  # NaN or infinite: no number to write
        return ""
    return escape(str(value))
