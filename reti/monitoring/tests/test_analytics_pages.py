"""The analytics pages: public ones suppress small counts, dashboards are for authorised users."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from reti.monitoring.analytics.snapshot import _current
from reti.monitoring.tests.snapshots import write_records

PUBLIC = ["monitoring:indicators", "monitoring:comparison", "monitoring:homogeneity"]
PRIVATE = ["monitoring:dashboard", "monitoring:added_value"]
FOLLOWED = {"exit_date": date(2023, 1, 15), "followup_observed_on": date(2023, 7, 20)}


@pytest.fixture
def snapshot(monitoring):
    """Toscana's intervention: 20 women (2 employed at six months) and 3 men; Lazio's: 30 women
    (all employed) and 12 men."""
    toscana, lazio = monitoring.toscana_intervention.pk, monitoring.lazio_intervention.pk
    records = (
        [{"intervention_id": toscana, "gender": "female", "followup_employed": True} | FOLLOWED] * 2
        + [{"intervention_id": toscana, "gender": "female"} | FOLLOWED] * 18
        + [{"intervention_id": toscana, "gender": "male"} | FOLLOWED] * 3
        + [{"intervention_id": lazio, "gender": "female", "followup_employed": True} | FOLLOWED]
        * 30
        + [{"intervention_id": lazio, "gender": "male"} | FOLLOWED] * 12
    )
    interventions = [
        {"intervention_id": toscana, "region_code": "09"},
        {"intervention_id": lazio, "region_code": "12"},
    ]
    _current.clear()
    yield write_records(settings.MONITORING_SNAPSHOT_DIR, records, interventions)
    _current.clear()


def _rows(response):
    return {r["region"]: r for r in response.context["rows"]}


def test_public_indicators_hide_small_counts_and_what_would_reveal_them(client, snapshot):
    response = client.get(reverse("monitoring:indicators"), {"indicatore": "EECO01"})
    assert response.status_code == 200
    rows = _rows(response)
    assert rows["09"]["male"] is None  # 3 men
    assert (rows["09"]["total"], rows["12"]["total"], rows["IT"]["total"]) == (23, 42, 65)
    assert rows["15"]["total"] == 0  # zeros are published
    # No row or column with a single hidden count: nothing recoverable by one subtraction.
    columns = ("female", "male", "non_binary", "total")
    for row in rows.values():
        assert sum(row[c] is None for c in columns) != 1, row
    for c in columns:
        assert sum(row[c] is None for row in rows.values()) != 1, c
    assert b"Toscana" in response.content and b'id="indicator-table"' in response.content


def test_public_pages_answer_anyone_and_refuse_other_methods(client, snapshot):
    for name in PUBLIC:
        assert client.get(reverse(name)).status_code == 200, name
        assert client.post(reverse(name)).status_code == 405, name


def test_comparison_and_homogeneity_show_their_tables(client, snapshot):
    response = client.get(reverse("monitoring:comparison"), {"tasso": "employed_6m"})
    names = [p["name"] for p in response.context["points"]]
    # Toscana's 23 people: 2 employed, too few to show. Lazio's 30 employed are hidden with
    # them: they are Lazio's EECR05, and with Italy's EECR05 (32) they would give Toscana's 2.
    assert names == []
    assert b'id="funnel-table"' in response.content and b"funnel-chart" in response.content
    response = client.get(reverse("monitoring:homogeneity"), {"misura": "participants_per_10k"})
    assert {v["region"] for v in response.context["values"]} == {"09", "12"}
    assert b'id="indices-table"' in response.content


def test_a_page_without_a_snapshot_says_so(client, db):
    _current.clear()
    response = client.get(reverse("monitoring:indicators"))
    assert response.status_code == 200 and response.context["snapshot_missing"]


def test_an_unknown_choice_falls_back_to_the_default(client, snapshot):
    response = client.get(reverse("monitoring:indicators"), {"indicatore": "'; DROP"})
    assert response.context["code"] == "EECO01"


def test_dashboards_tell_anonymous_to_sign_in_and_refuse_outsiders(client, cast, snapshot):
    for name in PRIVATE:
        response = client.get(reverse(name))
        assert response.status_code == 200 and "rows" not in response.context
        assert f"{reverse('accounts:login')}?next=" in response.content.decode()
    for user in (cast.outsider, cast.viewer):
        client.force_login(user)
        for name in PRIVATE:
            assert client.get(reverse(name)).status_code == 403, (user, name)
    # Another organisation's editor has a dashboard, with none of these interventions in it.
    client.force_login(cast.secretariat)
    response = client.get(reverse("monitoring:dashboard"))
    total = next(r for r in response.context["rows"] if r["code"] == "EECO01")
    assert total["total"] == 0


def test_an_officer_sees_unsuppressed_counts_of_own_interventions_only(client, cast, snapshot):
    client.force_login(cast.toscana_officer)
    response = client.get(reverse("monitoring:dashboard"))
    assert response.status_code == 200
    total = next(r for r in response.context["rows"] if r["code"] == "EECO01")
    assert total["values"] == [20, 3, 0] and total["total"] == 23
    # A filter on another region leaves nothing of Toscana's.
    response = client.get(reverse("monitoring:dashboard"), {"regione": "12"})
    total = next(r for r in response.context["rows"] if r["code"] == "EECO01")
    assert total["total"] == 0


def test_an_auditor_sees_every_intervention_with_filters(client, monitoring, snapshot):
    client.force_login(monitoring.auditor)
    response = client.get(reverse("monitoring:dashboard"), {"genere": "male"})
    total = next(r for r in response.context["rows"] if r["code"] == "EECO01")
    assert total["values"] == [0, 15, 0]
    response = client.get(reverse("monitoring:added_value"))
    assert response.status_code == 200
    assert response.context["result"].treated == 0  # no Sovvenzione Globale here
    assert "non stimabile" in response.content.decode()
