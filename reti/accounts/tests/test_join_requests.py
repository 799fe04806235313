"""Joining an organisation: asked by a signed-in user, decided by its admins or secretariat."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from reti.accounts.models import JoinRequest, Membership
from reti.lib import audit

pytestmark = pytest.mark.django_db


def ask(client, user, organisation, role="editor", message="Lavoro all'ufficio FSE."):
    client.force_login(user)
    return client.post(
        reverse("accounts:join_request"),
        {"organisation": organisation.pk, "role": role, "message": message},
    )


@pytest.fixture
def pending(client, cast):
    """The outsider's request to join Toscana as editor, asked in English."""
    with translation.override("en"):
        url = reverse("accounts:join_request")
    client.force_login(cast.outsider)
    client.post(url, {"organisation": cast.toscana.pk, "role": "editor", "message": "Hello"})
    client.logout()
    return JoinRequest.objects.get(user=cast.outsider)


def approve(client, user, join_request):
    if user is not None:
        client.force_login(user)
    return client.post(reverse("accounts:join_request_approve", args=[join_request.pk]))


def refuse(client, user, join_request, reason="Non lavori per la Regione."):
    if user is not None:
        client.force_login(user)
    return client.post(
        reverse("accounts:join_request_refuse", args=[join_request.pk]), {"reason": reason}
    )


def test_a_signed_in_user_asks_to_join_and_sees_the_request_pending(client, cast):
    response = ask(client, cast.outsider, cast.toscana)
    assert response.status_code == 302 and response.url == reverse("accounts:account")
    join_request = JoinRequest.objects.get()
    assert (join_request.organisation, join_request.role, join_request.state) == (
        cast.toscana,
        "editor",
        "pending",
    )
    assert join_request.history.get().history_change_reason == "Richiesta di adesione"
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'id="join-requests"' in page and "In attesa" in page
    assert not Membership.objects.filter(user=cast.outsider).exists()


def test_asking_twice_or_as_a_member_names_the_field_and_saves_nothing(client, cast):
    ask(client, cast.outsider, cast.toscana)
    again = ask(client, cast.outsider, cast.toscana)
    member = ask(client, cast.viewer, cast.toscana)
    for response in (again, member):
        assert response.status_code == 200
        assert 'id="id_organisation_error"' in response.content.decode()
    admin_role = ask(client, cast.outsider, cast.lazio, role="admin")
    assert 'id="id_role_error"' in admin_role.content.decode()
    no_message = ask(client, cast.outsider, cast.lazio, message="")
    assert 'id="id_message_error"' in no_message.content.decode()
    assert JoinRequest.objects.count() == 1


def test_the_organisation_admin_sees_and_approves_the_request(
    client, cast, toscana_admin, pending, django_capture_on_commit_callbacks
):
    client.force_login(toscana_admin)
    page = client.get(reverse("accounts:account")).content.decode()
    assert f'id="join-request-{pending.pk}"' in page and "Hello" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = approve(client, toscana_admin, pending)
    assert response.status_code == 302
    membership = Membership.objects.get(user=cast.outsider, organisation=cast.toscana)
    assert membership.role == "editor"
    assert membership.history.get().history_user == toscana_admin
    pending.refresh_from_db()
    assert pending.state == "approved" and pending.decided_by == toscana_admin
    latest = pending.history.first()
    assert latest.history_user == toscana_admin
    assert latest.history_change_reason == "Richiesta di adesione approvata"
    # Told in the language they asked in.
    [message] = mail.outbox
    assert message.to == [cast.outsider.email]
    assert message.subject.startswith("Reti: request to join") and "approved" in message.subject
    # Decided once: a second approval is refused and changes nothing.
    assert approve(client, toscana_admin, pending).status_code == 403
    assert Membership.objects.filter(user=cast.outsider).count() == 1


def test_the_network_secretariat_approves_for_an_organisation_of_its_network(
    client, cast, toscana_in_network, pending
):
    assert approve(client, cast.secretariat, pending).status_code == 302
    assert Membership.objects.filter(user=cast.outsider, organisation=cast.toscana).exists()


