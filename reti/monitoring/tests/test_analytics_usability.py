"""Issue 15, 5: the monitoring pages read what the refresh computed, filter by region, chart
by gender, tell visitors what needs an account, warn on imbalance, and download as shown."""

import json
import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from reti.lib import tabular
from reti.lib.tests.downloads import csv_rows, intl_rows, json_rows, workbook
from reti.monitoring.analytics import added_value as added_value_module
from reti.monitoring.analytics import precomputed, public
from reti.monitoring.analytics.added_value import AddedValue, Estimate
from reti.monitoring.analytics.snapshot import _current, current
from reti.monitoring.tests.snapshots import write_records

FOLLOWED = {"exit_date": date(2023, 1, 15), "followup_observed_on": date(2023, 7, 20)}
PUBLIC = ("monitoring:indicators", "monitoring:comparison", "monitoring:homogeneity")


def _records(toscana, lazio, men_in_toscana=3):
    """Toscana: 20 women (2 employed at six months) and `men_in_toscana` men; Lazio: 30
    employed women and 12 men not employed; every outcome observed."""
    employed = FOLLOWED | {"followup_employed": True}
    not_employed = FOLLOWED | {"followup_employed": False}
    return (
        [{"intervention_id": toscana, "gender": "female"} | employed] * 2
        + [{"intervention_id": toscana, "gender": "female"} | not_employed] * 18
        + [{"intervention_id": toscana, "gender": "male"} | not_employed] * men_in_toscana
        + [{"intervention_id": lazio, "gender": "female"} | employed] * 30
        + [{"intervention_id": lazio, "gender": "male"} | not_employed] * 12
    )


@pytest.fixture
def snapshot(monitoring):
    toscana, lazio = monitoring.toscana_intervention.pk, monitoring.lazio_intervention.pk
    interventions = [
        {"intervention_id": toscana, "region_code": "09", "organisation_id": 1},
        {"intervention_id": lazio, "region_code": "12", "organisation_id": 2},
    ]
    _current.clear()
    public._memo.clear()
    yield write_records(settings.MONITORING_SNAPSHOT_DIR, _records(toscana, lazio), interventions)
    _current.clear()
    public._memo.clear()


def _refuse_to_compute(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the page computed what the refresh had computed")

    monkeypatch.setattr(public, "compute_selection", refuse)
    monkeypatch.setattr(public, "funnel_from", refuse)
    monkeypatch.setattr(public, "homogeneity_from", refuse)
    monkeypatch.setattr(public, "added_value", refuse)


def test_pages_read_the_analyses_the_refresh_computed(client, snapshot, monitoring, monkeypatch):
    on_demand = {name: client.get(reverse(name)).context for name in PUBLIC}
    _current.clear()
    public._memo.clear()
    written = precomputed.persist(snapshot)
    assert written.exists() and written.parent == snapshot
    _refuse_to_compute(monkeypatch)
    for name in PUBLIC:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "Cifre calcolate il " in response.content.decode(), name
    rows = client.get(reverse("monitoring:indicators")).context["rows"]
    assert rows == on_demand["monitoring:indicators"]["rows"]
    homogeneity = client.get(reverse("monitoring:homogeneity")).context["result"]
    assert homogeneity == on_demand["monitoring:homogeneity"]["result"]
    client.force_login(monitoring.auditor)
    response = client.get(reverse("monitoring:added_value"))
    assert response.status_code == 200 and "Cifre calcolate il " in response.content.decode()


def test_an_officer_reads_the_added_value_computed_for_their_organisation(
    client, snapshot, cast, monkeypatch
):
    precomputed.persist(snapshot)
    _current.clear()
    _refuse_to_compute(monkeypatch)
    client.force_login(cast.toscana_officer)
    result = client.get(reverse("monitoring:added_value")).context["result"]
    assert result.treated + result.controls == 20 + 3  # Toscana's own participants


def test_another_threshold_or_new_files_are_computed_on_demand(
    client, snapshot, settings, monitoring
):
    precomputed.persist(snapshot)
    settings.MONITORING_SUPPRESSION_THRESHOLD = 25
    response = client.get(reverse("monitoring:indicators"))
    assert "calcolate al momento della richiesta" in response.content.decode()
    assert {r["region"]: r["total"] for r in response.context["rows"]}["09"] is None  # 23 < 25
    settings.MONITORING_SUPPRESSION_THRESHOLD = 5
    toscana, lazio = monitoring.toscana_intervention.pk, monitoring.lazio_intervention.pk
    write_records(
        snapshot,
        _records(toscana, lazio, men_in_toscana=9),
        [
            {"intervention_id": toscana, "region_code": "09"},
            {"intervention_id": lazio, "region_code": "12"},
        ],
    )
    rows = client.get(reverse("monitoring:indicators")).context["rows"]
    # The analyses of the old files are not read for the new ones.
    assert {r["region"]: r for r in rows}["09"]["male"] == 9


def test_the_indicators_page_shows_one_region_by_gender(client, snapshot):
    response = client.get(reverse("monitoring:indicators"), {"regione": "09"})
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.context["region_rows"]}
    # 3 men hidden, and the 20 women with them (else total - women gives the men).
    assert rows["EECO01"]["female"] is None and rows["EECO01"]["male"] is None
    assert rows["EECO01"]["total"] == 23 and rows["EECO01"]["non_binary"] == 0
    page = response.content.decode()
    assert 'id="region-table"' in page and "Toscana" in page
    chart = response.context["charts"]["by_gender"]
    assert chart["data"]["datasets"][0]["data"] == [None, None, 0]


