"""`reti grants replay FILE` end to end: a call in a file, the ranking and funding as JSON."""

import copy
import json
import re
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from reti.grids import engine
from reti.grids.scoring import to_engine

SAMPLE = Path(__file__).parent / "data" / "toscana-small.yaml"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "grants.md"
OTHERS = ("B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "F1", "F2", "F3")  # criteria outside A
GOOD = {
    "ADM-DEADLINE": "yes",
    "ADM-SIGNATURE": "yes",
    "ADM-ELIGIBLE": "yes",
    "ADM-BUDGET": "yes",
    **dict.fromkeys(("A1", "A2", "A3", *OTHERS), "good"),
    "N1": "absent",
    "P1": "no",
}


def replay(path) -> dict:
    out = StringIO()
    call_command("grants", "replay", str(path), stdout=out)
    return json.loads(out.getvalue())


def refused(path) -> str:
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("grants", "replay", str(path), stdout=out)
    assert out.getvalue() == ""  # nothing written
    return str(error.value)


def sample() -> dict:
    return yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))


def write(tmp_path, data, name="call.yaml") -> Path:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, default=str), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_sample_call_is_ranked_funded_and_scrolled_after_a_withdrawal():
    out = replay(SAMPLE)
    rows = [
        (r["position"], r["application"], r["score"], r["status"], r["granted"], r["quota"],
         r["decided_by"])
        for r in out["ranking"]
    ]  # fmt: skip
    assert rows == [
        (1, "SG-001", "80", "funded", "20000.00", None, "total"),
        (2, "SG-002", "75", "withdrawn", "0.00", None, "total"),
        (3, "SG-004", "70", "funded", "15000.00", None, "submitted_at"),
        (4, "SG-005", "70", "partially_funded", "6000.00", None, "submitted_at"),
        (5, "SG-003", "66.25", "funded", "9000.00", "GR", "total"),
        (6, "SG-006", "55", "below_threshold", "0.00", None, "outcome"),
        (7, "SG-007", "0", "not_admissible", "0.00", None, "outcome"),
        (None, "SG-008", "75", "withdrawn", "0.00", None, None),
    ]
    by_key = {r["application"]: r for r in out["ranking"]}
    assert by_key["SG-002"]["reason"] == "withdrawn on 2027-06-15; 18000.00 freed"
    assert by_key["SG-005"]["reason"] == (
        "partially funded by scorrimento: 6000.00 of 10000.00"
    )  # fmt: skip
    assert out["lines"] == [
        {
            "line": "L1",
            "budget": "50000.00",
            "granted": "50000.00",
            "remaining": "0.00",
            "quotas": [
                {"quota": "GR", "amount": "10000.00", "granted": "9000.00", "remaining": "1000.00"}
            ],
        }
    ]
    assert out["events"] == [
        {
            "application": "SG-002",
            "kind": "withdrawn",
            "at": "2027-06-15T09:00:00+02:00",
            "amount": None,
            "funded": ["SG-004", "SG-005"],
        }
    ]
    assert out["call"]["valid_until"] == "2027-12-31T23:59:59.999999+01:00"


def test_without_events_the_ranking_stops_before_the_scorrimento(tmp_path):
    data = sample()
    del data["events"]
    out = replay(write(tmp_path, data))
    by_key = {r["application"]: r for r in out["ranking"]}
    assert (by_key["SG-002"]["status"], by_key["SG-002"]["granted"]) == ("funded", "18000.00")
    # 3,000 left after SG-001 and SG-002 (1,000 of them returned by the GR quota): below the
    # 5,000 minimum, so SG-004 is not funded partially.
    assert by_key["SG-004"]["status"] == "eligible_not_funded"
    assert by_key["SG-004"]["reason"] == "does not fit what is left of the line (3000.00)"
    assert out["events"] == []


def test_the_same_file_in_json_and_in_any_order_gives_the_same_output(tmp_path):
    first = replay(SAMPLE)
    assert replay(SAMPLE) == first
    data = sample()
    data["applications"].reverse()
    assert replay(write(tmp_path, data, "call.json")) == first


def test_the_score_is_the_mean_of_the_evaluators_totals():
    data = sample()
    (sg3,) = [a for a in data["applications"] if a["key"] == "SG-003"]
    template = engine.catalogue()["small-grant-merit"]
    totals = [
        engine.evaluate(template, to_engine(template, e["answers"])).total
        for e in sg3["evaluations"]
    ]
    mean = (sum(totals) / 2).quantize(D("0.01"), ROUND_HALF_UP)
    assert totals[0] != totals[1]
    row = next(r for r in replay(SAMPLE)["ranking"] if r["application"] == "SG-003")
    assert row["score"] == str(mean) == "66.25"


def test_a_consensus_replaces_the_mean(tmp_path):
    data = sample()
    sg3 = next(a for a in data["applications"] if a["key"] == "SG-003")
    sg3["consensus"] = GOOD
    template = engine.catalogue()["small-grant-merit"]
    expected = engine.evaluate(template, to_engine(template, GOOD)).total
    row = next(r for r in replay(write(tmp_path, data))["ranking"] if r["application"] == "SG-003")
    assert row["score"] == str(expected)


