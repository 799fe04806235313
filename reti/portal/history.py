"""The audit trail of a registry record, turned into entries a person can read.

Each entry says when, who (a username only for those who may see it), what kind of change,
why, and which fields went from which value to which.
"""

from dataclasses import dataclass, field

from django.db.models import Model
from django.urls import reverse
from django.utils import formats
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.utils import get_m2m_reverse_field_name

from reti.lib import audit
from reti.registry.models import (
    Action,
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    Project,
    WorkingGroup,
)

# Public registry records with a history page, by the URL segment naming their kind.
# People and their affiliations are personal data: their history stays in the back office.
KINDS: dict[str, type[Model]] = {
    "reti": Network,
    "progetti": Project,
    "organizzazioni": Organisation,
    "gruppi-di-lavoro": WorkingGroup,
    "ruoli-nelle-reti": GoverningRole,
    "collegamenti-tra-reti": NetworkLink,
    "partenariati": Partnership,
    "azioni": Action,
}
_KIND_OF_MODEL = {model: kind for kind, model in KINDS.items()}
# Timestamps every save touches: the real change is in the other fields.
_HIDDEN_FIELDS = ("created_at", "updated_at")
_LONG_VALUE = 300


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    date: object
    user: str
    change_type: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def history_url(obj) -> str | None:
    """The public history page of a registry record, or None for kinds without one."""
    kind = _KIND_OF_MODEL.get(type(obj))
    if kind is None or obj.pk is None:
        return None
    return reverse("portal:record_history", kwargs={"kind": kind, "pk": obj.pk})


def _change_type(record) -> str:
    return {"+": _("Creazione"), "~": _("Modifica"), "-": _("Eliminazione")}[record.history_type]


def _user(record, show_users: bool) -> str:
    if record.history_user_id is None:
        return _("sistema")
    if show_users and record.history_user is not None:
        return record.history_user.get_username()
    return _("utente registrato")


def _value(model_field, value) -> str:
    if isinstance(value, list):
        reverse_name = get_m2m_reverse_field_name(model_field)
        names = sorted(_value(None, row[reverse_name]) for row in value)
        return ", ".join(names) or "—"
    if value is None or value == "":
        return "—"
    if isinstance(value, DeletedObject):
        return _("#%(pk)s (eliminato)") % {"pk": value.pk}
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    if isinstance(value, Model):
        return str(value)
    return Truncator(str(formats.localize(value))).chars(_LONG_VALUE)


def _changes(newer, older) -> list[Change]:
    model = newer.instance_type
    delta = newer.diff_against(older, excluded_fields=_HIDDEN_FIELDS, foreign_keys_are_objs=True)
    changes = []
    for change in delta.changes:
        model_field = model._meta.get_field(change.field)
        changes.append(
            Change(
                field=capfirst(str(model_field.verbose_name)),
                old=_value(model_field, change.old),
                new=_value(model_field, change.new),
            )
        )
    return changes


def audit_entries(records, older_record, *, show_users: bool) -> list[Entry]:
    """Entries for `records` (newest first); `older_record` precedes the last one, if any."""
    records = list(records)
    entries = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else older_record
        entries.append(
            Entry(
                date=record.history_date,
                user=_user(record, show_users),
                change_type=_change_type(record),
                reason=audit.describe(record.history_change_reason),
                changes=_changes(record, older) if older is not None else [],
            )
        )
    return entries
