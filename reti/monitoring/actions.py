"""Use cases of monitoring: check permission, change state in a transaction, audit it.

Interventions and indicator definitions are audited by django-simple-history (acting user and
reason written through `reti.lib.audit`); participant records are audited by their import
batch and by the access log (`log_access`), never by simple-history.
"""

import hashlib
import os
import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction

from reti.lib import audit

from . import permissions
from .models import (
    ImportBatch,
    IndicatorDefinition,
    Intervention,
    ParticipantAccessLog,
    ParticipantRecord,
)


@transaction.atomic
def save_intervention(user, intervention: Intervention, *, m2m=None, reason: str = ""):
    """Create (staff) or change (staff, the owner's editors) an intervention."""
    if not permissions.can_edit_intervention(user, intervention):
        raise PermissionDenied("You do not edit this intervention.")
    if intervention.pk is not None:
        stored = Intervention.objects.get(pk=intervention.pk)
        if not permissions.can_edit_intervention(user, stored):
            raise PermissionDenied("You do not edit this intervention.")
    audit.save(intervention, user, reason, m2m=m2m)
    return intervention


@transaction.atomic
def save_intervention_part(user, obj, *, reason: str = ""):
    """Create or change a row hanging from an intervention (target group, target, entity)."""
    if not permissions.can_edit_intervention(user, obj.intervention):
        raise PermissionDenied("You do not edit this intervention.")
    audit.save(obj, user, reason)
    return obj


@transaction.atomic
def delete_intervention_part(user, obj, *, reason: str = "") -> None:
    """Delete a row hanging from an intervention; the audit trail keeps its last state."""
    if not permissions.can_edit_intervention(user, obj.intervention):
        raise PermissionDenied("You do not edit this intervention.")
    audit.delete(obj, user, reason)


@transaction.atomic
def save_indicator(user, indicator: IndicatorDefinition, *, reason: str = ""):
    """Create or change an indicator definition (staff: programme-specific indicators)."""
    if not permissions.can_edit_indicators(user):
        raise PermissionDenied("You do not edit indicator definitions.")
    audit.save(indicator, user, reason)
    return indicator


def log_access(user, action: str, what: str, *, intervention=None, count=0, channel=""):
    """Write one line of the participant data access log (reads, exports, refusals...)."""
    return ParticipantAccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        intervention=intervention,
        what=what[:300],
        record_count=count,
        channel=channel,
    )


def _store_upload(batch_name: str, uploaded) -> tuple[str, str, int]:
    """Save an upload under MEDIA_ROOT/monitoring/imports; returns path, sha256, size.

    The file holds clear codici fiscali: it lives only until its import ends.
    """
    from .importing.files import imports_dir

    digest = hashlib.sha256()
    path = imports_dir() / f"{batch_name}.upload"
    size = 0
    with open(path, "wb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    path.chmod(0o600)
    return str(path), digest.hexdigest(), size


def upload_batch(
    user,
    intervention: Intervention,
    uploaded,
    *,
    mode: str,
    channel="portal",
    confirm_shrink: bool = False,
):
    """Queue an uploaded participant file for import; returns the ImportBatch.

    The file is checked and written by the `run_import` task once this transaction commits;
    the page (or the API) follows the batch's status and progress. `confirm_shrink`: the
    uploader accepts that a replacing file loses most of the intervention's records
    (importing.run.shrinks_drastically).
    """
    from .tasks import run_import

    if not permissions.can_upload(user, intervention):
        log_access(
            user,
            ParticipantAccessLog.Action.REFUSED,
            "upload",
            intervention=intervention,
            channel=channel,
        )
        raise PermissionDenied("You do not upload participants of this intervention.")
    if mode not in ImportBatch.Mode.values:
        raise ValueError(f"unknown import mode {mode!r}")
    name = getattr(uploaded, "name", "") or "upload"
    with transaction.atomic():
        path, sha256, size = _store_upload(uuid.uuid4().hex, uploaded)
        batch = ImportBatch.objects.create(
            intervention=intervention,
            file_name=os.path.basename(name)[:255],
            file_size=size,
            sha256=sha256,
            mode=mode,
            uploaded_by=user,
            stored_file=path,
            confirm_shrink=confirm_shrink,
        )
        transaction.on_commit(lambda: run_import.enqueue(batch.pk))
    return batch


def read_batch_report(user, batch: ImportBatch, *, channel="portal") -> list[list]:
    """The validation report of a batch, for its intervention's authorised users (logged)."""
    if not permissions.can_view_participants(user, batch.intervention):
        log_access(
            user,
            ParticipantAccessLog.Action.REFUSED,
            f"report of batch {batch.pk}",
            intervention=batch.intervention,
            channel=channel,
        )
        raise PermissionDenied("You do not read this intervention's participant data.")
    log_access(
        user,
        ParticipantAccessLog.Action.EXPORT,
        f"report of batch {batch.pk}",
        intervention=batch.intervention,
        count=batch.error_count,
        channel=channel,
    )
    return batch.report


@transaction.atomic
def erase_person(user, code_or_key: str, *, channel="portal") -> int:
    """Remove a person from every intervention (data-protection erasure); returns records removed.

    Takes the codice fiscale or its person key; the access log keeps who erased how many
    records, never whom. The analytics snapshot is rewritten once the erasure commits.
    """
    from . import pseudonym
    from .snapshot import refresh

    if not permissions.can_erase_person(user):
        raise PermissionDenied("You do not erase participants.")
    value = (code_or_key or "").strip()
    key = value if pseudonym.is_person_key(value) else pseudonym.person_key(value)
    # Through the unique index (intervention, person key): the key has no index of its own,
    # which every import would have to update in random order.
    removed, _ = ParticipantRecord.objects.filter(
        intervention_id__in=Intervention.objects.values("pk"), person_key=key
    ).delete()
    log_access(
        user,
        ParticipantAccessLog.Action.ERASE,
        "erasure of one person",
        count=removed,
        channel=channel,
    )
    transaction.on_commit(refresh)
    return removed
