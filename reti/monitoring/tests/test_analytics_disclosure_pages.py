"""Disclosure control as the pages render it, and every monitoring view kept to the user's scope."""

import html as markup
import json
import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from reti.monitoring.analytics.population import resident_population
from reti.monitoring.analytics.snapshot import _current
from reti.monitoring.tests.snapshots import write_records

FOLLOWED = {"exit_date": date(2023, 1, 15), "followup_observed_on": date(2023, 7, 20)}


@pytest.fixture
def three_regions(monitoring):
    """2021-2027: Toscana 20 people (12 employed at six months), Lazio 40 (25 employed),
    Valle d'Aosta 3 (1 employed), Lombardia 10 (4 employed): Valle d'Aosta's count is under
    the threshold, and Lombardia's, the smallest other, is hidden with it."""
    toscana, lazio = monitoring.toscana_intervention.pk, monitoring.lazio_intervention.pk
    aosta, lombardia = lazio + 1, lazio + 2
    records = []
    counts = {toscana: (20, 12), lazio: (40, 25), aosta: (3, 1), lombardia: (10, 4)}
    for k, (n, employed) in counts.items():
        records += [
            FOLLOWED
            | {"intervention_id": k, "gender": ("female", "male")[j % 2]}
            | {"followup_employed": j < employed}
            for j in range(n)
        ]
    interventions = [
        {"intervention_id": toscana, "region_code": "09"},
        {"intervention_id": lazio, "region_code": "12"},
        {"intervention_id": aosta, "region_code": "02", "macro_area": "nord"},
        {"intervention_id": lombardia, "region_code": "03", "macro_area": "nord"},
    ]
    _current.clear()
    yield write_records(settings.MONITORING_SNAPSHOT_DIR, records, interventions)
    _current.clear()


def _cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'id="{table}"')[1].split("</table>")[0]
    return [
        [
            markup.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)
    ]


def _number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_the_homogeneity_page_does_not_let_count_times_mean_reveal_a_hidden_region(
    client, three_regions
):
    response = client.get(reverse("monitoring:homogeneity"), {"misura": "participants_per_10k"})
    html = response.content.decode()
    values = {row[0]: row[3] for row in _cells(html, "values-table")}
    assert values["Valle d'Aosta/Vallée d'Aoste"] == "—"
    shown = [_number(v) for v in values.values() if v != "—"]
    (indices,) = _cells(html, "indices-table")
    regions, mean = int(indices[1]), _number(indices[2])
    # The indices rest on the published values only: their count and sum give nothing more.
    assert regions == len(shown)
    assert regions * mean == pytest.approx(sum(shown), abs=regions * 0.005)
    included = markup.unescape(html.split('id="indices-regions"')[1].split("</ul>")[0])
    assert "2021-2027: Toscana, Lazio." in included, included
    # Chart data carry no more digits than the table.
    chart = json.loads(
        html.split('id="homogeneity-chart" type="application/json">')[1].split("<")[0]
    )
    for dataset in chart["data"]["datasets"]:
        for value in dataset["data"]:
            assert value == round(value, 4)


def test_a_count_hidden_on_the_indicators_page_is_not_published_on_the_homogeneity_page(
    client, three_regions
):
    rows = client.get(reverse("monitoring:indicators"), {"indicatore": "EECO01"}).context["rows"]
    hidden = {r["region"] for r in rows if r["total"] is None and not r["italy"]}
    assert "02" in hidden and len(hidden) >= 2  # Valle d'Aosta and a complement
    response = client.get(reverse("monitoring:homogeneity"), {"misura": "participants_per_10k"})
    published = {v["region"]: v["value"] for v in response.context["values"]}
    residents = resident_population(min_age=15, max_age=64)
    for region in hidden:
        assert published.get(region) is None, region
    # What is published agrees with the indicators page (the same people).
    totals = {r["region"]: r["total"] for r in rows}
    for region, value in published.items():
        if value is not None:
            assert value == round(1e4 * totals[region] / residents[region], 2)


def test_the_funnel_reference_and_range_come_from_the_published_regions_only(client, three_regions):
    response = client.get(reverse("monitoring:comparison"), {"tasso": "employed_6m"})
    points = response.context["points"]
    plot = response.context["plot"]
    assert "02" not in {p["region"] for p in points}
    events, n = sum(p["events"] for p in points), sum(p["n"] for p in points)
    assert plot.p0 == (events / n if n else 0.0)
    assert max(r["n"] for r in plot.curve) <= max([p["n"] for p in points] + [10]) * 1.1 + 1


def test_added_value_counts_only_the_interventions_the_user_reads(client, cast, monitoring):
    toscana, lazio = monitoring.toscana_intervention.pk, monitoring.lazio_intervention.pk
    observed = FOLLOWED | {"followup_employed": False}
    records = [observed | {"intervention_id": toscana}] * 23 + [
        observed | {"intervention_id": lazio}
    ] * 42
    interventions = [
        {"intervention_id": toscana, "region_code": "09"},
        {"intervention_id": lazio, "region_code": "12"},
    ]
    _current.clear()
    write_records(settings.MONITORING_SNAPSHOT_DIR, records, interventions)
    url = reverse("monitoring:added_value")
    expected = {cast.secretariat: 0, cast.toscana_officer: 23, cast.lazio_officer: 42}
    expected[monitoring.auditor] = 65
    for user, people in expected.items():
        client.force_login(user)
        result = client.get(url).context["result"]
        assert result.treated + result.controls == people, user
    for user in (cast.viewer, cast.staff, cast.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and "result" not in response.context
    _current.clear()


def test_the_dashboard_shows_a_user_only_their_own_organisations_unsuppressed(
    client, cast, monitoring, three_regions
):
    """Issue 22, 10: other organisations' small counts never reach a staff dashboard."""
    url = reverse("monitoring:dashboard")
    # Valle d'Aosta's 3 people (and Lombardia's 10) belong to no organisation of the cast:
    # only an auditor sees them.
    expected = {
        cast.toscana_officer: 20,
        cast.lazio_officer: 40,
        cast.secretariat: 0,
        monitoring.auditor: 73,
    }
    for user, people in expected.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        total = next(r for r in response.context["rows"] if r["code"] == "EECO01")
        assert total["total"] == people, user
        regions = {r["region"] for r in response.context["targets"]}
        chart = response.context["chart"]["data"]["labels"]
        if user is not monitoring.auditor:
            assert "Valle d'Aosta/Vallée d'Aoste" not in chart, user
            assert not {"02", "03"} & regions, user
    for user in (cast.viewer, cast.staff, cast.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and "rows" not in response.context
    assert reverse("accounts:login") in response.content.decode()
