"""Answers read on their scales.

`numeric(scale, value)` gives the number an answer scores on its scale, or None when the
answer does not fit the scale: a range takes a number between its minimum and maximum, a
level code of the scale takes that level's value, yes/no takes a bool (1 or 0), a percentage
takes a number from 0 to 100. `problem(scale, value)` says in words why an answer does not fit,
including a range value off its step, which `numeric` does not check (so a replay of an
answer given on an older step still scores).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .model import Scale


def as_decimal(value) -> Decimal | None:
    """A Decimal from a Decimal, an int or a numeric string; None otherwise (floats and bools
    are refused: a float is not exact, a bool is not a score)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def numeric(scale: Scale, value) -> Decimal | None:
    """The number `value` scores on `scale`, or None when it does not fit."""
    kind = scale.kind
    if kind == "yesno":
        if value is True:
            return Decimal(1)
        if value is False:
            return Decimal(0)
        return None
    if kind == "levels":
        level = scale.level(value) if isinstance(value, str) else None
        return None if level is None else level.value
    number = as_decimal(value)
    if number is None:
        return None
    low, high = (scale.min, scale.max) if kind == "range" else (Decimal(0), Decimal(100))
    return number if low <= number <= high else None


def problem(scale: Scale, value) -> str | None:
    """Why `value` does not fit `scale`, in words; None when it fits."""
    kind = scale.kind
    if kind == "yesno":
        return None if isinstance(value, bool) else "the answer must be yes or no"
    if kind == "levels":
        if isinstance(value, str) and scale.level(value) is not None:
            return None
        codes = ", ".join(level.code for level in scale.levels)
        return f"the answer must be one of the levels {codes}"
    number = as_decimal(value)
    if number is None:
        return "the answer must be a number"
    low, high = (scale.min, scale.max) if kind == "range" else (Decimal(0), Decimal(100))
    if not low <= number <= high:
        return f"the answer must be between {low} and {high}"
    if kind == "range" and scale.step and (number - low) % scale.step != 0:
        return f"the answer must be {low} plus a multiple of {scale.step}"
    return None
