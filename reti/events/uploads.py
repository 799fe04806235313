"""Upload checks: a file must be what its extension says, at most 20 MB, and no zip bomb."""

import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 20 * 1024 * 1024
# Office files are zip archives: their unpacked content stays within these bounds.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100

OOXML_PARTS = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}
ODF_TYPES = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    ".odp": b"application/vnd.oasis.opendocument.presentation",
}
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
ALLOWED = sorted([*SIGNATURES, *OOXML_PARTS, *ODF_TYPES])


def _check_archive(upload, extension: str) -> None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
                raise ValidationError(
                    _("Il file compresso si espande in modo anomalo: rifiutato."), code="bomb"
                )
            names = {info.filename for info in infos}
            if extension in OOXML_PARTS and OOXML_PARTS[extension] not in names:
                raise ValidationError(_bad_content(extension), code="content")
            if extension in ODF_TYPES and (
                "mimetype" not in names or archive.read("mimetype").strip() != ODF_TYPES[extension]
            ):
                raise ValidationError(_bad_content(extension), code="content")
    except zipfile.BadZipFile as exc:
        raise ValidationError(_bad_content(extension), code="content") from exc
    finally:
        upload.seek(0)


def _bad_content(extension: str) -> str:
    return _("Il contenuto del file non è un %(ext)s valido.") % {"ext": extension[1:].upper()}


def validate_document(upload) -> None:
    """Refuse a file whose content does not match its extension, or larger than 20 MB."""
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(
            _("Formato non ammesso (%(ext)s): sono ammessi %(allowed)s.")
            % {"ext": extension or "—", "allowed": ", ".join(ALLOWED)},
            code="extension",
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(_("Il file supera i 20 MB."), code="size")
    if extension in SIGNATURES:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not head.startswith(SIGNATURES[extension]):
            raise ValidationError(_bad_content(extension), code="content")
    else:
        _check_archive(upload, extension)
