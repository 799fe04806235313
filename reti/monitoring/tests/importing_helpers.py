"""Building participant files for the import tests: invented people only."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.it import codicefiscale

from reti.monitoring import actions
from reti.monitoring.importing.run import import_batch
from reti.monitoring.importing.spec import NAMES


def fake_code(n: int) -> str:
    """A valid codice fiscale of an invented person number `n` (no real person is meant)."""
    letters = "".join(chr(ord("A") + (n // 26**i) % 26) for i in range(6))
    year = f"{50 + n % 50:02d}"
    body = f"{letters}{year}A{1 + n % 28:02d}Z999"  # Z999: an invented foreign birthplace
    return body + codicefiscale.calc_check_digit(body)


def row(n: int = 0, **changes) -> dict:
    values = dict.fromkeys(NAMES, "")
    values.update(
        codice_fiscale=fake_code(n),
        genere="F" if n % 2 else "M",
        eta_ingresso=str(20 + n % 40),
        data_ingresso="01/03/2024",
        data_uscita="30/09/2024",
        condizione_ingresso="disoccupato",
        disoccupato_lunga_durata="si" if n % 3 == 0 else "no",
        isced="3",
        esecuzione_penale="si",
        data_rilevazione_uscita="15/10/2024",
        uscita_occupato="si" if n % 2 else "no",
    )
    values.update(changes)
    return values


def csv_bytes(rows, *, delimiter=";", encoding="utf-8", header=NAMES, bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    text = out.getvalue()
    return (("\ufeff" if bom else "") + text).encode(encoding)


def upload(
    user, intervention, content: bytes, *, name="partecipanti.csv", mode="replace", **options
):
    """Upload and run the import at once (the task's work); returns the finished batch."""
    batch = actions.upload_batch(
        user, intervention, SimpleUploadedFile(name, content), mode=mode, **options
    )
    return import_batch(batch.pk)


def xlsx_bytes(rows, *, header=NAMES) -> bytes:
    """A workbook of the template's columns, as a spreadsheet program saves it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for values in rows:
        sheet.append([values.get(name, "") for name in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_member(content: bytes, name: str, change) -> bytes:
    """The workbook with member `name` replaced by change(its bytes)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == name:
                data = change(data)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
