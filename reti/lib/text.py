"""Text a user typed: one rule for control characters, shared by the API and the site's forms.

PostgreSQL cannot store NUL in text, and no other control character belongs in a name or a
description: a single-line value takes none of C0 (U+0000 to U+001F) or DEL, a multi-line one
also takes tab, line feed and carriage return.
"""

import re

from django.core.exceptions import ValidationError

_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character(value: str, multiline: bool = False) -> str | None:
    """The first control character `value` may not hold, or None."""
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
    return found.group() if found else None


def message(character: str) -> str:
    return f"Control characters are not allowed (found U+{ord(character):04X})."


def check_text(value: str, multiline: bool = False) -> None:
    """Refuse `value` (ValidationError, code "control_character") if it holds a control
    character its kind of field may not hold."""
    character = control_character(value, multiline)
    if character is not None:
        raise ValidationError(message(character), code="control_character")
