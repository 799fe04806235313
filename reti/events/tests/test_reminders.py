"""Follow-up reminders: sent before due dates, never twice, by the daily command."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from reti.events.models import Event, FollowUpItem, ReminderSent
from reti.events.reminders import send_due_reminders, threshold_reached
from reti.events.tests.factories import EventFactory, RegistrationFactory

DUE = date(2031, 3, 10)


@pytest.fixture
def item(cast):
    review = EventFactory(
        kind=Event.Kind.PEER_REVIEW, host=cast.toscana, title_it="Peer review sull'inclusione"
    )
    return FollowUpItem.objects.create(
        event=review, title="Convocare il tavolo", owner=cast.toscana_officer, due_date=DUE
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE - timedelta(days=8), None),
        (DUE - timedelta(days=7), 7),
        (DUE - timedelta(days=3), 7),
        (DUE - timedelta(days=1), 1),
        (DUE, 0),
        (DUE + timedelta(days=1), None),
    ],
)
def test_thresholds(today, expected):
    assert threshold_reached(DUE, today) == expected


def test_a_week_before_the_owner_gets_one_reminder_however_often_the_job_runs(item, mailoutbox):
    today = DUE - timedelta(days=7)
    assert send_due_reminders(today) == 1
    assert send_due_reminders(today) == 0
    assert send_due_reminders(today + timedelta(days=2)) == 0
    (message,) = mailoutbox
    assert message.to == [item.owner.email]
    assert "Convocare il tavolo" in message.subject and "tra 7 giorni" in message.subject
    assert "Peer review sull'inclusione" in message.body


def test_the_day_before_and_the_day_itself_send_their_own_reminders(item, mailoutbox):
    send_due_reminders(DUE - timedelta(days=7))
    send_due_reminders(DUE - timedelta(days=1))
    send_due_reminders(DUE)
    assert [m.subject.rsplit(" ", 1)[-1] for m in mailoutbox] == ["giorni", "domani", "oggi"]


def test_done_items_are_not_reminded(item, mailoutbox):
    item.status = FollowUpItem.Status.DONE
    item.save()
    assert send_due_reminders(DUE - timedelta(days=1)) == 0
    assert mailoutbox == []


def test_a_new_due_date_starts_the_reminders_over(item, mailoutbox):
    send_due_reminders(DUE - timedelta(days=1))
    item.due_date = DUE + timedelta(days=30)
    item.save()
    assert send_due_reminders(item.due_date - timedelta(days=1)) == 1
    assert ReminderSent.objects.filter(item=item).count() == 2


def test_the_command_sends_and_reports(item, mailoutbox, capsys):
    call_command("send_reminders", today=(DUE - timedelta(days=1)))
    call_command("send_reminders", today=(DUE - timedelta(days=1)))
    out = capsys.readouterr().out
    assert "promemoria inviati: 1" in out and "promemoria inviati: 0" in out
    assert len(mailoutbox) == 1


def test_the_command_can_enqueue_the_task(item, capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("send_reminders", enqueue=True)
    assert "accodato" in capsys.readouterr().out
    assert DBTaskResult.objects.filter(task_path__endswith="send_reminders_task").exists()


def test_an_owner_who_registers_in_english_is_reminded_in_english(item, mailoutbox):
    item.event.title_en = "Peer review on inclusion"
    item.event.save()
    RegistrationFactory(event=item.event, user=item.owner, email=item.owner.email, language="en")
    assert send_due_reminders(DUE - timedelta(days=1)) == 1
    (message,) = mailoutbox
    assert message.subject == 'Reminder: "Convocare il tavolo" is due tomorrow'
    assert 'from the peer review "Peer review on inclusion"' in message.body
    assert "is due on 10 March 2031" in message.body
    assert "Current status: To do." in message.body
    assert "/en/" in message.body and "Gentile" not in message.body


def test_an_owner_who_never_registered_is_reminded_in_italian(item, mailoutbox):
    send_due_reminders(DUE)
    (message,) = mailoutbox
    assert message.subject.endswith("scade oggi") and "Gentile" in message.body
