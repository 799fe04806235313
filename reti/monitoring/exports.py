"""Exports of participant-level data: only to authorised users, every one logged."""

import csv
import io
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied

from . import actions, permissions
from .models import ParticipantAccessLog, ParticipantRecord
from .snapshot import PARTICIPANTS

COLUMNS = [name for name, _db, _kind in PARTICIPANTS if name != "record_id"]


def participant_rows(user, intervention, *, channel: str) -> Iterator[str]:
    """CSV lines of the intervention's records (pseudonymised); PermissionDenied for others.

    The permission is checked and the export logged before the first line is produced.
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
    values = records.order_by("pk").values_list(*COLUMNS)
    return _lines(values.iterator(chunk_size=5_000))


def _lines(rows) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        if out.tell() > 64_000:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
