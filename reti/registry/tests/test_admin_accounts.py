"""Back office of accounts: memberships for staff, API keys shown once to their owner."""

import pytest
from django.urls import reverse

from reti.accounts.models import ApiToken, Membership

pytestmark = pytest.mark.django_db


class TestApiTokens:
    def test_editor_creates_a_key_shown_once_that_works(self, client, cast):
        client.force_login(cast.toscana_officer)
        response = client.post(reverse("admin:accounts_apitoken_add"), {"name": "script"})
        assert response.status_code == 200
        key = response.context["key"]
        assert key in response.content.decode()
        assert ApiToken.objects.authenticate(key) == cast.toscana_officer
        token = ApiToken.objects.get(name="script")
        page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
        assert key not in page.content.decode()
        assert token.prefix in page.content.decode()

    def test_editor_sees_only_own_keys(self, client, cast):
        ApiToken.objects.issue(cast.toscana_officer, "mine")
        theirs, _ = ApiToken.objects.issue(cast.lazio_officer, "theirs")
        client.force_login(cast.toscana_officer)
        listing = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
        assert "mine" in listing
        assert "theirs" not in listing
        url = reverse("admin:accounts_apitoken_change", args=[theirs.pk])
        assert client.get(url).status_code == 302  # "not found" back to the list

    def test_staff_issues_a_key_for_another_user(self, client, cast):
        client.force_login(cast.staff)
        assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 200
        response = client.post(
            reverse("admin:accounts_apitoken_add"),
            {"name": "per Lazio", "user": str(cast.lazio_officer.pk)},
        )
        assert ApiToken.objects.authenticate(response.context["key"]) == cast.lazio_officer

    def test_revoked_key_stops_working(self, client, cast):
        token, key = ApiToken.objects.issue(cast.toscana_officer, "old")
        client.force_login(cast.toscana_officer)
        client.post(
            reverse("admin:accounts_apitoken_changelist"),
            {"action": "revoke", "_selected_action": [str(token.pk)]},
        )
        assert ApiToken.objects.authenticate(key) is None


class TestMemberships:
    def test_staff_add_a_membership_with_audit_user(self, client, cast):
        client.force_login(cast.staff)
        add = reverse("admin:accounts_membership_add")
        assert client.get(add).status_code == 200
        response = client.post(
            add,
            {"user": str(cast.outsider.pk), "organisation": str(cast.lazio.pk), "role": "editor"},
        )
        assert response.status_code == 302
        membership = Membership.objects.get(user=cast.outsider)
        assert membership.history.get().history_user == cast.staff

    def test_only_staff_manage_memberships(self, client, cast):
        url = reverse("admin:accounts_membership_changelist")
        client.force_login(cast.toscana_officer)
        assert client.get(url).status_code == 403
        client.force_login(cast.staff)
        assert client.get(url).status_code == 200