def test_charts_carry_no_suppressed_count(client, snapshot):
    response = client.get(reverse("monitoring:indicators"), {"indicatore": "EECO01"})
    protected = public.selection(current())
    charts = response.context["charts"]
    regions = [r for r in response.context["rows"] if not r["italy"]]
    by_gender = charts["by_region_gender"]["data"]["datasets"]
    assert [d["label"] for d in by_gender] == ["Donne", "Uomini", "Persone non binarie"]
    for dataset, gender in zip(by_gender, ("female", "male", "non_binary"), strict=True):
        for row, value in zip(regions, dataset["data"], strict=True):
            key = ("indicator", "EECO01", row["region"], gender)
            assert value == protected.count(key)
            if key in protected.hidden:
                assert value is None
    assert None in by_gender[1]["data"]  # Toscana's 3 men
    page = response.content.decode()
    data = json.loads(
        page.split('id="indicator-gender-chart" type="application/json">')[1].split("<")[0]
    )
    assert data == charts["by_region_gender"]


def test_a_region_page_links_to_its_monitoring_figures(client, monitoring):
    page = client.get(reverse("portal:territory_detail", args=["09"])).content.decode()
    link = page.split('id="territory-monitoring"')[1].split("</p>")[0]
    assert f'href="{reverse("monitoring:indicators")}?regione=09"' in link


