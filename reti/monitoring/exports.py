"""Exports of participant-level data: only to authorised users, every one logged."""

from collections.abc import Iterator
from operator import itemgetter

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from reti.lib import tabular

from . import actions, permissions
from .models import ParticipantAccessLog, ParticipantRecord
from .snapshot import PARTICIPANTS

# The snapshot's columns (the analyses' names), typed from their DuckDB types.
_KINDS = {"BIGINT": "integer", "SMALLINT": "integer", "VARCHAR": "string"}
_KINDS |= {"DATE": "date", "BOOLEAN": "boolean"}
_EXPORTED = [(name, db, kind) for name, db, kind in PARTICIPANTS if name != "record_id"]
COLUMNS = [name for name, _db, _kind in _EXPORTED]
_FIELDS = {field.name: field for field in ParticipantRecord._meta.get_fields()}


def _column(index: int, name: str, db: str, kind: str) -> tabular.Column:
    field = _FIELDS["intervention" if db == "intervention_id" else db]
    return tabular.Column(
        name,
        field.verbose_name,
        itemgetter(index),
        type=_KINDS[kind],
        description=getattr(field, "help_text", ""),
    )


PARTICIPANTS_TABLE = tabular.Table(
    "partecipanti",
    _("Record dei partecipanti (pseudonimizzati)"),
    tuple(_column(i, *spec) for i, spec in enumerate(_EXPORTED)),
    description=_(
        "Un record per persona e intervento; la persona è indicata dalla sua chiave "
        "pseudonima, mai dal codice fiscale."
    ),
)


def participant_rows(user, intervention, *, channel: str) -> Iterator[tuple]:
    """The intervention's records (pseudonymised) as tuples in COLUMNS order, read as they
    are consumed; PermissionDenied for others.

    The permission is checked and the export logged before the first row is produced.
    """
    if not permissions.can_export_participants(user, intervention):
        actions.log_access(
            user,
            ParticipantAccessLog.Action.REFUSED,
            "participant export",
            intervention=intervention,
            channel=channel,
        )
        raise PermissionDenied("You do not export this intervention's participant data.")
    records = ParticipantRecord.objects.filter(intervention=intervention)
    actions.log_access(
        user,
        ParticipantAccessLog.Action.EXPORT,
        "participant export",
        intervention=intervention,
        count=records.count(),
        channel=channel,
    )
    values = records.order_by("pk").values_list(*(db for _name, db, _kind in _EXPORTED))
    return values.iterator(chunk_size=5_000)
