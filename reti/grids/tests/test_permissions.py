"""Every grids page and API endpoint tried with the cast: the evaluators of one subject, the
chair, the secretary, an outsider, anonymous, and the wrong HTTP method."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from reti.grids import permissions
from reti.grids.models import CommitteeSubject
from reti.registry.tests.api_fixtures import bearer

from .conftest import submit

pytestmark = pytest.mark.django_db


def _users(cast, grids):
    return {
        "a": grids.evaluator_a,
        "b": grids.evaluator_b,
        "chair": grids.chair,
        "secretary": grids.secretary,
        "outsider": cast.outsider,
        "officer": cast.toscana_officer,
        "staff": cast.staff,
        "anonymous": AnonymousUser(),
    }


def _who(cast, grids, rule, obj):
    return {name for name, user in _users(cast, grids).items() if rule(user, obj)}


def _status(client, user, method, url, data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


def test_evaluator_a_is_blind_to_b_until_both_submit(cast, grids):
    a = submit(grids.evaluator_a, grids.assignment_a)
    readers = _who(cast, grids, permissions.can_view_assessment, a)
    assert readers == {"a", "chair", "secretary", "staff"}
    submit(grids.evaluator_b, grids.assignment_b)
    readers = _who(cast, grids, permissions.can_view_assessment, a)
    assert readers == {"a", "b", "chair", "secretary", "staff"}


def test_a_draft_is_its_evaluators_alone(cast, grids):
    from reti.grids import actions

    draft = actions.start_assessment(grids.evaluator_a, grids.assignment_a)
    assert _who(cast, grids, permissions.can_view_assessment, draft) == {"a", "staff"}
    assert _who(cast, grids, permissions.can_edit_assessment, draft) == {"a"}


def test_committee_roles(cast, grids):
    committee = grids.committee
    assert _who(cast, grids, permissions.can_view_committee, committee) == {
        "a",
        "b",
        "chair",
        "secretary",
        "staff",
    }
    assert _who(cast, grids, permissions.can_manage_committee, committee) == {"chair", "staff"}
    assert _who(cast, grids, permissions.can_record_consensus, committee) == {
        "chair",
        "secretary",
        "staff",
    }


def test_only_the_assigned_evaluator_scores(cast, grids):
    assert _who(cast, grids, permissions.can_score, grids.assignment_a) == {"a"}


def test_sheet_page_follows_the_blind_rule(client, cast, grids):
    a = submit(grids.evaluator_a, grids.assignment_a)
    url = reverse("grids:assessment_sheet", args=[a.pk])
    expected = {
        "a": 200,
        "b": 404,
        "chair": 200,
        "secretary": 200,
        "outsider": 404,
        "officer": 404,
        "staff": 200,
    }
    users = _users(cast, grids)
    got = {name: _status(client, users[name], "get", url) for name in expected}
    assert got == expected
    assert _status(client, None, "get", url) == 302  # to the login page
    assert _status(client, grids.evaluator_a, "post", url) == 405
    submit(grids.evaluator_b, grids.assignment_b)
    assert _status(client, grids.evaluator_b, "get", url) == 200


def test_scoring_pages_belong_to_the_assigned_evaluator(client, cast, grids):
    for name in ("score", "declare"):
        url = reverse(f"grids:{name}", args=[grids.assignment_a.pk])
        assert _status(client, grids.evaluator_a, "get", url) == 200
        for user in (grids.evaluator_b, grids.chair, cast.outsider, cast.staff):
            assert _status(client, user, "get", url) == 404
        assert _status(client, None, "get", url) == 302
        assert _status(client, grids.evaluator_a, "put", url) == 405


def test_my_assignments_lists_only_mine(client, cast, grids):
    url = reverse("grids:my_assignments")
    client.force_login(grids.evaluator_a)
    page = client.get(url).content.decode()
    assert "Cooperativa candidata" in page
    client.force_login(cast.outsider)
    assert "Cooperativa candidata" not in client.get(url).content.decode()
    assert _status(client, None, "get", url) == 302
    assert _status(client, grids.evaluator_a, "post", url) == 405


def test_committee_page_shows_scores_to_chair_and_secretary_only(client, cast, grids):
    a = submit(grids.evaluator_a, grids.assignment_a)
    url = reverse("grids:committee_detail", args=[grids.committee.pk])
    sheet = reverse("grids:assessment_sheet", args=[a.pk])
    for user in (grids.chair, grids.secretary, cast.staff):
        client.force_login(user)
        assert sheet in client.get(url).content.decode()
    client.force_login(grids.evaluator_b)
    response = client.get(url)
    assert response.status_code == 200 and sheet not in response.content.decode()
    assert _status(client, cast.outsider, "get", url) == 404
    assert _status(client, None, "get", url) == 302
    assert _status(client, grids.chair, "post", url) == 405


def test_committee_writes_are_the_chairs(client, cast, grids):
    row = CommitteeSubject.objects.get(committee=grids.committee)
    balanced = reverse("grids:committee_assign_balanced", args=[grids.committee.pk])
    one = reverse("grids:committee_assign", args=[grids.committee.pk, row.pk])
    for url in (balanced, one):
        assert _status(client, grids.secretary, "post", url) == 403
        assert _status(client, grids.evaluator_a, "post", url) == 403
        assert _status(client, cast.outsider, "post", url) == 404
        assert _status(client, None, "post", url) == 302
        assert _status(client, grids.chair, "get", url) == 405
    assert _status(client, grids.chair, "post", balanced) == 302


def test_consensus_page_is_the_chairs_and_secretarys(client, cast, grids):
    row = CommitteeSubject.objects.get(committee=grids.committee)
    url = reverse("grids:committee_consensus", args=[grids.committee.pk, row.pk])
    assert _status(client, grids.chair, "get", url) == 200
    assert _status(client, grids.secretary, "get", url) == 200
    assert _status(client, grids.evaluator_a, "get", url) == 403
    assert _status(client, cast.outsider, "get", url) == 404
    assert _status(client, None, "get", url) == 302
    assert _status(client, grids.chair, "put", url) == 405


def test_reopen_and_reproject_need_their_roles(client, cast, grids):
    a = submit(grids.evaluator_a, grids.assignment_a)
    reopen = reverse("grids:assessment_reopen", args=[a.pk])
    reproject = reverse("grids:assessment_reproject", args=[a.pk])
    assert _status(client, grids.secretary, "post", reopen, {"reason": "x"}) == 403
    assert _status(client, grids.evaluator_b, "post", reopen, {"reason": "x"}) == 404
    assert _status(client, None, "post", reopen) == 302
    assert _status(client, grids.chair, "get", reopen) == 405
    assert _status(client, grids.secretary, "post", reproject, {"reason": "x"}) == 403
    assert _status(client, grids.chair, "get", reproject) == 405
    assert _status(client, grids.chair, "post", reopen, {"reason": "Da rivedere"}) == 302
    a.refresh_from_db()
    assert not a.is_submitted


def test_public_pages_show_published_grids_to_everyone(client, cast, grids):
    list_url = reverse("grids:grid_list")
    detail = reverse("grids:grid_detail", args=["small-grant-merit", 1])
    for user in (None, cast.outsider, grids.evaluator_a):
        assert _status(client, user, "get", list_url) == 200
        assert _status(client, user, "get", detail) == 200
    assert _status(client, None, "post", list_url) == 405
    assert _status(client, None, "post", detail) == 405
    grids.template.__class__.objects.filter(pk=grids.template.pk).update(status="draft")
    assert _status(client, None, "get", detail) == 404
    assert _status(client, cast.outsider, "get", detail) == 404
    assert _status(client, cast.staff, "get", detail) == 200


def test_api_wrong_method_and_anonymous(client, cast, grids):
    evaluate = reverse("api:grid_evaluate", args=["small-grant-merit", 1])
    assert client.get(evaluate).status_code == 405
    assert client.post(reverse("api:grid_list")).status_code == 405
    a = submit(grids.evaluator_a, grids.assignment_a)
    detail = reverse("api:grid_assessment_detail", args=[a.pk])
    assert client.get(detail, headers=bearer(cast.outsider)).status_code == 404
    assert client.delete(detail, headers=bearer(grids.chair)).status_code == 405


def _cast_of_decided(cast, decided):
    """The cast around a decided committee: its roles, an evaluator of another committee,
    the subject's owner (Toscana's officer), the other applicant (Lazio's officer), the
    network's secretariat, an outsider, staff, anonymous."""
    from reti.grids.models import Committee, CommitteeMember
    from reti.registry.tests import factories as rf

    grids = decided.grids
    other = Committee.objects.create(name_it="Altra commissione", template=grids.template)
    elsewhere = rf.UserFactory(username="valutatore_altrove")
    CommitteeMember.objects.create(
        committee=other, user=elsewhere, role=CommitteeMember.Role.MEMBER
    )
    return {
        "chair": grids.chair,
        "secretary": grids.secretary,
        "member": grids.evaluator_a,
        "other_committee": elsewhere,
        "owner": cast.toscana_officer,
        "other_applicant": cast.lazio_officer,
        "secretariat": cast.secretariat,
        "outsider": cast.outsider,
        "staff": cast.staff,
        "anonymous": None,
    }


def test_ranking_page_and_download_are_the_committees(client, cast, decided):
    url = reverse("grids:committee_ranking", args=[decided.grids.committee.pk])
    expected = {
        "chair": 200,
        "secretary": 200,
        "member": 200,
        "other_committee": 404,
        "owner": 404,
        "other_applicant": 404,
        "secretariat": 404,
        "outsider": 404,
        "staff": 200,
        "anonymous": 302,
    }
    people = _cast_of_decided(cast, decided)
    assert {name: _status(client, people[name], "get", url) for name in expected} == expected
    download = {
        name: _status(client, people[name], "get", url, {"format": "csv"}) for name in expected
    }
    assert download == expected
    assert _status(client, decided.grids.chair, "post", url) == 405


def test_ranking_endpoint_is_the_committees(client, cast, decided):
    url = reverse("api:grid_committee_ranking", args=[decided.grids.committee.pk])
    expected = {
        "chair": 200,
        "secretary": 200,
        "member": 200,
        "other_committee": 404,
        "owner": 404,
        "other_applicant": 404,
        "secretariat": 404,
        "outsider": 404,
        "staff": 200,
    }
    people = _cast_of_decided(cast, decided)
    got = {name: client.get(url, headers=bearer(people[name])).status_code for name in expected}
    assert got == expected
    client.logout()
    assert client.get(url).status_code == 404  # anonymous
    assert client.post(url, headers=bearer(decided.grids.chair)).status_code == 405
    missing = reverse("api:grid_committee_ranking", args=[999999])
    assert client.get(missing, headers=bearer(cast.staff)).status_code == 404


def test_consensus_sheet_before_and_after_publication(client, cast, decided):
    from reti.grids import actions

    url = reverse("grids:assessment_sheet", args=[decided.toscana.pk])
    api = reverse("api:grid_assessment_detail", args=[decided.toscana.pk])
    people = _cast_of_decided(cast, decided)
    before = {
        "chair": 200,
        "secretary": 200,
        "member": 200,  # evaluator A of Toscana, after every evaluator submitted
        "other_committee": 404,
        "owner": 404,
        "other_applicant": 404,
        "secretariat": 404,
        "outsider": 404,
        "staff": 200,
        "anonymous": 302,
    }
    assert {name: _status(client, people[name], "get", url) for name in before} == before
    actions.publish_results(decided.grids.chair, decided.grids.committee)
    after = {**before, "owner": 200}
    assert {name: _status(client, people[name], "get", url) for name in after} == after
    client.logout()
    api_got = {
        name: client.get(api, headers=bearer(people[name])).status_code
        for name in after
        if name != "anonymous"
    }
    assert api_got == {name: code for name, code in after.items() if name != "anonymous"}
    assert client.get(api).status_code == 404
    assert _status(client, cast.toscana_officer, "post", url) == 405
    client.logout()
    listed = client.get(
        reverse("api:grid_assessment_list"), headers=bearer(cast.toscana_officer)
    ).json()
    assert [item["id"] for item in listed["items"]] == [decided.toscana.pk]
    listed = client.get(reverse("api:grid_assessment_list"), headers=bearer(cast.outsider)).json()
    assert listed["items"] == []


def test_publishing_results_is_the_chairs(client, cast, decided):
    url = reverse("grids:committee_publish", args=[decided.grids.committee.pk])
    people = _cast_of_decided(cast, decided)
    expected = {
        "secretary": 403,
        "member": 403,
        "other_committee": 404,
        "owner": 404,
        "other_applicant": 404,
        "secretariat": 404,
        "outsider": 404,
        "anonymous": 302,
    }
    assert {name: _status(client, people[name], "post", url) for name in expected} == expected
    assert _status(client, decided.grids.chair, "get", url) == 405
    decided.grids.committee.refresh_from_db()
    assert decided.grids.committee.results_published_at is None
    assert _status(client, decided.grids.chair, "post", url) == 302
    decided.grids.committee.refresh_from_db()
    assert decided.grids.committee.results_published_at is not None