@pytest.mark.parametrize("name", ["monitoring:dashboard", "monitoring:added_value"])
def test_visitors_see_what_the_page_holds_and_that_it_needs_an_account(client, snapshot, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    note = page.split('id="access-needed"')[1].split("</div>")[0]
    assert "Serve un account" in note
    assert f"{reverse('accounts:login')}?next={reverse(name)}" in note
    alternatives = page.split('id="public-alternatives"')[1].split("</ul>")[0]
    for public_page in PUBLIC:
        assert f'href="{reverse(public_page)}"' in alternatives
    # The tabs say which pages need an account before anyone clicks.
    assert page.count('class="restricted-tab"') == 2
    assert "rows" not in response.context and "result" not in response.context


@pytest.mark.parametrize("who", ["outsider", "viewer"])
def test_an_account_without_access_is_told_why(client, snapshot, cast, who):
    client.force_login(getattr(cast, who))
    for name in ("monitoring:dashboard", "monitoring:added_value"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        page = response.content.decode()
        assert "Il tuo account non ha questo accesso" in page
        assert reverse("accounts:login") not in page.split('id="access-needed"')[1]


def test_an_authorised_user_sees_no_restricted_marks(client, snapshot, cast):
    client.force_login(cast.toscana_officer)
    page = client.get(reverse("monitoring:indicators")).content.decode()
    assert 'class="restricted-tab"' not in page


def _result(after: float, **changes) -> AddedValue:
    balance = [
        {"covariate": "age", "before": 0.5, "after": after},
        {"covariate": "isced", "before": 0.3, "after": 0.02},
    ]
    values = {
        "instrument": "sovvenzione_globale",
        "treated": 100,
        "controls": 400,
        "matched": 90,
        "naive": 0.1,
        "att": Estimate(0.08, 0.01, 0.15),
        "did": None,
        "balance": balance,
        "population": 500,
        "sample": 500,
    }
    return AddedValue(**(values | changes))


def test_the_added_value_warns_when_matching_leaves_a_covariate_unbalanced(
    client, snapshot, monitoring, monkeypatch
):
    client.force_login(monitoring.auditor)
    url = reverse("monitoring:added_value")
    monkeypatch.setattr(public, "scoped_added_value", lambda *a: (_result(after=-0.46), True))
    page = client.get(url).content.decode()
    warning = page.split('id="balance-warning"')[1].split("</div>")[0]
    assert "1 variabile resta sbilanciata" in warning
    assert "età all&#x27;ingresso (-0,46)" in warning  # named in words, not by its variable
    monkeypatch.setattr(public, "scoped_added_value", lambda *a: (_result(after=0.05), True))
    page = client.get(url).content.decode()
    assert 'id="balance-warning"' not in page and 'id="balance-ok"' in page


def test_the_added_value_states_each_question_and_labels_the_did_descriptive(
    client, snapshot, monitoring, monkeypatch
):
    client.force_login(monitoring.auditor)
    result = _result(
        after=0.0,
        did=Estimate(0.07, 0.05, 0.09),
        att_cluster=Estimate(0.08, -0.01, 0.17),
        clusters=6,
    )
    monkeypatch.setattr(public, "scoped_added_value", lambda *a: (result, True))
    page = client.get(reverse("monitoring:added_value")).content.decode()
    assert "su questi partecipanti" in page.split('id="att"')[1].split("</dd>")[0]
    clustered = page.split('id="att-cluster"')[1].split("</dd>")[0]
    assert "8,0 [-1,0; 17,0] non significativo" in clustered and "6 interventi" in clustered
    did = page.split('id="did"')[1].split("</dd>")[0]
    assert "Descrittiva" in did and "non si può verificare" in did
    assert "significativo" not in did  # a descriptive figure is not tested
    few = _result(after=0.0, att_cluster=None, clusters=3)
    monkeypatch.setattr(public, "scoped_added_value", lambda *a: (few, True))
    page = client.get(reverse("monitoring:added_value")).content.decode()
    assert "3 interventi trattati, ne servono almeno 5" in page


def test_the_comparison_group_is_chosen_and_never_the_instrument_itself(
    client, snapshot, monitoring, monkeypatch
):
    client.force_login(monitoring.auditor)
    asked = []

    def scoped(snapshot, instrument, readable, compare=""):
        asked.append((instrument, compare))
        return _result(after=0.0, compare=compare), False

    monkeypatch.setattr(public, "scoped_added_value", scoped)
    url = reverse("monitoring:added_value")
    page = client.get(url, {"strumento": "sovvenzione_globale", "confronto": "direct_award"})
    assert "confronto con Affidamento diretto" in page.content.decode()
    page = client.get(url, {"strumento": "ordinary_call", "confronto": "ordinary_call"})
    assert "Scegli un gruppo di confronto diverso" in page.content.decode()
    assert asked == [("sovvenzione_globale", "direct_award"), ("ordinary_call", "")]


def test_the_added_value_downloads_as_the_whole_analysis_in_json(
    client, snapshot, monitoring, monkeypatch
):
    client.force_login(monitoring.auditor)
    result = _result(after=-0.46, att_cluster=Estimate(0.08, -0.01, 0.17), clusters=6)
    monkeypatch.setattr(public, "scoped_added_value", lambda *a: (result, True))
    url = reverse("monitoring:added_value")
    response = client.get(url, {"format": "json"})
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["att"]["value"] == 0.08 and data["att"]["significant"] is True
    assert data["att_instrument"]["significant"] is False and data["treated_interventions"] == 6
    assert data["difference_in_differences"] is None
    assert data["comparison"] == "all_other_instruments"
    assert data["balance"][0] == {
        "covariate": "age",
        "in_model": True,
        "smd_before": 0.5,
        "smd_after": -0.46,
        "variance_ratio_after": None,
        "imbalanced": True,
    }
    table = b"".join(client.get(url, {"format": "csv-intl"}).streaming_content).decode()
    assert table.splitlines()[0].startswith("variabile,descrizione,nel_modello,smd_prima")
    client.logout()
    refused = client.get(url, {"format": "json"})  # a visitor gets the explanation, no data
    assert refused["Content-Type"].startswith("text/html")


def test_the_added_value_says_when_it_samples_and_never_prints_nan(
    client, snapshot, monitoring, monkeypatch
):
    client.force_login(monitoring.auditor)
    url = reverse("monitoring:added_value")
    sampled = _result(after=0.0, population=79_894, sample=60_000, unobserved=7)
    monkeypatch.setattr(public, "scoped_added_value", lambda *a: (sampled, True))
    page = client.get(url).content.decode()
    assert "campione di 60000 dei 79894" in page.split('id="sampled"')[1]
    assert "7 partecipanti seguiti nella finestra ma con l’esito non rilevato" in page
    none = _result(after=0.0, treated=0, naive=None, att=None, balance=[], reason="no_treated")
    monkeypatch.setattr(public, "scoped_added_value", lambda *a: (none, False))
    page = client.get(url).content.decode()
    assert not re.search(r"\bnan\b", page, re.IGNORECASE)
    assert "non stimabile: nessun partecipante trattato" in page


def test_an_unobserved_outcome_is_left_out_of_every_figure_and_counted(snapshot, monitoring):
    toscana, lazio = monitoring.toscana_intervention.pk, monitoring.lazio_intervention.pk
    unobserved = {"intervention_id": lazio, "gender": "male", "followup_employed": None}
    records = [*_records(toscana, lazio), unobserved | FOLLOWED]
    interventions = [
        {"intervention_id": toscana, "region_code": "09", "instrument": "sovvenzione_globale"},
        {"intervention_id": lazio, "region_code": "12"},
    ]
    write_records(snapshot, records, interventions)
    _current.clear()
    result = added_value_module.added_value(current())
    assert result.unobserved == 1
    assert result.treated + result.controls == result.population == 65
    assert result.naive is not None and result.naive == result.naive  # a number, not NaN


def test_ties_in_matching_are_broken_by_record_id_not_by_row_order(tmp_path):
    from reti.monitoring import synthetic
    from reti.monitoring.analytics.snapshot import Snapshot

    synthetic.write_snapshot(tmp_path, synthetic.synthetic_interventions(40, 3), 6_000, 3)
    snap = Snapshot(tmp_path)
    frame = snap.frame(added_value_module._data_query(None))
    frame = frame.assign(treated=(frame["instrument"] == "sovvenzione_globale").astype(int))
    first = added_value_module.match(frame)
    for seed in (1, 2):
        shuffled = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
        again = added_value_module.match(shuffled)
        assert again.att == first.att and again.matched == first.matched
        assert again.att_cluster == first.att_cluster
    snap.close()


FORMATS = {"csv": csv_rows, "csv-intl": intl_rows, "json": json_rows}


@pytest.mark.parametrize("params", [{"indicatore": "EECO01"}, {"regione": "09"}])
def test_no_suppressed_count_reaches_any_download(client, snapshot, params):
    protected = public.selection(current())
    url = reverse("monitoring:indicators")
    for fmt, read in FORMATS.items():
        response = client.get(url, params | {"formato": fmt})
        assert response.status_code == 200, fmt
        rows = read(response)
        assert rows, fmt
        for row in rows:
            key = ("indicator", row["codice_indicatore"], row["codice_regione"], _gender(row))
            value = row["valore"]
            if key in protected.hidden:
                assert value in ("", None) and row["nota"] == "c", (fmt, row)
            else:
                assert int(value) == protected.values[key] and row["nota"] in ("", None), row
        hidden = [r for r in rows if r["nota"] == "c"]
        assert hidden, fmt  # Toscana's 3 men, at least
    sheet = workbook(client.get(url, params | {"formato": "xlsx"})).worksheets[0]
    header = [c.value for c in sheet[1]]
    for cells in sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(header, cells, strict=False))
        key = ("indicator", row["codice_indicatore"], row["codice_regione"], _gender(row))
        if key in protected.hidden:
            assert row["valore"] in ("", None) and row["nota"] == "c"


def _gender(row) -> str:
    return {"Donne": "female", "Uomini": "male", "Persone non binarie": "non_binary"}.get(
        row["genere"], "total"
    )


def test_the_indicators_page_offers_its_downloads(client, snapshot):
    page = client.get(reverse("monitoring:indicators"), {"regione": "09"}).content.decode()
    assert 'id="download-csv"' in page and f"{tabular.PARAM}=xlsx" in page


def test_convergence_compares_the_same_regions_in_every_period():
    """Valle d'Aosta, low in 2014-2020 and hidden in 2021-2027, would make the dispersion seem
    to fall; over the regions published in both periods it rises."""
    from reti.monitoring.analytics.disclosure import Protected, rate_key
    from reti.monitoring.analytics.homogeneity import published_homogeneity

    shares = {
        ("09", "2014-2020"): 50,
        ("12", "2014-2020"): 50,
        ("02", "2014-2020"): 10,
        ("09", "2021-2027"): 40,
        ("12", "2021-2027"): 60,
        ("02", "2021-2027"): 30,
    }
    values = {}
    for (region, period), events in shares.items():
        for part, v in (("events", events), ("others", 100 - events), ("n", 100)):
            values[rate_key("employed_6m", part, region, period)] = v
    hidden = frozenset(
        rate_key("employed_6m", part, "02", "2021-2027") for part in ("events", "others", "n")
    )
    protected = Protected(
        values, hidden, 5, ("02", "09", "12"), ("2014-2020", "2021-2027"), (), ("employed_6m",)
    )
    result = published_homogeneity(protected, "employed_6m")
    cvs = [p["indices"].cv for p in result.by_period]
    assert cvs[1] < cvs[0]  # every published region: it seems to converge
    assert result.converging is False  # Toscana and Lazio alone: it does not
    assert result.compared == ["Toscana", "Lazio"]
