"""Hostile text in the apps that came after the probe (issue 22: grids, grants, CSR, open data).

Formula payloads typed into names and titles come out of every download of these apps as
text a spreadsheet shows and never runs (the one writer, reti/lib/tabular); and every form
of these apps that takes text refuses control characters through the one validator
(reti/lib/forms.PlainTextForm, reti/lib/text.py), so a NUL never reaches PostgreSQL.
"""

import csv
import datetime
import importlib
import inspect
import io
import json

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reti.grants.models import Application, Receipt
from reti.grants.tests import factories as grant_factories
from reti.lib import tabular
from reti.lib.forms import PlainTextForm
from reti.lib.tabular.cells import TRIGGERS
from reti.lib.tests.downloads import content
from reti.opendata.registry import datasets

NEW_APP_FORMS = ("reti.grants.forms", "reti.csr.forms", "reti.grids.forms")
ORGANISATION = '=HYPERLINK("http://evil.example","clic")'
TITLE = "@SUM(1+1)*cmd|' /C calc'!A0"
PAYLOADS = (ORGANISATION, TITLE)


def _text_forms():
    for module_name in NEW_APP_FORMS:
        module = importlib.import_module(module_name)
        for name, form in inspect.getmembers(module, inspect.isclass):
            if form.__module__ != module_name or not issubclass(form, forms.BaseForm):
                continue
            texts = [
                field
                for field, declared in form.base_fields.items()
                if isinstance(declared, forms.CharField)
            ]
            yield pytest.param(form, texts, id=f"{module_name}.{name}")


@pytest.mark.parametrize(("form", "texts"), list(_text_forms()))
def test_every_form_of_the_new_apps_that_takes_text_refuses_control_characters(form, texts):
    assert not texts or issubclass(form, PlainTextForm), (
        f"{form.__name__} takes text ({', '.join(texts)}) without reti.lib.forms.PlainTextForm"
    )


def _body(response) -> bytes:
    return content(response) if response.streaming else response.content


def _text_cells(body: bytes, code: str) -> list[tuple[str, bool]]:
    """(text, safe) for each text cell of a download: safe when no spreadsheet runs it."""
    if code == "xlsx":
        book = load_workbook(io.BytesIO(body))
        return [
            (str(cell.value), cell.data_type != "f" and (cell.quotePrefix or not risky))
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
            for risky in [cell.value.startswith(TRIGGERS)]
        ]
    text = body.decode("utf-8").removeprefix("\ufeff")
    if code == "json":
        json.loads(text)  # JSON keeps text as it is: it is data for programs, not a sheet
        return [(value, True) for value in PAYLOADS if json.dumps(value)[1:-1] in text]
    delimiter = ";" if code == "csv" else ","
    return [
        (cell.removeprefix("'"), not cell.startswith(TRIGGERS) or _number(cell))
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        for cell in row
    ]


def _number(cell: str) -> bool:
    try:
        float(cell.replace(",", "."))
    except ValueError:
        return False
    return True


@pytest.fixture
def hostile(cast):
    """Toscana renamed to a formula, with an application titled with another, submitted to a
    closed call of Trento's intermediate body (the cast's secretariat is its officer)."""
    cast.toscana.name_it = cast.toscana.name_en = ORGANISATION
    cast.toscana.save()
    now = timezone.now()
    call = grant_factories.CallFactory(
        global_grant__intermediate_body=cast.trento,
        title_it=TITLE,
        opens_at=now - datetime.timedelta(days=30),
        deadline=now - datetime.timedelta(days=1),
    )
    application = Application.objects.create(
        call=call,
        organisation=cast.toscana,
        created_by=cast.toscana_officer,
        title=TITLE,
        status=Application.Status.SUBMITTED,
        submitted_at=now - datetime.timedelta(days=2),
    )
    Receipt.objects.create(
        application=application,
        series=call.code,
        year=2026,
        sequence=1,
        protocol_number="=1+1",  # a formula where a number is expected
        submitted_at=application.submitted_at,
        content="{}",
        content_sha256="0" * 64,
    )
    return call


def _downloads(client, cast, call):
    """(what, format, response) for every download of the new apps."""
    client.force_login(cast.secretariat)
    for code in tabular.ALL:
        url = reverse("grants:officer_applications", args=[call.code])
        yield "grants:officer_applications", code, client.get(url, {tabular.PARAM: code})
    client.logout()
    for dataset in datasets():
        for code in tabular.ALL:
            url = reverse("opendata:detail", args=[dataset.code])
            yield f"opendata:{dataset.code}", code, client.get(url, {tabular.PARAM: code})


@pytest.mark.django_db
def test_every_download_of_the_new_apps_writes_formulas_as_text(client, cast, hostile):
    seen = set()
    unsafe = {}
    for what, code, response in _downloads(client, cast, hostile):
        assert response.status_code == 200, (what, code)
        cells = _text_cells(_body(response), code)
        seen.update((code, text) for text, _ in cells if text in PAYLOADS)
        if found := [text for text, safe in cells if not safe]:
            unsafe[(what, code)] = found

    assert unsafe == {}
    # The payloads did reach the downloads, in every format.
    assert seen == {(code, payload) for code in tabular.ALL for payload in PAYLOADS}


@pytest.mark.django_db
def test_the_officer_csv_shows_the_payloads_with_a_leading_quote(client, cast, hostile):
    client.force_login(cast.secretariat)
    url = reverse("grants:officer_applications", args=[hostile.code])

    body = _body(client.get(url, {tabular.PARAM: "csv"})).decode("utf-8")

    assert f"'{TITLE}" in body and "'=HYPERLINK" in body
