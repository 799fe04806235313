"""Many submissions in the last second of a call: each is accepted or refused by the deadline
rule, none is lost or half-saved, and the protocol numbers are unique and gapless.

Needs real concurrent transactions: PostgreSQL, where the submissions queue on the
ProtocolCounter row (`select_for_update`). SQLite's shared in-memory test database refuses a
second writer instead of waiting (as for the events' last seat).
"""

import datetime
import itertools
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from reti.grants import actions, clock
from reti.grants.models import Application, Receipt
from reti.registry.models import Organisation
from reti.registry.tests import factories as f

from . import factories as gf
from .conftest import fill

SUBMISSIONS = 20
# Issue 22: fifty applicants pressing "submit" in the call's last second.
AT_THE_DEADLINE = 50

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent transactions"
)


def _drafts(grants, pdf, count):
    """`count` complete drafts, each of its own organisation (one application per call)."""
    drafts = []
    for n in range(count):
        organisation = f.OrganisationFactory(
            name_it=f"Associazione {n} (prova)",
            kind=Organisation.Kind.THIRD_SECTOR,
            tax_code=gf.tax_code(),
        )
        user = gf.applicant(organisation, f"applicant_{n}")
        draft = actions.create_application(user, grants.call, organisation, f"Progetto {n}")
        drafts.append((user, fill(draft, grants, pdf_factory=pdf)))
    return drafts


def _submit_all(drafts):
    """Submit every draft at once, one thread and connection each; the outcome of each."""
    barrier = threading.Barrier(len(drafts))
    outcomes = {}

    def submit(user, application):
        try:
            barrier.wait()
            receipt = actions.submit_application(user, application)
            outcomes[application.pk] = receipt.sequence
        except ValidationError as error:
            outcomes[application.pk] = error.message_dict
        except Exception as error:  # reported below, the thread must not die silently
            outcomes[application.pk] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=pair) for pair in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@needs_postgresql
def test_simultaneous_submissions_get_unique_gapless_numbers(transactional_db, grants, pdf):
    drafts = _drafts(grants, pdf, SUBMISSIONS)
    outcomes = _submit_all(drafts)
    assert sorted(outcomes.values()) == list(range(1, SUBMISSIONS + 1))
    receipts = Receipt.objects.filter(application__call=grants.call)
    assert sorted(receipts.values_list("sequence", flat=True)) == list(range(1, SUBMISSIONS + 1))
    assert len(set(receipts.values_list("protocol_number", flat=True))) == SUBMISSIONS


@needs_postgresql
def test_submissions_racing_the_deadline_are_each_accepted_or_refused(
    transactional_db, grants, pdf
):
    drafts = _drafts(grants, pdf, AT_THE_DEADLINE)
    deadline = grants.call.deadline
    # The deadline passes while half of the submissions still queue on the protocol
    # counter: the clock reads before it for the first half served, after it for the rest.
    served = itertools.count(1)
    queue = {"served": 0}
    take_number = actions.applications._next_protocol

    def next_protocol(*args):
        sequence = take_number(*args)
        queue["served"] = next(served)  # only the counter's holder runs this
        return sequence

    def now():
        late = queue["served"] > AT_THE_DEADLINE // 2
        return deadline + datetime.timedelta(seconds=1 if late else -1)

    with (
        mock.patch.object(actions.applications, "_next_protocol", side_effect=next_protocol),
        mock.patch.object(clock, "now", side_effect=now),
    ):
        outcomes = _submit_all(drafts)
    accepted = sorted(v for v in outcomes.values() if isinstance(v, int))
    refused = [v for v in outcomes.values() if not isinstance(v, int)]
    assert len(outcomes) == AT_THE_DEADLINE and len(accepted) == AT_THE_DEADLINE // 2
    assert accepted == list(range(1, len(accepted) + 1))  # the refused gave their number back
    assert all(set(v) == {"deadline"} for v in refused), refused
    submitted = Application.objects.filter(status=Application.Status.SUBMITTED)
    assert submitted.count() == len(accepted) == Receipt.objects.count()
    assert all(a.submitted_at < deadline for a in submitted)
    drafts_left = Application.objects.filter(status=Application.Status.DRAFT)
    assert drafts_left.count() == len(refused) and not drafts_left.filter(receipt__isnull=False)
