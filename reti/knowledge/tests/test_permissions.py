"""Who may do what with a practice, tried with the whole cast (wrong users and anonymous)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from reti.knowledge import permissions
from reti.knowledge.models import GoodPractice

pytestmark = pytest.mark.django_db

EVERYONE = ["toscana_officer", "lazio_officer", "secretariat", "viewer", "staff", "outsider"]


def _who(cast, rule, practice):
    users = {name: getattr(cast, name) for name in EVERYONE}
    users["anonymous"] = AnonymousUser()
    return {name for name, user in users.items() if rule(user, practice)}


def test_a_draft_is_seen_by_its_authors_secretariat_and_staff_only(cast, draft):
    assert _who(cast, permissions.can_view, draft) == {"toscana_officer", "secretariat", "staff"}
    visible = set(GoodPractice.objects.filter(permissions.visible_practices_q(cast.lazio_officer)))
    assert draft not in visible


def test_a_published_practice_is_public(cast, published):
    assert _who(cast, permissions.can_view, published) == {*EVERYONE, "anonymous"}


def test_only_authors_and_staff_edit_and_submit_a_draft(cast, draft):
    assert _who(cast, permissions.can_edit, draft) == {"toscana_officer", "staff"}
    assert _who(cast, permissions.can_submit, draft) == {"toscana_officer", "staff"}


def test_a_submitted_practice_is_no_longer_editable_by_its_authors(cast, submitted):
    assert _who(cast, permissions.can_edit, submitted) == {"staff"}


def test_only_the_networks_secretariat_and_staff_review(cast, submitted):
    assert _who(cast, permissions.can_review, submitted) == {"secretariat", "staff"}
    assert _who(cast, permissions.can_send_back, submitted) == {"secretariat", "staff"}
    assert _who(cast, permissions.can_publish, submitted) == set()


def test_only_the_networks_secretariat_and_staff_publish(cast, validated):
    assert _who(cast, permissions.can_publish, validated) == {"secretariat", "staff"}
    assert _who(cast, permissions.can_review, validated) == set()


def test_a_draft_cannot_be_published_by_anyone(cast, draft):
    assert _who(cast, permissions.can_publish, draft) == set()
    assert _who(cast, permissions.can_review, draft) == set()


def test_creating_needs_the_lead_organisation(cast):
    assert permissions.can_create(cast.toscana_officer, cast.toscana)
    assert not permissions.can_create(cast.toscana_officer, cast.lazio)
    assert not permissions.can_create(cast.viewer, cast.toscana)
    assert not permissions.can_create(AnonymousUser(), cast.toscana)


def test_transfers_are_recorded_by_adopters_authors_secretariat_staff(cast, published):
    def rule(user, practice):
        return permissions.can_record_transfer(user, practice, cast.lazio)

    assert _who(cast, rule, published) == {
        "toscana_officer",
        "lazio_officer",
        "secretariat",
        "staff",
    }


def test_no_transfer_of_an_unpublished_practice(cast, draft):
    assert not permissions.can_record_transfer(cast.staff, draft, cast.lazio)


def test_secretariat_queue(cast, submitted):
    assert submitted in GoodPractice.objects.filter(
        permissions.reviewable_practices_q(cast.secretariat)
    )
    assert permissions.reviewable_practices_q(cast.lazio_officer) is None
    assert permissions.reviewable_practices_q(AnonymousUser()) is None
