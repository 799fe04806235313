"""Two people take the last seat at the same moment: one is confirmed, the other wait-listed.

Needs real concurrent transactions: PostgreSQL, where `select_for_update` makes the second
registration wait for the first. (SQLite serialises writers by its IMMEDIATE transactions, but
its shared in-memory test database refuses a second writer instead of waiting.)
"""

import threading

import pytest
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
