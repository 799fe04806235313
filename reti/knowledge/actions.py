"""Use cases of good practices and transfers: check permission, change state, audit.

Every change goes through here, from the portal, the API and the back office: the action
checks `permissions`, validates with `full_clean()`, saves in a transaction and writes the
audit trail (`reti.lib.audit`): who acted and why. Attachments are checked by `uploads` before they
are stored; their text is extracted by a background task enqueued once the upload commits.
"""

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.lib import audit, uploads
from reti.registry.models import Territory

from . import permissions, search
from .extraction import extract_text
from .models import Attachment, GoodPractice, Transfer

logger = logging.getLogger(__name__)
State = GoodPractice.State
REGION_LEVELS = (Territory.Level.REGION, Territory.Level.AUTONOMOUS_PROVINCE)
# Audit reasons, stored in Italian and translated when shown (reti.lib.audit).
CREATED = gettext_noop("Bozza creata")
EDITED = gettext_noop("Modifica")
SUBMITTED = gettext_noop("Inviata alla validazione")
VALIDATED = gettext_noop("Validata")
SENT_BACK = gettext_noop("Rinviata")
PUBLISHED = gettext_noop("Pubblicata")
ARCHIVED = gettext_noop("Archiviata")
ATTACHED = gettext_noop("Allegato caricato")
DETACHED = gettext_noop("Allegato rimosso")
EXTRACTED = gettext_noop("Testo estratto")
TRANSFER = gettext_noop("Trasferimento")
PARTS_EDITED = gettext_noop("Risultati, contatti e collegamenti modificati")


def _region_of(territory: Territory | None) -> Territory | None:
    """The region (or autonomous province) containing a territory, if any."""
    seen = 0
    while territory is not None and seen < 6:
        if territory.level in REGION_LEVELS:
            return territory
        territory, seen = territory.parent, seen + 1
    return None


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def create_practice(
    user, practice: GoodPractice, *, m2m: dict[str, Iterable] | None = None, reason: str = ""
) -> GoodPractice:
    """Create a practice as a draft of its lead organisation (an editor's own or staff's)."""
    _require(
        permissions.can_create(
            user, practice.lead_organisation if practice.lead_organisation_id else None
        ),
        "You may only create practices of an organisation you edit.",
    )
    practice.state = State.DRAFT
    practice.region = _region_of(practice.territory)
    audit.save(practice, user, reason or CREATED, m2m=m2m)
    search.refresh(practice)
    return practice


@transaction.atomic
def update_practice(
    user, practice: GoodPractice, *, m2m: dict[str, Iterable] | None = None, reason: str = ""
) -> GoodPractice:
    """Save changes to a practice: its authors while it is a draft or sent back, or staff."""
    stored = GoodPractice.objects.select_for_update().get(pk=practice.pk)
    _require(permissions.can_edit(user, stored), "You do not edit this practice.")
    if practice.lead_organisation_id != stored.lead_organisation_id:
        _require(
            permissions.can_create(user, practice.lead_organisation),
            "You may only move a practice to an organisation you edit.",
        )
    practice.state = stored.state
    practice.region = _region_of(practice.territory)
    audit.save(practice, user, reason or EDITED, m2m=m2m)
    search.refresh(practice)
    return practice


def _transition(practice: GoodPractice, user, reason: str, **changes) -> GoodPractice:
    for field, value in changes.items():
        setattr(practice, field, value)
    audit.save(practice, user, reason)
    search.refresh(practice)
    return practice


def _locked(practice: GoodPractice) -> GoodPractice:
    return GoodPractice.objects.select_for_update().get(pk=practice.pk)


@transaction.atomic
def submit_practice(user, practice: GoodPractice) -> GoodPractice:
    """Send a draft (or a sent-back practice) to the network's secretariat for validation."""
    practice = _locked(practice)
    _require(permissions.can_submit(user, practice), "You do not submit this practice.")
    if practice.network_id is None:
        raise ValidationError(
            {"network": _("Indicare la rete di origine: è il suo segretariato a validarla.")}
        )
    if not practice.summary_it.strip():
        raise ValidationError({"summary_it": _("La sintesi in italiano è obbligatoria.")})
    return _transition(
        practice,
        user,
        SUBMITTED,
        state=State.SUBMITTED,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def validate_practice(user, practice: GoodPractice, comment: str) -> GoodPractice:
    """The secretariat validates a submitted practice, with a comment."""
    practice = _locked(practice)
    _require(permissions.can_review(user, practice), "You do not validate this practice.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Scrivere un commento di validazione.")})
    return _transition(
        practice,
        user,
        audit.reason(VALIDATED, comment[:200]),
        state=State.VALIDATED,
        validation_comment=comment,
        validated_at=timezone.now(),
        sent_back_reason="",
    )


