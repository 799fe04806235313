"""The funding laws, held on random calls and applications (hypothesis).

No line or quota grants more than its money; no grant is above the request or the maximum,
nor below the minimum (unless savings reduced it); only eligible applications are funded;
under `stop` and `partial` an eligible application is never left unfunded while a lower one
of the same line (or quota) is funded; the order of the applications given changes nothing;
a scorrimento never takes money from a grant already made (savings reduce only the grant that
saved), and one without events changes nothing.
"""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reti.grants.ranking import (
    FUNDED,
    PARTIAL,
    Application,
    Event,
    Line,
    Quota,
    RankingExpired,
    Rules,
    amount_for,
    fund,
    outcome,
    scroll,
)

LAWS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TERRITORIES = ("FI", "GR", "PI")
TYPES = ("aps", "odv", "coop")
START = datetime(2027, 2, 1, tzinfo=UTC)


def euros(low, high):
    return st.integers(low, high).map(lambda n: D(n) * 100)


@st.composite
def calls(draw):
    """Rules with one or two lines and up to two quotas each, and applications for them."""
    lines = []
    for n in range(draw(st.integers(1, 2))):
        budget = draw(euros(0, 1000))
        quotas = []
        room = budget
        for q in range(draw(st.integers(0, 2))):
            amount = draw(st.integers(0, int(room / 100))) * 100
            room -= amount
            by_territory = draw(st.booleans())
            quotas.append(
                Quota(
                    f"Q{q}",
                    D(amount),
                    territory=draw(st.sampled_from(TERRITORIES)) if by_territory else "",
                    applicant_type="" if by_territory else draw(st.sampled_from(TYPES)),
                )
            )
        lines.append(Line(f"L{n}", budget, tuple(quotas)))
    min_grant = draw(euros(10, 50))
    rules = Rules(
        lines=tuple(lines),
        min_grant=min_grant,
        max_grant=min_grant + draw(euros(0, 250)),
        threshold=D(draw(st.integers(0, 80))),
        tie_breaks=tuple(draw(st.permutations(["node:A", "submitted_at", "lot"]))[:2]),
        seed=draw(st.text(max_size=5)),
        policy=draw(st.sampled_from(["partial", "skip", "stop"])),
    )
    applications = []
    for i in range(draw(st.integers(0, 14))):
        applications.append(
            Application(
                key=f"K{i:02d}",
                line=draw(st.sampled_from([line.code for line in lines])),
                requested=min_grant + draw(euros(0, 350)) + D(draw(st.integers(0, 99))) / 100,
                total=D(draw(st.integers(50, 100))),
                scores={"A": D(draw(st.integers(0, 3)))},
                territory=draw(st.sampled_from(TERRITORIES)),
                applicant_type=draw(st.sampled_from(TYPES)),
                admissible=draw(st.integers(0, 6)) > 0,
                merit_failed=draw(st.integers(0, 8)) == 0,
                submitted_at=START + timedelta(days=draw(st.integers(0, 3))),
                withdrawn="withdrawn" if draw(st.integers(0, 10)) == 0 else "",
            )
        )
    return rules, applications


def held(result):
    """The laws every result holds."""
    rules = result.rules
    for total in result.totals():
        assert 0 <= total.granted <= total.budget
        for quota in total.quotas:
            assert 0 <= quota.granted <= quota.amount
    for row in result.rows:
        a = row.application
        if row.status in (FUNDED, PARTIAL):
            assert row.granted <= min(a.requested, rules.max_grant)
            assert row.granted >= rules.min_grant or row.settled  # savings may go below
            assert outcome(rules, a) == "admissible" and not a.withdrawn
            if row.status == FUNDED and not row.settled:
                assert row.granted == amount_for(rules, a)
            if row.status == PARTIAL:
                assert row.granted < amount_for(rules, a)
        else:
            assert row.granted == 0


