"""Monitoring pages speak the page's language: chart labels and number formats, counts as
whole numbers, the added-value analysis's covariates by what they mean."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from reti.monitoring.analytics import charts
from reti.monitoring.analytics.labels import covariate_label
from reti.monitoring.templatetags.monitoring_format import count
from reti.monitoring.tests.test_analytics_pages import snapshot  # noqa: F401

PLOT = SimpleNamespace(
    points=[{"n": 40, "rate": 0.25, "name": "Toscana"}],
    curve=[{"n": n, "lo95": 0.1, "hi95": 0.4, "lo998": 0.05, "hi998": 0.5} for n in (10, 100)],
)


@pytest.mark.parametrize(
    "language, regions, limit, locale",
    [
        ("it", "Regioni", "limite al 99,8%", "it-IT"),
        ("en", "Regions", "limit at 99.8%", "en-GB"),
    ],
)
def test_the_funnel_chart_speaks_the_pages_language(language, regions, limit, locale):
    with translation.override(language):
        config = charts.funnel(PLOT)
        bars = charts.bars(["Toscana"], {"x": [1]})
        lines = charts.lines(["2020"], {"x": [1]})
    labels = [d["label"] for d in config["data"]["datasets"]]
    assert labels[0] == regions and limit in labels
    assert all(c["options"]["locale"] == locale for c in (config, bars, lines))


@pytest.mark.parametrize(
    "language, value, text",
    [
        ("it", 692.0, "692"),
        ("en", 692.0, "692"),
        ("it", 12345.0, "12.345"),
        ("en", 12345, "12,345"),
        ("it", 2.5, "2,5"),
        ("en", 2.5, "2.5"),
    ],
)
def test_counts_are_whole_numbers_in_the_pages_locale(language, value, text):
    with translation.override(language):
        assert count(value) == text
    assert count(None) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, italian, english",
    [
        ("age_squared", "età all'ingresso al quadrato (/100)", "age at entry squared (/100)"),
        ("isced_missing", "livello ISCED non indicato", "ISCED level not given"),
        ("gender_male", "genere: uomo", "gender: man"),
        ("period_2021-2027", "periodo di programmazione 2021-2027", "programming period 2021-2027"),
        ("disability", "persona con disabilità", "person with disabilities"),
    ],
)
def test_added_value_covariates_are_named_not_coded(name, italian, english):
    with translation.override("it"):
        assert covariate_label(name) == italian
    with translation.override("en"):
        assert covariate_label(name) == english


def test_the_english_indicator_table_writes_counts_as_integers(client, snapshot):  # noqa: F811
    with translation.override("en"):
        url = reverse("monitoring:indicators")
    page = client.get(url, {"indicatore": "EECO01"}).content.decode()
    table = page.split('id="indicator-table"')[1].split("</table>")[0]
    assert ">65<" in table and "65.0" not in table and "65,0" not in table


def test_the_funnel_legend_names_each_limit_once_and_points_by_region():
    """Issue 15: the legend listed each limit twice; the points carry their region's name."""
    with translation.override("en"):
        config = charts.funnel(PLOT)
    labels = [d["label"] for d in config["data"]["datasets"]]
    assert len(labels) == len(set(labels)) == 3
    assert config["data"]["datasets"][0]["data"][0]["label"] == "Toscana"
    # Each limit runs low then high, broken by a gap rather than joined across the chart.
    band = config["data"]["datasets"][1]["data"]
    assert [p["y"] for p in band] == [10.0, 10.0, None, 40.0, 40.0]
    x = config["options"]["scales"]["x"]
    assert x["title"]["text"] == "people (logarithmic scale)"
    assert x["ticks"]["maxRotation"] == 0