def test_a_gate_failed_by_one_evaluator_makes_the_application_not_admissible(tmp_path):
    data = sample()
    sg3 = next(a for a in data["applications"] if a["key"] == "SG-003")
    sg3["evaluations"][1]["answers"]["ADM-SIGNATURE"] = "no"
    row = next(r for r in replay(write(tmp_path, data))["ranking"] if r["application"] == "SG-003")
    assert (row["status"], row["granted"]) == ("not_admissible", "0.00")


def test_a_grid_threshold_failing_on_the_mean_points_keeps_it_below_threshold(tmp_path):
    data = sample()
    sg3 = next(a for a in data["applications"] if a["key"] == "SG-003")
    weak = {**GOOD, "A1": "weak", "A2": "weak", "A3": "weak", "P1": "yes"}
    weak.update(dict.fromkeys(OTHERS, "excellent"))
    sg3["evaluations"] = [{"evaluator": "E1", "answers": weak}]
    row = next(r for r in replay(write(tmp_path, data))["ranking"] if r["application"] == "SG-003")
    assert D(row["score"]) >= 60  # the total passes, area A (7.5 of 30, needs 15) does not
    assert (row["status"], row["reason"]) == ("below_threshold", "a threshold of the grid failed")


def test_errors_name_the_application_and_field_and_nothing_is_written(tmp_path):
    data = sample()
    apps = {a["key"]: a for a in data["applications"]}
    del apps["SG-001"]["requested"]
    apps["SG-002"]["line"] = "L9"
    apps["SG-003"]["evaluations"][0]["answers"]["A1"] = "superb"
    apps["SG-004"]["submitted_at"] = "last Tuesday"
    apps["SG-005"]["requestd"] = 100
    apps["SG-006"]["admissible"] = "maybe"
    data["call"]["partial_funding"] = "sometimes"
    message = refused(write(tmp_path, data))
    assert "application SG-005: requestd: unknown field" in message
    assert "application SG-006: admissible: must be true or false" in message
    assert "call: partial_funding: 'sometimes' is not one of partial, skip, stop" in message
    assert "application SG-001: requested: missing" in message
    assert "application SG-003: evaluation E1: answers.A1:" in message
    assert "application SG-004: submitted_at: not a date-time: 'last Tuesday'" in message


def test_an_unknown_line_or_a_request_below_the_minimum_is_refused(tmp_path):
    data = sample()
    data["applications"][1]["line"] = "L9"
    assert "application SG-002: line: no line 'L9' in the call" in refused(write(tmp_path, data))
    data = sample()
    data["applications"][0]["requested"] = 100
    assert "application SG-001: requested: 100.00 is below" in refused(write(tmp_path, data))


def test_evaluations_need_a_grid_and_either_scores_or_evaluations(tmp_path):
    data = sample()
    del data["call"]["grid"]
    message = refused(write(tmp_path, data))
    assert "application SG-003: evaluations: the call names no grid" in message
    data = sample()
    data["call"]["grid"] = "no-such-grid"
    assert "call: grid: no grid 'no-such-grid' in the catalogue" in refused(write(tmp_path, data))
    data = sample()
    del data["applications"][0]["score"]
    assert "application SG-001: score: give score, or evaluations" in refused(write(tmp_path, data))


def test_a_scorrimento_after_the_validity_is_refused(tmp_path):
    data = sample()
    data["events"][0]["at"] = "2028-01-10T09:00:00+01:00"
    message = refused(write(tmp_path, data))
    assert "event on SG-002: at: after the ranking's validity" in message


def test_savings_and_an_unknown_event_application(tmp_path):
    data = sample()
    data["events"] = [
        {"application": "SG-001", "kind": "savings", "amount": "4000", "at": "2027-07-01"}
    ]
    out = replay(write(tmp_path, data))
    by_key = {r["application"]: r for r in out["ranking"]}
    assert by_key["SG-001"]["granted"] == "16000.00"
    assert out["events"][0]["funded"] == ["SG-004"]
    assert by_key["SG-004"]["status"] == "partially_funded"
    bad = copy.deepcopy(data)
    bad["events"][0]["application"] = "SG-999"
    assert "event on SG-999: application: not in the ranking" in refused(write(tmp_path, bad))
    bad["events"][0] = {"application": "SG-001", "kind": "savings", "at": "2027-07-01"}
    assert "event on SG-001: amount: missing" in refused(write(tmp_path, bad))


def test_a_file_that_cannot_be_read_or_parsed_is_refused(tmp_path):
    assert "cannot be read" in refused(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("call: [unclosed", encoding="utf-8")
    assert "file: syntax:" in refused(broken)
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    assert "file: top level: must be a mapping" in refused(listed)


def test_the_example_of_docs_grants_md_is_the_sample_and_its_output():
    text = DOCS.read_text(encoding="utf-8")
    blocks = dict(re.findall(r"```(yaml|json)\n(.*?)```", text, flags=re.DOTALL))
    assert blocks["yaml"] == SAMPLE.read_text(encoding="utf-8")
    assert json.loads(blocks["json"]) == replay(SAMPLE)