def in_order(result):
    """Under stop and partial, nobody eligible is passed over in the same line or quota."""
    rules = result.rules
    for line in rules.lines:
        rows = [
            r
            for r in result.rows
            if r.application.line == line.code and outcome(rules, r.application) == "admissible"
        ]
        for low, row in enumerate(rows):
            if row.granted == 0:
                continue
            quota = next((q for q in line.quotas if q.code == row.quota), None)
            for above in rows[:low]:
                if quota is None or quota.matches(above.application):
                    assert above.granted > 0, (above, row)


def half(amount):
    return amount // 2


def statuses(result):
    return [(r.status, r.granted) for r in result.rows]


def table(result):
    return [(r.position, r.application.key, r.status, r.granted, r.quota) for r in result.rows]


@LAWS
@given(calls(), st.randoms(use_true_random=False))
def test_every_result_holds_the_laws_whatever_the_order(call, shuffler):
    rules, applications = call
    result = fund(rules, applications)
    held(result)
    if rules.policy in ("stop", "partial"):
        in_order(result)
    shuffled = list(applications)
    shuffler.shuffle(shuffled)
    assert table(fund(rules, shuffled)) == table(result)


@LAWS
@given(calls(), st.data())
def test_scorrimento_keeps_every_grant_made(call, data):
    rules, applications = call
    first = fund(rules, applications)
    at = START + timedelta(days=90)
    assert statuses(scroll(first, [], at)) == statuses(first)
    active = [r.application.key for r in first.rows if r.status not in ("withdrawn", "revoked")]
    leaving = data.draw(st.lists(st.sampled_from(active), unique=True) if active else st.just([]))
    events = [Event(key, "withdrawn", at) for key in leaving]
    saving = [r.application.key for r in first.rows if r.granted > 1]
    saving = [key for key in saving if key not in leaving]
    for key in data.draw(st.lists(st.sampled_from(saving), unique=True) if saving else st.just([])):
        events.append(Event(key, "savings", at, half(first.row(key).granted)))
    after = scroll(first, events, at)
    held(after)
    assert statuses(scroll(after, [], at)) == statuses(after)
    for before in first.rows:
        now = after.row(before.application.key)
        if before.application.key in leaving:
            assert (now.status, now.granted) == ("withdrawn", 0)
        elif now.settled:
            kept = before.granted - half(before.granted)
            assert (now.status, now.granted) == (before.status, kept)
        elif before.granted:
            assert now.granted >= before.granted
            assert now.quota == before.quota or before.status == PARTIAL
            if before.status == FUNDED:
                assert (now.status, now.granted) == (FUNDED, before.granted)
    assert sum(t.granted for t in after.totals()) <= sum(t.budget for t in after.totals())


@LAWS
@given(calls())
def test_no_scorrimento_once_the_ranking_has_expired(call):
    rules, applications = call
    from dataclasses import replace

    rules = replace(rules, valid_until=START + timedelta(days=30))
    first = fund(rules, applications)
    with pytest.raises(RankingExpired):
        scroll(first, [], START + timedelta(days=31))


def test_the_order_of_a_large_call_changes_nothing():
    rng = random.Random(17)
    rules = Rules(
        lines=(Line("L1", D(500000), (Quota("GR", D(60000), territory="GR"),)),),
        min_grant=D(5000),
        max_grant=D(20000),
        threshold=D(60),
        tie_breaks=("node:A", "submitted_at", "lot"),
        seed="seed",
        policy="partial",
    )
    applications = [
        Application(
            key=f"SG-{i:04d}",
            line="L1",
            requested=D(rng.randrange(5000, 25000)),
            total=D(rng.randrange(40, 100)),
            scores={"A": D(rng.randrange(10, 30))},
            territory=rng.choice(TERRITORIES),
            submitted_at=START + timedelta(hours=rng.randrange(0, 200)),
        )
        for i in range(400)
    ]
    result = fund(rules, applications)
    held(result)
    in_order(result)
    rng.shuffle(applications)
    assert table(fund(rules, applications)) == table(result)
