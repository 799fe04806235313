"""Two people take the last seat at the same moment: one is confirmed, the other wait-listed.

Needs real concurrent transactions: PostgreSQL, where `select_for_update` makes the second
registration wait for the first. (SQLite serialises writers by its IMMEDIATE transactions, but
its shared in-memory test database refuses a second writer instead of waiting.)
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from reti.events import actions
from reti.events.models import Registration
from reti.events.tests.factories import EventFactory


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_the_last_seat_goes_to_one_person_only(transactional_db):
    event = EventFactory(capacity=1)
    barrier = threading.Barrier(4)
    errors = []

    def take_seat(n):
        try:
            barrier.wait()
            actions.register(None, event, name=f"P{n}", email=f"p{n}@example.org")
        except Exception as error:  # reported below, the thread must not die silently
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_seat, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = sorted(event.registrations.values_list("status", flat=True))
    assert statuses == [Registration.Status.CONFIRMED] + [Registration.Status.WAITLISTED] * 3
    positions = sorted(event.registrations.values_list("position", flat=True))
    assert positions == [1, 2, 3, 4]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_a_double_submit_registers_the_person_once(transactional_db):
    # The same form sent four times at once (a double click, a retrying client): one
    # registration, every other attempt refused as a duplicate naming the e-mail field.
    event = EventFactory(capacity=10)
    barrier = threading.Barrier(4)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            actions.register(None, event, name="Anna Prova", email="Anna@Example.org")
            outcomes.append("registered")
        except ValidationError as error:
            outcomes.append(error.message_dict["email"][0])
        except Exception as error:  # reported below, the thread must not die silently
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [
        "Risulti già iscritto a questo evento con questo indirizzo e-mail."
    ] * 3 + ["registered"]
    assert list(event.registrations.values_list("email", "position")) == [("anna@example.org", 1)]
