"""Checking an uploaded document before it is stored: kind, size, real content, no bombs.

Used by every app that stores documents people upload (knowledge's attachments, grants'
PDFs): `check_upload(uploaded)` returns the `Kind` or raises ValidationError on `file`.

A file is accepted only when its content is what its extension says: a PDF starts with
`%PDF-` and pypdf can read its page tree; PNG and JPEG have their signature and Pillow can
verify them; DOCX and ODT are ZIP packages with the parts of their format. ZIP packages are
inspected before anything is decompressed: too many members, too many bytes once inflated,
or a member inflating far more than documents do (a "zip bomb") are refused.
"""

import warnings
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_BYTES = 20 * 1024 * 1024


class Kind(models.TextChoices):
    """The kinds of document Reti accepts (a practice's attachments, a grant's PDFs)."""

    PDF = "pdf", "PDF"
    DOCX = "docx", gettext_lazy("Documento Word (DOCX)")
    ODT = "odt", gettext_lazy("Documento OpenDocument (ODT)")
    PNG = "png", gettext_lazy("Immagine PNG")
    JPEG = "jpeg", gettext_lazy("Immagine JPEG")


EXTENSIONS = {
    ".pdf": Kind.PDF,
    ".docx": Kind.DOCX,
    ".odt": Kind.ODT,
    ".png": Kind.PNG,
    ".jpg": Kind.JPEG,
    ".jpeg": Kind.JPEG,
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Limits on ZIP packages (DOCX, ODT), checked on the central directory before inflating.
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_INFLATED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100  # real documents compress XML about 5-20 times
ZIP_RATIO_FROM = 1024 * 1024  # small members may compress very well legitimately


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def kind_of(name: str) -> str:
    """The attachment kind an extension claims; refuses other extensions."""
    kind = EXTENSIONS.get(PurePath(name or "").suffix.lower())
    if kind is None:
        raise _refuse(
            _("Tipo di file non accettato (%(name)s): sono ammessi PDF, DOCX, ODT, PNG e JPEG.")
            % {"name": name}
        )
    return kind


def check_upload(uploaded) -> str:
    """Validate an uploaded file; returns its kind or raises ValidationError on `file`."""
    kind = kind_of(uploaded.name)
    if uploaded.size > MAX_BYTES:
        raise _refuse(
            _("Il file %(name)s supera i 20 MB (%(size).1f MB).")
            % {"name": uploaded.name, "size": uploaded.size / 1024 / 1024}
        )
    if uploaded.size == 0:
        raise _refuse(_("Il file %(name)s è vuoto.") % {"name": uploaded.name})
    uploaded.seek(0)
    try:
        CHECKS[kind](uploaded)
    except ValidationError:
        raise
    except Exception as exc:
        raise _refuse(_not_what_it_says(uploaded.name, kind)) from exc
    finally:
        uploaded.seek(0)
    return kind


def _not_what_it_says(name: str, kind: str) -> str:
    return _("Il file %(name)s non è un %(kind)s valido: il contenuto non corrisponde.") % {
        "name": name,
        "kind": Kind(kind).label,
    }


def _check_pdf(uploaded) -> None:
    from pypdf import PdfReader

    if b"%PDF-" not in uploaded.read(1024):
        raise _refuse(_not_what_it_says(uploaded.name, Kind.PDF))
    uploaded.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(uploaded)
        if len(reader.pages) == 0:
            raise _refuse(_not_what_it_says(uploaded.name, Kind.PDF))


def _check_image(expected: str):
    def check(uploaded) -> None:
        from PIL import Image

        with warnings.catch_warnings():
            # Pillow warns on very large images (a pixel bomb): refuse those as well.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                if image.format != expected:
                    raise ValueError(image.format)
                image.verify()

    return check


def check_zip(uploaded, name: str) -> zipfile.ZipFile:
    """Open a ZIP package after checking its declared sizes; refuses bombs."""
    if not zipfile.is_zipfile(uploaded):
        raise ValueError("not a zip")
    package = zipfile.ZipFile(uploaded)
    members = package.infolist()
    inflated = sum(member.file_size for member in members)
    too_compressed = [
        m
        for m in members
        if m.file_size > ZIP_RATIO_FROM and m.file_size > ZIP_MAX_RATIO * max(m.compress_size, 1)
    ]
    if len(members) > ZIP_MAX_MEMBERS or inflated > ZIP_MAX_INFLATED or too_compressed:
        raise _refuse(
            _(
                "Il file %(name)s è un archivio compresso anomalo (si espanderebbe a "
                "%(size)d MB): rifiutato per sicurezza."
            )
            % {"name": name, "size": inflated // 1024 // 1024}
        )
    return package


def _check_docx(uploaded) -> None:
    names = set(check_zip(uploaded, uploaded.name).namelist())
    if not {"[Content_Types].xml", "word/document.xml"} <= names:
        raise _refuse(_not_what_it_says(uploaded.name, Kind.DOCX))


def _check_odt(uploaded) -> None:
    package = check_zip(uploaded, uploaded.name)
    names = set(package.namelist())
    if "mimetype" not in names or "content.xml" not in names:
        raise _refuse(_not_what_it_says(uploaded.name, Kind.ODT))
    if package.read("mimetype").strip() != ODT_MIMETYPE:
        raise _refuse(_not_what_it_says(uploaded.name, Kind.ODT))


CHECKS = {
    Kind.PDF: _check_pdf,
    Kind.DOCX: _check_docx,
    Kind.ODT: _check_odt,
    Kind.PNG: _check_image("PNG"),
    Kind.JPEG: _check_image("JPEG"),
}
