"""The grids API: public templates, the stateless evaluate endpoint, assessments by reader."""

import pytest
from django.urls import reverse

from reti.grids import actions
from reti.grids.models import Assessment, GridTemplate
from reti.registry.tests.api_fixtures import bearer, send

from .conftest import ANSWERS, submit

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"api:{name}", args=args)


def test_anonymous_lists_published_versions_only(client, catalogue):
    text = catalogue["csr-prize"].yaml.replace("version: 1", "version: 2", 1)
    actions.load_template(None, text.replace("status: published", "status: draft", 1))
    items = client.get(_url("grid_list")).json()["items"]
    assert sorted((i["code"], i["version"]) for i in items) == sorted(
        (code, 1) for code in catalogue
    )
    assert client.get(_url("grid_detail", "csr-prize", 2)).status_code == 404


def test_a_version_comes_with_its_tree(client, catalogue):
    body = client.get(_url("grid_detail", "small-grant-merit", 1)).json()
    assert body["status"] == "published"
    codes = [node["code"] for node in body["tree"]["nodes"]]
    assert codes[:2] == ["ADM", "A"]
    assert client.get(_url("grid_detail", "small-grant-merit", 9)).status_code == 404


def test_evaluate_gives_the_stored_assessments_result_and_trace_storing_nothing(client, grids):
    stored = submit(grids.evaluator_a, grids.assignment_a)
    count = Assessment.objects.count()
    response = send(
        client, "post", _url("grid_evaluate", "small-grant-merit", 1), {"answers": ANSWERS}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["result"] == stored.full_result
    assert body["result"]["trace"] == stored.trace
    assert body["problems"] == []
    assert Assessment.objects.count() == count


def test_evaluate_reports_what_would_block_a_submission(client, catalogue):
    given = {**ANSWERS, "ADM-BUDGET": {"value": False}}
    body = send(
        client, "post", _url("grid_evaluate", "small-grant-merit", 1), {"answers": given}
    ).json()
    assert body["result"]["outcome"] == "not_admissible"
    assert {"node": "ADM-BUDGET", "field": "justification"}.items() <= body["problems"][0].items()


def test_evaluate_applies_subject_attributes(client, catalogue):
    url = _url("grid_evaluate", "csr-self-assessment", 1)
    micro = send(client, "post", url, {"answers": {}, "subject": {"size_class": "micro"}})
    assert micro.status_code == 200
    trace = {entry["node"]: entry for entry in micro.json()["result"]["trace"]}
    assert any(not entry["applicable"] for entry in trace.values())


def test_evaluate_refuses_unknown_nodes_and_fields(client, catalogue):
    url = _url("grid_evaluate", "small-grant-merit", 1)
    response = send(client, "post", url, {"answers": {"ZZ": {"value": "good"}}})
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "answers"
    response = send(client, "post", url, {"answers": {}, "colour": "blu"})
    assert response.status_code == 400


def test_evaluate_a_draft_version_is_not_found(client, catalogue):
    GridTemplate.objects.filter(code="csr-prize").update(status="draft")
    url = _url("grid_evaluate", "csr-prize", 1)
    assert send(client, "post", url, {"answers": {}}).status_code == 404


def test_assessments_are_blind_in_the_api_too(client, grids):
    a = submit(grids.evaluator_a, grids.assignment_a)
    url = _url("grid_assessment_detail", a.pk)
    assert client.get(url).status_code == 404
    assert client.get(url, headers=bearer(grids.evaluator_b)).status_code == 404
    assert client.get(url, headers=bearer(grids.evaluator_a)).status_code == 200
    assert client.get(url, headers=bearer(grids.chair)).status_code == 200
    submit(grids.evaluator_b, grids.assignment_b)
    body = client.get(url, headers=bearer(grids.evaluator_b)).json()
    assert body["total"] == a.result["total"] and body["template"] == "small-grant-merit"


def test_the_assessment_list_shows_only_the_readers_own_or_overseen(client, grids):
    a = submit(grids.evaluator_a, grids.assignment_a)
    url = _url("grid_assessment_list")
    assert client.get(url).json()["items"] == []
    assert client.get(url, headers=bearer(grids.evaluator_b)).json()["items"] == []
    mine = client.get(url, headers=bearer(grids.evaluator_a)).json()["items"]
    assert [item["id"] for item in mine] == [a.pk]
    chair = client.get(url, headers=bearer(grids.secretary)).json()["items"]
    assert [item["id"] for item in chair] == [a.pk]


def test_the_schema_documents_the_grids_endpoints(client):
    paths = client.get(reverse("api:openapi-json")).json()["paths"]
    assert "/api/v1/grids/{code}/{version}/evaluate" in paths
    assert "/api/v1/grids/assessments/{assessment_id}" in paths
