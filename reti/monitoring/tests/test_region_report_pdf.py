"""A region's indicator report as a PDF: Italian and English, the page's figures, suppressed
cells never printed (neither in the table nor in the chart)."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from reti.monitoring.analytics import public, report
from reti.monitoring.analytics.snapshot import current
from reti.monitoring.tests.test_analytics_disclosure_pages import three_regions  # noqa: F401

URL = "monitoring:indicators_pdf"


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _get(client, region, language="it"):
    with translation.override(language):
        url = reverse(URL)
    return client.get(url, {"regione": region})


@pytest.mark.parametrize(
    ("language", "title", "women"),
    [("it", "Indicatori comuni: Toscana", "Donne"), ("en", "Common indicators: Toscana", "Women")],
)
def test_the_report_renders_in_each_language(client, three_regions, language, title, women):  # noqa: F811
    response = _get(client, "09", language)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"indicatori-09-{language}.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == language
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = _text(response.content)
    assert title in text
    assert women in text
    # Toscana's 20 participants at entry are published: the table prints them.
    assert re.search(r"EECO01.*\b20\b", text)


def test_suppressed_cells_are_not_printed(client, three_regions):  # noqa: F811
    snapshot = current()
    rows = public.region_table(snapshot, "03")  # Lombardia: hidden with Valle d'Aosta
    hidden = sum(row[g] is None for row in rows for g in ("female", "male", "non_binary", "total"))
    assert hidden, "the fixture hides Lombardia's counts"
    text = _text(_get(client, "03").content)
    table = text.split("Indicatori comuni in Lombardia per genere")[1].split("Fonte:")[0]
    # Each row ends with its four cells (women, men, non-binary, total): a count or "—".
    cells = re.findall(r"(?:(?:\d[\d.]*|—) +){3}(?:\d[\d.]*|—)$", table, re.M)
    assert len(cells) == len(rows)
    printed = " ".join(cells).split()
    assert printed.count("—") == hidden
    # Lombardia's 10 participants (5 women, 5 men) are printed nowhere.
    assert not {"5", "10"} & set(printed)
    # Nor drawn: the chart has no bar for a suppressed cell.
    charted = {(v["indicatore"], v["genere"]) for v in report.chart_spec(rows)["data"]["values"]}
    shown = sum(row[g] is not None for row in rows for g in ("female", "male", "non_binary"))
    assert len(charted) == shown


def test_the_page_links_to_the_pdf(client, three_regions):  # noqa: F811
    page = client.get(reverse("monitoring:indicators"), {"regione": "09"}).content.decode()
    assert f"{reverse(URL)}?regione=09" in page
    assert "Scarica PDF" in page


def test_no_region_or_an_unknown_one_is_not_found(client, three_regions):  # noqa: F811
    assert client.get(reverse(URL)).status_code == 404
    assert _get(client, "99").status_code == 404


def test_only_get_and_head(client, three_regions):  # noqa: F811
    assert client.post(reverse(URL), {"regione": "09"}).status_code == 405


def test_anyone_signed_in_gets_the_same_public_report(client, three_regions, cast):  # noqa: F811
    anonymous = _text(_get(client, "03").content)
    client.force_login(cast.toscana_officer)
    assert _text(_get(client, "03").content) == anonymous
