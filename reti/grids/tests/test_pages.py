"""The evaluator's scoring form, the sheet with its trace, the chair's committee page."""

import pytest
from django.urls import reverse
from django.utils import translation

from reti.grids.models import Assessment, CommitteeSubject

from .conftest import ANSWERS, submit

pytestmark = pytest.mark.django_db


def _form_data(answers):
    data = {}
    for code, item in answers.items():
        value = item.get("value")
        data[f"v-{code}"] = str(value).lower() if isinstance(value, bool) else value
        data[f"j-{code}"] = item.get("justification", "")
        for entry in item.get("evidence", []):
            data[f"e-{code}-{entry['kind']}"] = entry["ref"]
    return data


def test_the_grid_page_shows_the_tree_with_rubrics(client, catalogue):
    page = client.get(reverse("grids:grid_detail", args=["small-grant-merit", 1])).content
    page = page.decode()
    assert 'id="node-ADM-BUDGET"' in page and 'id="node-A1"' in page
    assert "Assente" in page  # a level's label, with its rubric beside it


def test_a_declaration_comes_before_scoring(client, grids):
    assessment_count = Assessment.objects.count()
    client.force_login(grids.evaluator_a)
    grids.evaluator_a.grid_declarations.all().delete()
    response = client.get(reverse("grids:score", args=[grids.assignment_a.pk]))
    assert response.url == reverse("grids:declare", args=[grids.assignment_a.pk])
    response = client.post(
        reverse("grids:declare", args=[grids.assignment_a.pk]),
        {"has_conflict": "true", "kinds": ["family"], "description": "Mio fratello."},
    )
    assert response.url == reverse("grids:my_assignments")
    assert client.get(reverse("grids:score", args=[grids.assignment_a.pk])).status_code == 403
    assert Assessment.objects.count() == assessment_count


def test_save_a_draft_resume_it_then_submit(client, grids):
    client.force_login(grids.evaluator_a)
    url = reverse("grids:score", args=[grids.assignment_a.pk])
    page = client.get(url).content.decode()
    assert 'id="criterion-A1"' in page
    assert "rubric" in page
    response = client.post(url, {**_form_data({"A1": ANSWERS["A1"]}), "step": "save"})
    assert response.status_code == 302
    assessment = Assessment.objects.get(evaluator=grids.evaluator_a)
    assert assessment.answers["A1"]["value"] == "good" and not assessment.is_submitted
    assert 'value="good"' in client.get(url).content.decode().split('id="criterion-A1"')[1]
    response = client.post(url, {**_form_data(ANSWERS), "step": "submit"})
    assessment.refresh_from_db()
    assert response.url == reverse("grids:assessment_sheet", args=[assessment.pk])
    assert assessment.is_submitted and assessment.outcome == "admissible"


def test_submission_problems_show_on_the_criterion(client, grids):
    client.force_login(grids.evaluator_a)
    url = reverse("grids:score", args=[grids.assignment_a.pk])
    given = {**ANSWERS, "ADM-BUDGET": {"value": False}}
    response = client.post(url, {**_form_data(given), "step": "submit"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["j-ADM-BUDGET"]
    assert not Assessment.objects.get(evaluator=grids.evaluator_a).is_submitted


def test_autosave_posts_the_same_form(client, grids):
    client.force_login(grids.evaluator_a)
    url = reverse("grids:score", args=[grids.assignment_a.pk])
    response = client.post(url, {**_form_data({"B1": ANSWERS["B1"]})}, headers={"X-Autosave": "1"})
    assert response.json() == {"saved": True}
    assert Assessment.objects.get(evaluator=grids.evaluator_a).answers["B1"]["value"] == "good"


def test_the_sheet_shows_every_node_of_the_trace_printable(client, grids):
    assessment = submit(grids.evaluator_a, grids.assignment_a)
    client.force_login(grids.evaluator_a)
    page = client.get(reverse("grids:assessment_sheet", args=[assessment.pk])).content.decode()
    for entry in assessment.trace[:-1]:
        assert f'id="trace-{entry["node"]}"' in page
    assert assessment.result["total"] in page
    assert "grids/sheet." in page  # the print stylesheet


def test_the_chair_sees_divergence_and_records_consensus(client, grids):
    submit(grids.evaluator_a, grids.assignment_a)
    weak = {
        code: {**item, "value": "weak", "justification": "Debole."}
        if item.get("value") == "good"
        else item
        for code, item in ANSWERS.items()
    }
    submit(grids.evaluator_b, grids.assignment_b, weak)
    client.force_login(grids.chair)
    page = client.get(reverse("grids:committee_detail", args=[grids.committee.pk])).content
    assert b"divergence" in page
    row = CommitteeSubject.objects.get(committee=grids.committee)
    url = reverse("grids:committee_consensus", args=[grids.committee.pk, row.pk])
    response = client.post(url, {**_form_data(ANSWERS), "justification": "Giudizio condiviso."})
    consensus = Assessment.objects.get(mode=Assessment.Mode.CONSENSUS)
    assert response.url == reverse("grids:assessment_sheet", args=[consensus.pk])
    assert consensus.consensus_record.justification == "Giudizio condiviso."


def test_the_chair_assigns_by_load_from_the_page(client, grids):
    from reti.grids import actions
    from reti.registry.tests import factories as rf

    other = rf.OrganisationFactory(name_it="Impresa seconda")
    actions.add_subjects(grids.chair, grids.committee, [other])
    client.force_login(grids.chair)
    response = client.post(reverse("grids:committee_assign_balanced", args=[grids.committee.pk]))
    assert response.status_code == 302
    assert grids.committee.assignments.filter(subject_id=other.pk).count() == 2


def test_the_account_page_links_an_evaluator_to_their_assignments(client, cast, grids):
    link = reverse("grids:my_assignments")
    client.force_login(grids.evaluator_a)
    assert link in client.get(reverse("accounts:account")).content.decode()
    client.force_login(cast.outsider)
    assert link not in client.get(reverse("accounts:account")).content.decode()


def test_pages_speak_english_too(client, grids):
    assessment = submit(grids.evaluator_a, grids.assignment_a)
    client.force_login(grids.evaluator_a)
    url = reverse("grids:assessment_sheet", args=[assessment.pk])
    with translation.override("en"):
        english = client.get(reverse("grids:assessment_sheet", args=[assessment.pk]))
    assert "Evaluation sheet" in english.content.decode()
    assert "Scheda di valutazione" in client.get(url).content.decode()
