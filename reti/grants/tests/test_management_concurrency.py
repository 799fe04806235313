"""Two managers approve the same payment at the same moment: one approval, one refusal, and
the payment's trail holds a single approval.

Needs real concurrent transactions: PostgreSQL, where the second approval waits on the
payment's row (`select_for_update`) and then reads it approved. SQLite's shared in-memory
test database refuses a second writer instead of waiting (as for the protocol numbers).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from reti.grants import actions
from reti.grants.models import Payment

from .conftest import active

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent transactions"
)


@needs_postgresql
def test_concurrent_approvals_of_one_payment_give_one_approval(transactional_db, management):
    m = management
    grant = active(m)
    payment = actions.prepare_payment(m.grants.officer, grant, "advance", guarantee="Polizza")
    managers = [m.manager, m.manager_2]
    barrier = threading.Barrier(len(managers))
    outcomes = {}

    def approve(user):
        try:
            barrier.wait()
            actions.approve_payment(user, Payment.objects.get(pk=payment.pk))
            outcomes[user.username] = "approved"
        except ValidationError as error:
            outcomes[user.username] = error.message_dict
        except Exception as error:  # reported below, the thread must not die silently
            outcomes[user.username] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    values = sorted(outcomes.values(), key=str)
    assert values[0] == "approved", outcomes
    assert values[1] == {"status": ["L'erogazione è già stata approvata."]}, outcomes
    payment.refresh_from_db()
    assert payment.status == Payment.Status.APPROVED
    assert payment.approved_by_id in {u.pk for u in managers}
    approvals = payment.history.filter(history_change_reason="Erogazione approvata")
    assert approvals.count() == 1
