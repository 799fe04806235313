"""The one tabular writer: formula escaping, the two CSV dialects, XLSX, JSON, streaming,
the data dictionary, the format parameter and the old download addresses."""

import datetime as dt
import io
import json
import tracemalloc
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from reti.lib import tabular
from reti.lib.tabular import cells

PAYLOADS = [
    '=HYPERLINK("http://evil.example","click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",  # full-width equals sign, which some spreadsheets fold to "="
]
TABLE = tabular.Table(
    "prova",
    _("Prova"),
    (
        tabular.Column("nome", _("Nome"), "name"),
        tabular.Column("quota", _("Quota"), "share", type="number", unit="%"),
        tabular.Column("saldo", _("Saldo"), "balance", type="integer", unit="EUR"),
        tabular.Column("giorno", _("Giorno"), "day", type="date"),
        tabular.Column("attivo", _("Attivo"), "active", type="boolean"),
        tabular.Column("pagina", _("Pagina"), "page", type="url"),
    ),
)


class Record:
    def __init__(self, name, share=Decimal("12.5"), balance=-2, day=None, active=True):
        self.name, self.share, self.balance = name, share, balance
        self.day, self.active, self.page = day or dt.date(2024, 3, 1), active, "/it/reti/x/"


def download(records, fmt: str, **kwargs):
    request = RequestFactory().get("/it/prova/", {"format": fmt})
    return tabular.download(request, TABLE, records, **kwargs)


def content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_in_text_gets_a_leading_quote(payload):
    assert cells.escape(payload) == "'" + payload
    assert cells.escape("Regione Toscana") == "Regione Toscana"


def test_italian_csv_escapes_text_and_keeps_numbers():
    response = download([Record(p) for p in PAYLOADS], "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="prova.csv"'
    body = content(response).decode("utf-8")
    assert body.startswith("\ufeffnome;quota;saldo;giorno;attivo;pagina\r\n")
    import csv

    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))[1:]
    assert [row[0] for row in rows] == ["'" + p for p in PAYLOADS]
    # A negative number stays a number; the decimal mark is a comma; the page is absolute.
    assert rows[0][1:] == ["12,5", "-2", "2024-03-01", "sì", "http://testserver/it/reti/x/"]


def test_international_csv_uses_comma_and_dot():
    body = content(download([Record("-2+3", share=0.25, active=False)], "csv-intl")).decode()
    assert body == (
        "nome,quota,saldo,giorno,attivo,pagina\r\n"
        "'-2+3,0.25,-2,2024-03-01,false,http://testserver/it/reti/x/\r\n"
    )


def test_xlsx_has_typed_cells_a_frozen_header_and_notes():
    response = download([Record(p) for p in PAYLOADS], "xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="prova.xlsx"'
    book = load_workbook(io.BytesIO(content(response)))
    sheet = book["prova"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["nome", "quota", "saldo", "giorno", "attivo", "pagina"]
    for row, payload in zip(sheet.iter_rows(min_row=2), PAYLOADS, strict=True):
        name = row[0]
        # Stored as text with Excel's quote prefix: shown as typed, never run as a formula.
        assert (name.value, name.data_type, name.quotePrefix) == (payload, "s", True)
    share, balance, day, active, page = sheet[2][1:]
    assert (share.value, share.data_type) == (12.5, "n")
    assert (balance.value, balance.data_type) == (-2, "n")
    assert day.value == dt.datetime(2024, 3, 1) and day.is_date
    assert active.value is True and active.data_type == "b"
    assert page.value == "http://testserver/it/reti/x/"
    notes = list(book.worksheets[1].iter_rows(values_only=True))
    assert notes[0][0] == "Prova"
    assert notes[-5][:5] == ("quota", "number", "%", "no", "Quota")


def test_xlsx_text_that_looks_like_an_error_stays_text():
    book = load_workbook(io.BytesIO(content(download([Record("#N/A")], "xlsx"))))
    cell = book["prova"]["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("#N/A", "s", False)


def test_xlsx_refuses_nothing_a_database_may_hold():
    book = load_workbook(io.BytesIO(content(download([Record("a\x00b\x07c" * 20_000)], "xlsx"))))
    value = book["prova"]["A2"].value
    assert value.startswith("a\ufffdb\ufffdc") and len(value) == 32_767


def test_json_keeps_types_and_text_as_it_is():
    response = download([Record("=1+1", day=dt.date(2025, 1, 2))], "json", filters={"x": "1"})
    assert response["Content-Type"] == "application/json"
    data = json.loads(content(response))
    assert data == {
        "filtri": {"x": "1"},
        "righe": [
            {
                "nome": "=1+1",
                "quota": 12.5,
                "saldo": -2,
                "giorno": "2025-01-02",
                "attivo": True,
                "pagina": "http://testserver/it/reti/x/",
            }
        ],
    }


def test_rows_are_read_as_the_response_streams():
    consumed = []

    def records():
        for n in range(20_000):
            consumed.append(n)
            yield Record(f"Organizzazione {n:05d} " + "x" * 40)

    response = download(records(), "csv")
    assert isinstance(response, StreamingHttpResponse)
    assert consumed == []  # nothing read before the first byte is asked for
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert len(first) < 70_000
    assert 0 < len(consumed) < 20_000  # one chunk's rows, not the whole table
    assert sum(len(chunk) for chunk in chunks) > 1_000_000


def test_xlsx_is_written_in_bounded_memory():
    records = (Record(f"{i:06d} " + "y" * 2000) for i in range(2000))
    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in download(records, "xlsx").streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 2,000 rows of 2,000 characters are 4 MB of text; an in-memory workbook would hold them
    # all. Written rows go to a temporary file: the peak is the same for 200 rows (0.8 MB).
    assert size > 50_000
    assert peak < 2_000_000, peak


def test_an_unknown_format_or_filter_is_refused():
    refused = download([], "pdf")
    assert refused.status_code == 400
    assert "pdf" in refused.content.decode()
    assert download([], "json", formats=("csv",)).status_code == 400
    unknown = download([], "csv", refused=[("colore", "blu")])
    assert unknown.status_code == 400 and "colore=blu" in unknown.content.decode()


def test_the_dictionary_comes_from_the_columns():
    entry = TABLE.dictionary()[1]
    assert entry["field"] == "quota"
    assert (entry["type"], entry["unit"], entry["label_it"]) == ("number", "%", "Quota")
    assert TABLE.dictionary()[5]["format"] == "uri"
    assert tabular.Table("x", "x", (tabular.Column("a", "A"),)).dictionary()[0]["type"] == "string"
    with pytest.raises(ValueError):
        tabular.Column("a", "A", type="money")
    with pytest.raises(ValueError):
        tabular.Table("x", "x", (tabular.Column("a", "A"), tabular.Column("a", "B")))


def test_links_carry_the_filters_and_the_format():
    links = tabular.links("/it/reti/", {"period": "2007-2013"}, ("csv", "xlsx"))
    assert [link["url"] for link in links] == [
        "/it/reti/?period=2007-2013&format=csv",
        "/it/reti/?period=2007-2013&format=xlsx",
    ]
