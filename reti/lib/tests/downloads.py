"""Reading the site's downloads back in tests, as a spreadsheet or a program would."""

import csv
import io
import json

from openpyxl import load_workbook


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[dict]:
    """The rows of an Italian-Excel CSV download (BOM, `;`), keyed by header."""
    body = content(response).decode("utf-8")
    assert body.startswith("\ufeff"), "no byte-order mark: Excel would garble the accents"
    return list(csv.DictReader(io.StringIO(body[1:]), delimiter=";"))


def intl_rows(response) -> list[dict]:
    body = content(response).decode("utf-8")
    assert not body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body)))


def json_rows(response) -> list[dict]:
    return json.loads(content(response))["righe"]


def workbook(response):
    return load_workbook(io.BytesIO(content(response)))
