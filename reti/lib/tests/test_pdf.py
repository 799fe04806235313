"""The shared PDF renderer: tagged PDF in the active language, no network at render time."""

import pytest
from django.template import engines
from django.utils import translation
from pypdf import PdfReader

from reti.lib import pdf


def _reader(data: bytes) -> PdfReader:
    import io

    return PdfReader(io.BytesIO(data))


def _pdf(source: str, **context) -> bytes:
    html = engines["django"].from_string(source).render(context)
    return pdf.html_to_pdf(html)


def test_a_template_cannot_reach_the_network():
    data = _pdf(
        '{% extends "reti/pdf/base.html" %}{% block content %}'
        '<img src="http://127.0.0.1:9/x.png" alt="x"><p>ok</p>{% endblock %}'
    )
    assert "ok" in _reader(data).pages[0].extract_text()


def test_renders_a_tagged_pdf_in_the_active_language():
    with translation.override("en"):
        data = _pdf(
            '{% extends "reti/pdf/base.html" %}{% block title %}Rapporto{% endblock %}'
            "{% block content %}<h1>Rapporto di prova</h1><p>{{ body }}</p>{% endblock %}",
            body="Reti",
        )
    assert data.startswith(b"%PDF-")
    reader = _reader(data)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert "Rapporto di prova" in reader.pages[0].extract_text()


def test_the_fetcher_refuses_outside_addresses():
    for url in ("https://example.org/logo.png", "http://127.0.0.1:6379/", "file:///etc/passwd"):
        with pytest.raises(pdf.FetchRefused):
            pdf.fetch(url)


def test_the_fetcher_serves_static_files_and_data_urls():
    found = pdf.fetch("/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css")
    assert found.content_type == "text/css"
    assert len(found.read()) > 1000
    assert pdf.fetch("data:text/plain,ciao").read() == b"ciao"


def test_pdf_response_downloads_with_its_name():
    response = pdf.pdf_response(b"%PDF-1.7 x", "ricevuta.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ricevuta.pdf"'
