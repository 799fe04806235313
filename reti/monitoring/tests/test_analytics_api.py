"""The analytics API gives the pages' figures, hides what they hide, and opens to whom they do."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from reti.api import api
from reti.monitoring.analytics.rates import RATES
from reti.monitoring.analytics.snapshot import _current
from reti.registry.tests.api_fixtures import bearer

from .test_analytics_disclosure_pages import three_regions  # noqa: F401 (a fixture)

URLS = {
    name: f"api:analytics_{name}"
    for name in ("indicators", "funnel", "homogeneity", "dashboard", "added_value")
}


def _get(client, name, user=None, **params):
    headers = bearer(user) if user is not None else {}
    return client.get(reverse(URLS[name]), params, headers=headers)


def _walk(client, name, user=None, **params) -> tuple[list, dict]:
    """Every item of a list, following `next`, and the first page."""
    first = _get(client, name, user, limit=7, **params)
    assert first.status_code == 200, first.content
    page, items = first.json(), []
    headers = bearer(user) if user is not None else {}
    while True:
        items += page["items"]
        if not page["next"]:
            return items, first.json()
        page = client.get(page["next"], headers=headers).json()


def _check_figure(figure):
    assert set(figure["definition"]) == {"code", "label_it", "label_en", "unit", "rule"}
    assert all(figure["definition"].values())
    assert figure["as_of"]
    if figure["reason"] == "c":
        assert figure["value"] is None


def test_the_indicators_are_the_pages_cells_and_hidden_ones_are_null(client, three_regions):  # noqa: F811
    items, first = _walk(client, "indicators", indicator="EECO01")
    page = client.get(reverse("monitoring:indicators"), {"indicatore": "EECO01"})
    expected = {
        (row["region"], gender): row[gender]
        for row in page.context["rows"]
        for gender in ("female", "male", "non_binary", "total")
    }
    got = {(i["region"], i["gender"]): i["value"] for i in items}
    assert got == expected
    for item in items:
        _check_figure(item)
        assert item["definition"]["code"] == "EECO01"
        assert item["definition"]["unit"] == "persons"
        assert "2021/1057" in item["definition"]["rule"]
    aosta = next(i for i in items if i["region"] == "02" and i["gender"] == "total")
    assert aosta["value"] is None and aosta["reason"] == "c"
    toscana = next(i for i in items if i["region"] == "09" and i["gender"] == "total")
    assert toscana["value"] == 20 and toscana["reason"] is None
    # Every number the API publishes is one the page publishes: none of the hidden ones.
    hidden = {key for key, value in expected.items() if value is None}
    assert hidden and all(got[key] is None for key in hidden)
    assert first["as_of"] == items[0]["as_of"]


def test_the_indicator_filters_choose_cells(client, three_regions):  # noqa: F811
    items, _ = _walk(client, "indicators", fund="ESF", region="IT", gender="total")
    assert "CO01" in {i["indicator"] for i in items}
    assert all(i["definition"]["code"].startswith("C") for i in items)
    assert {(i["region"], i["gender"]) for i in items} == {("IT", "total")}
    page = client.get(reverse("monitoring:indicators"), {"regione": "09"})
    by_code = {row["code"]: row["total"] for row in page.context["region_rows"]}
    items, _ = _walk(client, "indicators", region="09", gender="total", period="2021-2027")
    assert {i["indicator"]: i["value"] for i in items} == {
        code: value for code, value in by_code.items() if code.startswith("EE")
    }


@pytest.mark.parametrize(
    "params, field",
    [
        ({"region": "99"}, "region"),
        ({"indicator": "XX01"}, "indicator"),
        ({"intervention": "1"}, "intervention"),  # no breakdown the control never saw
        ({"cursor": "nonsense"}, "cursor"),
    ],
)
def test_bad_indicator_parameters_are_400_naming_them(client, three_regions, params, field):  # noqa: F811
    response = _get(client, "indicators", **params)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == field


def test_the_funnel_is_the_pages_plot_with_hidden_regions_null(client, three_regions):  # noqa: F811
    for code in RATES:
        items, first = _walk(client, "funnel", rate=code)
        page = client.get(reverse("monitoring:comparison"), {"tasso": code})
        shown = {p["region"]: p for p in page.context["points"]}
        assert first["national_rate"]["value"] == page.context["p0_percent"]
        for item in items:
            for figure in ("people", "events", "rate"):
                _check_figure(item[figure])
            point = shown.get(item["region"])
            if point is None:
                assert item["people"]["value"] is None and item["people"]["reason"] == "c"
                assert item["rate"]["value"] is None and item["band"] is None
            else:
                assert item["people"]["value"] == point["n"]
                assert item["events"]["value"] == point["events"]
                assert item["rate"]["value"] == point["percent"]
                assert item["band"] == point["band"]
        assert set(shown) <= {i["region"] for i in items}
    items, _ = _walk(client, "funnel", rate="employed_6m")
    aosta = next(i for i in items if i["region"] == "02")
    assert aosta["events"]["value"] is None and aosta["events"]["reason"] == "c"


def test_homogeneity_is_the_pages_values_and_indices(client, three_regions):  # noqa: F811
    items, first = _walk(client, "homogeneity", measure="participants_per_10k")
    page = client.get(reverse("monitoring:homogeneity"), {"misura": "participants_per_10k"})
    expected = {(v["region"], v["period"]): v["value"] for v in page.context["values"]}
    assert {(i["region"], i["period"]): i["value"] for i in items} == expected
    aosta = next(i for i in items if i["region"] == "02")
    assert aosta["value"] is None and aosta["reason"] == "c"
    for item in items:
        _check_figure(item)
    result = page.context["result"]
    assert [p["period"] for p in first["indices"]] == [p["period"] for p in result.by_period]
    for ours, theirs in zip(first["indices"], result.by_period, strict=True):
        assert ours["cv"]["value"] == theirs["indices"].cv
        assert ours["gini"]["value"] == theirs["indices"].gini
        assert ours["count"]["value"] == theirs["indices"].regions
        assert ours["regions"] == theirs["regions"]
    assert first["converging"] == result.converging


def test_the_dashboard_opens_as_the_page_does(client, cast, monitoring, three_regions):  # noqa: F811
    assert _get(client, "dashboard").status_code == 401
    for user in (cast.viewer, cast.staff, cast.outsider):
        assert _get(client, "dashboard", user).status_code == 403, user
    for user in (cast.toscana_officer, monitoring.auditor):
        items, first = _walk(client, "dashboard", user)
        client.force_login(user)
        page = client.get(reverse("monitoring:dashboard"))
        expected = {}
        for row in page.context["rows"]:
            for gender, value in zip(("female", "male", "non_binary"), row["values"], strict=True):
                expected[(row["code"], gender)] = value
            expected[(row["code"], "total")] = row["total"]
        assert {(i["indicator"], i["gender"]): i["value"] for i in items} == expected
        assert first["all_interventions"] == (user is monitoring.auditor)
        for item in items:
            _check_figure(item)
            assert item["reason"] is None
    # The page's filters give the page's figures.
    client.force_login(monitoring.auditor)
    page = client.get(reverse("monitoring:dashboard"), {"regione": "02", "genere": "male"})
    total = next(r for r in page.context["rows"] if r["code"] == "EECO01")["total"]
    items, _ = _walk(
        client, "dashboard", monitoring.auditor, region="02", gender="male", indicator="EECO01"
    )
    assert next(i for i in items if i["gender"] == "total")["value"] == total == 1


def test_the_dashboard_keeps_to_the_users_interventions(client, cast, monitoring, three_regions):  # noqa: F811
    own = monitoring.toscana_intervention.pk
    items, _ = _walk(client, "dashboard", cast.toscana_officer, intervention=own, gender="total")
    cells = {(i["indicator"], i["gender"]): i["value"] for i in items}
    assert cells[("EECO01", "total")] == 20
    other = monitoring.lazio_intervention.pk
    response = _get(client, "dashboard", cast.toscana_officer, intervention=other)
    assert response.status_code == 404


def test_the_added_value_opens_as_the_page_does(client, cast, monitoring, three_regions):  # noqa: F811
    assert _get(client, "added_value").status_code == 401
    assert _get(client, "added_value", cast.outsider).status_code == 403
    items, first = _walk(client, "added_value", monitoring.auditor)
    client.force_login(monitoring.auditor)
    result = client.get(reverse("monitoring:added_value")).context["result"]
    assert first["treated"] == result.treated and first["controls"] == result.controls
    assert first["not_estimable_because"] == (result.reason or None)
    assert len(items) == len(result.balance)
    assert first["definition"]["code"] == "added_value_employed_6m"
    response = _get(client, "added_value", monitoring.auditor, compare="sovvenzione_globale")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "compare"


def test_wrong_methods_and_no_snapshot(client, cast):
    for name in URLS:
        assert client.post(reverse(URLS[name])).status_code == 405, name
    _current.clear()
    response = _get(client, "indicators")
    assert response.status_code == 404
    assert "snapshot" in response.json()["detail"]
    response = _get(client, "dashboard", cast.toscana_officer)
    assert response.status_code == 404


# Fuzzing the analytics endpoints from the schema: no 5xx, every answer as declared.
EXAMPLES = int(os.environ.get("RETI_FUZZ_EXAMPLES", "15"))
schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex="/monitoring/analytics/"
)
schema.app = get_wsgi_application()


@pytest.fixture
def _keep_the_test_connection():
    """As in reti/lib/tests/test_api_schema_fuzz.py: the app keeps the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_fuzzing_the_analytics_api_finds_no_server_error(
    case,
    cast,
    monitoring,
    three_regions,  # noqa: F811
    _keep_the_test_connection,
):
    plain = {"Accept-Encoding": "identity"}
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    for headers in (plain, {**plain, **bearer(cast.toscana_officer)}):
        case.call_and_validate(headers=headers, checks=checks)