def test_the_secretariat_of_a_network_the_organisation_is_not_in_may_not_decide(
    client, cast, pending
):
    assert approve(client, cast.secretariat, pending).status_code == 404
    assert refuse(client, cast.secretariat, pending).status_code == 404
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_the_admin_refuses_with_a_reason_the_requester_receives(
    client, cast, toscana_admin, pending, django_capture_on_commit_callbacks
):
    no_reason = refuse(client, toscana_admin, pending, reason="  ")
    assert no_reason.status_code == 302
    pending.refresh_from_db()
    assert pending.state == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        refuse(client, toscana_admin, pending)
    pending.refresh_from_db()
    assert pending.state == "refused" and pending.reason == "Non lavori per la Regione."
    stored = pending.history.first().history_change_reason
    assert stored == "Richiesta di adesione rifiutata: Non lavori per la Regione."
    with translation.override("en"):
        assert audit.describe(stored) == "Request to join refused: Non lavori per la Regione."
    assert not Membership.objects.filter(user=cast.outsider).exists()
    [message] = mail.outbox
    assert "not accepted" in message.subject and "Non lavori per la Regione." in message.body


@pytest.mark.parametrize("who", ["lazio_admin", "toscana_officer", "viewer", "lazio_officer"])
def test_the_wrong_organisation_admin_and_members_without_admin_role_are_refused(
    client, cast, lazio_admin, pending, who
):
    user = lazio_admin if who == "lazio_admin" else getattr(cast, who)
    assert approve(client, user, pending).status_code in (403, 404)
    assert refuse(client, user, pending).status_code in (403, 404)
    page = client.get(reverse("accounts:account")).content.decode()
    assert f'id="join-request-{pending.pk}"' not in page
    pending.refresh_from_db()
    assert pending.state == "pending" and not Membership.objects.filter(user=cast.outsider).exists()


def test_the_requester_may_not_decide_their_own_request(client, cast, pending):
    assert approve(client, cast.outsider, pending).status_code == 403
    assert not Membership.objects.filter(user=cast.outsider).exists()


def test_anonymous_is_sent_to_sign_in_and_nothing_changes(client, cast, pending):
    for response in (approve(client, None, pending), refuse(client, None, pending)):
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("accounts:join_request")).status_code == 302
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_staff_decide_any_request(client, cast, pending):
    assert refuse(client, cast.staff, pending).status_code == 302
    pending.refresh_from_db()
    assert pending.state == "refused"


def test_wrong_methods_are_refused(client, cast, toscana_admin, pending):
    client.force_login(toscana_admin)
    assert (
        client.get(reverse("accounts:join_request_approve", args=[pending.pk])).status_code == 405
    )
    assert client.get(reverse("accounts:join_request_refuse", args=[pending.pk])).status_code == 405
    assert client.put(reverse("accounts:join_request")).status_code == 405
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_an_unknown_request_is_not_found(client, cast, toscana_admin):
    assert approve(client, toscana_admin, JoinRequest(pk=999)).status_code == 404


def test_the_secretariat_rule_is_the_registrys(cast, toscana_in_network):
    # accounts reads network roles without importing the registry: the same networks' members.
    from reti.accounts.permissions import in_networks_of_secretariat
    from reti.registry.models import GoverningRole
    from reti.registry.permissions import secretariat_network_ids

    networks = secretariat_network_ids(cast.secretariat)
    expected = set(
        GoverningRole.objects.filter(network_id__in=networks, end_date__isnull=True).values_list(
            "organisation_id", flat=True
        )
    )
    found = set(in_networks_of_secretariat({cast.trento.pk}).values_list("id", flat=True))
    assert found == expected == {cast.trento.pk, cast.toscana.pk}
    # A role that ended no longer counts.
    GoverningRole.objects.filter(organisation=cast.toscana).update(end_date="2020-01-01")
    assert set(in_networks_of_secretariat({cast.trento.pk}).values_list("id", flat=True)) == {
        cast.trento.pk
    }


def test_the_organisation_admins_are_told_of_a_new_request(
    client, cast, toscana_admin, toscana_in_network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, cast.outsider, cast.toscana, message="Sono la nuova referente.")
    [message] = mail.outbox
    assert message.to == [toscana_admin.email]
    assert "Regione Toscana (prova)" in message.subject
    assert "Sono la nuova referente." in message.body and "/it/area-personale/" in message.body


def test_without_admins_the_network_secretariat_is_told(
    client, cast, toscana_in_network, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, cast.outsider, cast.toscana)
    assert [m.to for m in mail.outbox] == [[cast.secretariat.email]]


def test_nobody_is_told_when_nobody_but_staff_decides(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, cast.outsider, cast.lazio)
    assert mail.outbox == []
