"""The audit trail: who changed a record, when, and why; the one place that writes it.

Reti's trail is django-simple-history: an audited model declares `history =
HistoricalRecords()`, and each save or delete of it writes a historical row with the date,
the acting user (`history_user`) and the reason (`history_change_reason`). simple-history
takes the user and the reason from two attributes of the instance; `stamp` sets both, every
time, so a reused instance never carries the previous actor or reason into the next row.

Reasons are stored in Italian, the language of the record, as the source text of a
translatable string: declare them with `gettext_noop` (so they reach the translation
catalogue) and pass the untranslated text. `describe` translates a stored reason when it is
shown, so the same row reads in Italian or in English whichever language the actor used. A
reason may carry a detail in the actor's own words after ": " (a validation comment), shown
as written. Reasons that are not in the catalogue (older rows, "back office", "api", a file
name) are shown as stored.
"""

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext

DETAIL = ": "


def stamp(obj, user, reason: str = "") -> None:
    """Tell the trail who acts on `obj` (a signed-in user; anyone else is "system") and why."""
    if isinstance(reason, Promise):
        raise TypeError("Audit reasons are stored untranslated: use gettext_noop, not a lazy one.")
    obj._history_user = user if getattr(user, "is_authenticated", False) else None
    obj._change_reason = reason or None


def save(obj, user, reason: str = "", *, m2m: dict[str, Iterable] | None = None) -> None:
    """Validate `obj` (`full_clean`), save it with its audit entry, then set `m2m` fields."""
    obj.full_clean()
    stamp(obj, user, reason)
    obj.save()
    for field, values in (m2m or {}).items():
        getattr(obj, field).set(values)


def delete(obj, user, reason: str = "") -> None:
    """Delete `obj`; the trail keeps its last state with who deleted it and why."""
    stamp(obj, user, reason)
    obj.delete()


def reason(text: str, detail: str = "") -> str:
    """The reason `text` (its Italian source) followed by `detail` in the actor's words."""
    detail = detail.strip()
    return f"{text}{DETAIL}{detail}" if detail else text


def describe(stored: str | None) -> str:
    """A stored reason in the current language; its detail, if any, as written."""
    if not stored:
        return ""
    text, separator, detail = stored.partition(DETAIL)
    return f"{gettext(text)}{separator}{detail}"