@transaction.atomic
def send_back_practice(user, practice: GoodPractice, reasons: str) -> GoodPractice:
    """The secretariat sends a practice back to its authors, saying why."""
    practice = _locked(practice)
    _require(permissions.can_send_back(user, practice), "You do not review this practice.")
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": _("Indicare i motivi del rinvio.")})
    return _transition(
        practice,
        user,
        audit.reason(SENT_BACK, reasons[:200]),
        state=State.SENT_BACK,
        sent_back_reason=reasons,
        validated_at=None,
    )


@transaction.atomic
def publish_practice(user, practice: GoodPractice) -> GoodPractice:
    """The secretariat publishes a validated practice: it becomes public and searchable."""
    practice = _locked(practice)
    _require(permissions.can_publish(user, practice), "You do not publish this practice.")
    return _transition(
        practice, user, PUBLISHED, state=State.PUBLISHED, published_at=timezone.now()
    )


@transaction.atomic
def archive_practice(user, practice: GoodPractice, reason: str = "") -> GoodPractice:
    """Withdraw a published practice from the public catalogue; its record stays."""
    practice = _locked(practice)
    _require(permissions.can_archive(user, practice), "You do not archive this practice.")
    return _transition(practice, user, reason or ARCHIVED, state=State.ARCHIVED)


@transaction.atomic
def add_attachment(user, practice: GoodPractice, uploaded, *, title: str = "") -> Attachment:
    """Attach a checked file to a practice its user edits; its text is extracted later."""
    _require(permissions.can_edit(user, practice), "You do not edit this practice.")
    kind = uploads.check_upload(uploaded)
    attachment = Attachment(
        practice=practice,
        file=uploaded,
        original_name=uploaded.name[:255],
        title=title[:300],
        kind=kind,
        size=uploaded.size,
        extraction_status=(
            Attachment.Extraction.PENDING
            if kind in Attachment.TEXT_KINDS
            else Attachment.Extraction.NOT_APPLICABLE
        ),
    )
    try:
        audit.save(attachment, user, ATTACHED)
    except OSError as error:
        # A full disk or an unwritable MEDIA_ROOT: the storage left no file (reti/lib/storage.py)
        # and the transaction takes the row back; the uploader learns it is not their file.
        logger.error("Attachment not stored for practice %s: %s", practice.pk, error)
        raise ValidationError(
            {
                "file": _(
                    "Il file non è stato salvato: lo spazio di archiviazione del sito è esaurito "
                    "o non disponibile. Non è un problema del file: riprova più tardi o avvisa "
                    "chi gestisce il sito."
                )
            },
            code="storage",
        ) from error
    if kind in Attachment.TEXT_KINDS:
        from .tasks import extract_attachment_text

        transaction.on_commit(lambda: extract_attachment_text.enqueue(attachment.pk))
    return attachment


@transaction.atomic
def remove_attachment(user, attachment: Attachment) -> None:
    """Remove an attachment from a practice its user edits; the audit trail keeps the row."""
    practice = attachment.practice
    _require(permissions.can_edit(user, practice), "You do not edit this practice.")
    audit.stamp(attachment, user, DETACHED)
    stored_file = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored_file.delete(save=False))
    search.refresh(practice)


def extract_attachment(attachment_id: int) -> Attachment | None:
    """Read the text of an attachment and re-index its practice (run by the background task).

    A file that cannot be read is marked failed with the reason; the practice stays as it is.
    """
    with transaction.atomic():
        attachment = Attachment.objects.select_for_update().filter(pk=attachment_id).first()
        if attachment is None:
            return None
        try:
            with attachment.file.open("rb") as file:
                text = extract_text(attachment.kind, file)
        except Exception as exc:  # any library error: a damaged or unusual file
            logger.warning("Text extraction failed for attachment %s: %r", attachment_id, exc)
            attachment.extraction_status = Attachment.Extraction.FAILED
            attachment.extraction_error = (str(exc) or type(exc).__name__)[:300]
        else:
            attachment.extracted_text = text
            attachment.extraction_status = Attachment.Extraction.DONE
            attachment.extraction_error = ""
        audit.stamp(attachment, None, EXTRACTED)
        attachment.save()
        search.refresh(attachment.practice)
    return attachment


