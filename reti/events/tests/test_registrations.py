"""Registering, the waiting list and cancelling, as registrants and organisers see them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reti.events import actions
from reti.events.models import Registration
from reti.events.tests.factories import EventFactory, RegistrationFactory

Status = Registration.Status


def test_registration_is_confirmed_and_mailed_in_the_registrants_language(visit, mails):
    registration = actions.register(
        None, visit, name="Anna Bianchi", email="Anna@Example.org", language="en"
    )
    assert registration.status == Status.CONFIRMED
    assert registration.email == "anna@example.org"
    (message,) = mails
    assert message.to == ["anna@example.org"]
    assert message.subject == "Registration confirmed: " + visit.title_en
    assert "is confirmed" in message.body
    assert "/events/cancel/" not in message.body  # the link is on the Italian URL slug
    assert "/en/eventi/annulla/" in message.body


def test_italian_confirmation(visit, mails):
    actions.register(None, visit, name="Marco Rossi", email="marco@example.org")
    assert mails[0].subject == "Iscrizione confermata: Visita a Firenze"
    assert "/it/eventi/annulla/" in mails[0].body


def test_a_signed_in_user_registers_with_their_account(cast, visit, mails):
    registration = actions.register(cast.outsider, visit)
    assert registration.user == cast.outsider
    assert registration.email == cast.outsider.email
    assert registration.history.get().history_user == cast.outsider


def test_over_capacity_goes_to_the_waiting_list_with_its_own_message(visit, mails):
    for n in range(2):
        actions.register(None, visit, name=f"P{n}", email=f"p{n}@example.org")
    third = actions.register(None, visit, name="Terza", email="terza@example.org")
    assert third.status == Status.WAITLISTED
    assert mails[-1].subject.startswith("In lista d'attesa")


def test_registering_twice_is_refused_with_a_message_naming_the_email(visit, cast):
    actions.register(cast.outsider, visit)
    with pytest.raises(ValidationError) as error:
        actions.register(None, visit, name="Ancora", email=cast.outsider.email.upper())
    assert "già iscritto" in error.value.message_dict["email"][0]
    assert visit.registrations.count() == 1


def test_after_the_deadline_registering_is_refused(cast):
    event = EventFactory(registration_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="chiuse"):
        actions.register(None, event, name="Tardi", email="tardi@example.org")
    assert not event.registrations.exists()


def test_registrations_close_at_the_deadline_itself(cast, monkeypatch):
    deadline = timezone.now() + timedelta(days=3)
    event = EventFactory(registration_deadline=deadline)
    monkeypatch.setattr(timezone, "now", lambda: deadline)
    actions.register(None, event, name="In tempo", email="tempo@example.org")
    monkeypatch.setattr(timezone, "now", lambda: deadline + timedelta(seconds=1))
    with pytest.raises(ValidationError, match="chiuse"):
        actions.register(None, event, name="Tardi", email="tardi@example.org")
    assert event.registrations.count() == 1


def test_name_and_email_are_required_for_anonymous_people(visit):
    with pytest.raises(ValidationError) as error:
        actions.register(None, visit, name="Senza posta")
    assert "email" in error.value.message_dict


def test_cancelling_promotes_the_first_on_the_waiting_list_and_mails_them(visit, cast, mails):
    first = actions.register(cast.outsider, visit)
    actions.register(None, visit, name="Seconda", email="seconda@example.org")
    waiting = actions.register(None, visit, name="Terzo", email="terzo@example.org", language="en")
    later = actions.register(None, visit, name="Quarto", email="quarto@example.org")

    promoted = actions.cancel_registration(cast.outsider, first)

    assert promoted == waiting
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert (waiting.status, later.status) == (Status.CONFIRMED, Status.WAITLISTED)
    assert mails[-1].to == ["terzo@example.org"]
    assert mails[-1].subject == "A seat is free: " + visit.title_en


def test_a_cancelled_person_may_register_again(visit, cast):
    first = actions.register(cast.outsider, visit)
    actions.cancel_registration(cast.outsider, first)
    again = actions.register(cast.outsider, visit)
    assert again.status == Status.CONFIRMED


def test_cancelling_twice_says_so(visit, cast):
    registration = actions.register(cast.outsider, visit)
    actions.cancel_registration(cast.outsider, registration)
    with pytest.raises(ValidationError, match="già annullata"):
        actions.cancel_registration(cast.outsider, registration)


@pytest.mark.parametrize("who", ["lazio_officer", "viewer", "anonymous"])
def test_others_may_not_cancel_someones_registration(visit, cast, who):
    registration = actions.register(cast.outsider, visit)
    user = None if who == "anonymous" else getattr(cast, who)
    with pytest.raises(PermissionDenied):
        actions.cancel_registration(user, registration)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


@pytest.mark.parametrize("who", ["toscana_officer", "secretariat", "staff"])
def test_organisers_cancel_registrations(visit, cast, who):
    registration = actions.register(None, visit, name="X", email="x@example.org")
    actions.cancel_registration(getattr(cast, who), registration)
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_the_link_in_the_email_cancels_without_signing_in(visit):
    registration = actions.register(None, visit, name="Link", email="link@example.org")
    actions.cancel_registration(None, registration, token=actions.cancel_token(registration))
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_a_forged_link_does_not_cancel(visit):
    registration = actions.register(None, visit, name="Link", email="link@example.org")
    with pytest.raises(PermissionDenied):
        actions.cancel_registration(None, registration, token=f"{registration.pk}:forged")


def test_a_link_for_another_registration_does_not_cancel(visit):
    mine = actions.register(None, visit, name="A", email="a@example.org")
    other = actions.register(None, visit, name="B", email="b@example.org")
    with pytest.raises(PermissionDenied):
        actions.cancel_registration(None, other, token=actions.cancel_token(mine))


def test_more_seats_confirm_people_on_the_waiting_list(visit, cast, mails):
    for n in range(4):
        actions.register(None, visit, name=f"P{n}", email=f"p{n}@example.org")
    visit.capacity = 3
    actions.save_event(cast.toscana_officer, visit)
    statuses = list(visit.registrations.order_by("position").values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED] * 3 + [Status.WAITLISTED]


def test_the_database_refuses_two_active_registrations_of_one_email(visit):
    RegistrationFactory(event=visit, email="dup@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=visit, email="dup@example.org")
    RegistrationFactory(event=visit, email="dup@example.org", status=Status.CANCELLED)


def test_the_database_refuses_an_event_ending_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(end=timezone.now(), start=timezone.now() + timedelta(hours=1))


def test_attendance_is_recorded_by_organisers_only(visit, cast):
    registration = actions.register(None, visit, name="A", email="a@example.org")
    with pytest.raises(PermissionDenied):
        actions.record_attendance(cast.lazio_officer, visit, {registration.pk: True})
    with pytest.raises(PermissionDenied):
        actions.record_attendance(None, visit, {registration.pk: True})
    assert actions.record_attendance(cast.secretariat, visit, {registration.pk: True}) == 1
    registration.refresh_from_db()
    assert registration.attended is True
    assert registration.history.first().history_user == cast.secretariat
