"""The text of an attachment, read with pypdf, python-docx or odfpy (images have none)."""

import warnings

from reti.lib.uploads import check_zip

from .models.attachments import Attachment

Kind = Attachment.Kind
# Enough for a long report; the search index needs no more.
MAX_CHARS = 1_000_000


def _pdf(file) -> str:
    from pypdf import PdfReader

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(file)
        return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx(file) -> str:
    import docx

    check_zip(file, getattr(file, "name", ""))  # the stored file is checked again
    file.seek(0)
    document = docx.Document(file)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _odt(file) -> str:
    from odf import teletype
    from odf import text as odf_text
    from odf.opendocument import load

    check_zip(file, getattr(file, "name", ""))
    file.seek(0)
    document = load(file)
    elements = document.getElementsByType(odf_text.H) + document.getElementsByType(odf_text.P)
    return "\n".join(teletype.extractText(element) for element in elements)


READERS = {Kind.PDF: _pdf, Kind.DOCX: _docx, Kind.ODT: _odt}


def extract_text(kind: str, file) -> str:
    """The plain text of a document of `kind`, at most MAX_CHARS characters."""
    reader = READERS.get(kind)
    if reader is None:
        return ""
    file.seek(0)
    return reader(file)[:MAX_CHARS].replace("\x00", "")