def _check_transfer_parties(user, transfer: Transfer) -> None:
    _require(
        permissions.can_record_transfer(user, transfer.practice, transfer.adopting_organisation),
        "You do not record transfers of this practice for this organisation.",
    )


@transaction.atomic
def record_transfer(user, transfer: Transfer, *, reason: str = "") -> Transfer:
    """Record (or update) a practice's take-up by another organisation or region."""
    if transfer.adopting_region_id is None and transfer.adopting_organisation_id:
        transfer.adopting_region = _region_of(transfer.adopting_organisation.territory)
    _check_transfer_parties(user, transfer)
    if transfer.pk is not None:
        stored = Transfer.objects.select_related("practice", "adopting_organisation").get(
            pk=transfer.pk
        )
        _require(permissions.can_edit_transfer(user, stored), "You do not edit this transfer.")
    with translation.override(None):  # the stage in Italian, like the rest of the reason
        stage = str(transfer.get_stage_display())
    audit.save(transfer, user, reason or audit.reason(TRANSFER, stage))
    return transfer


@transaction.atomic
def save_practice_part(user, obj, *, reason: str = ""):
    """Create or update a result, contact or link of a practice its user edits."""
    _require(permissions.can_edit(user, obj.practice), "You do not edit this practice.")
    if obj.pk is not None:
        stored = type(obj).objects.select_related("practice").get(pk=obj.pk)
        _require(permissions.can_edit(user, stored.practice), "You do not edit this practice.")
    audit.save(obj, user, reason)
    return obj


@transaction.atomic
def delete_practice_part(user, obj, *, reason: str = "") -> None:
    """Delete a result, contact or link of a practice its user edits (history keeps it)."""
    _require(permissions.can_edit(user, obj.practice), "You do not edit this practice.")
    audit.delete(obj, user, reason)


@transaction.atomic
def save_practice_parts(user, practice: GoodPractice, changes: dict, *, reason: str = "") -> None:
    """Save a practice's results, contacts and links as edited on its form, all or nothing.

    `changes` maps "figures" / "contacts" / "links" to (saved, deleted): unsaved instances
    to write and instances to delete. Only the practice's editors; each row is validated
    (a ValidationError names `<related>.<field>`) and audited with the user and reason.
    """
    _require(permissions.can_edit(user, practice), "You do not edit this practice.")
    reason = reason or PARTS_EDITED
    now = timezone.now()
    for related, (saved, deleted) in changes.items():
        for old in deleted:
            if old.practice_id != practice.pk:
                raise PermissionDenied("Not a part of this practice.")
            audit.delete(old, user, reason)
        for row in saved:
            row.practice = practice
            if related == "contacts" and row.consent and row.consent_recorded_at is None:
                row.consent_recorded_at = now
            if related == "contacts" and not row.consent:
                row.consent_recorded_at = None
            try:
                audit.save(row, user, reason)
            except ValidationError as error:
                raise ValidationError(
                    {
                        f"{related}.{field}": messages
                        for field, messages in error.message_dict.items()
                    }
                ) from error


@transaction.atomic
def replace_practice_parts(user, practice: GoodPractice, related: str, rows: list, *, reason=""):
    """Replace a practice's results (`figures`) or `links` with `rows` (unsaved instances).

    A row that fails validation raises ValidationError naming `<related>.<index>.<field>`;
    nothing is changed then.
    """
    _require(permissions.can_edit(user, practice), "You do not edit this practice.")
    for old in getattr(practice, related).all():
        audit.delete(old, user, reason)
    for index, row in enumerate(rows):
        row.practice = practice
        try:
            audit.save(row, user, reason)
        except ValidationError as error:
            raise ValidationError(
                {
                    f"{related}.{index}.{field}": messages
                    for field, messages in error.message_dict.items()
                }
            ) from error
