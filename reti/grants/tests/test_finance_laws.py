"""The financial state's laws over random sequences of payments, reversals, cuts,
revocations and recoveries, against an independent running ledger in integer cents."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reti.grants import finance

cents = st.integers(min_value=1, max_value=5_000_000)


def _money(value: int) -> Decimal:
    return Decimal(value) / 100


events = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), cents),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
        st.tuples(st.just("report"), cents, st.integers(min_value=0, max_value=100)),
        st.tuples(st.just("report_unverified"), cents),
        st.tuples(st.just("revoke"), cents, cents),
        st.tuples(st.just("recover"), cents),
    ),
    max_size=40,
)


def _run(granted: int, sequence):
    """Apply events one by one: the ledger (in cents) and the records' amounts (Decimal)."""
    ledger = dict.fromkeys(
        ("paid", "reported", "verified", "cut", "revoked", "ordered", "recovered"), 0
    )
    records = {k: [] for k in ("payments", "reported", "checked", "verified", "revoked")}
    records |= {"to_recover": [], "recovered": []}
    booked = []
    for event in sequence:
        kind = event[0]
        if kind == "pay":
            ledger["paid"] += event[1]
            booked.append(event[1])
            records["payments"].append(_money(event[1]))
        elif kind == "reverse" and booked:
            amount = booked.pop(event[1] % len(booked))
            ledger["paid"] -= amount
            records["payments"].append(-_money(amount))
        elif kind == "report":
            amount, percent_cut = event[1], event[2]
            accepted = amount - amount * percent_cut // 100
            ledger["reported"] += amount
            ledger["verified"] += accepted
            ledger["cut"] += amount - accepted
            records["reported"].append(_money(amount))
            records["checked"].append(_money(amount))
            records["verified"].append(_money(accepted))
        elif kind == "report_unverified":
            ledger["reported"] += event[1]
            records["reported"].append(_money(event[1]))
        elif kind == "revoke":
            ledger["revoked"] += event[1]
            ledger["ordered"] += event[2]
            records["revoked"].append(_money(event[1]))
            records["to_recover"].append(_money(event[2]))
        elif kind == "recover":
            ledger["recovered"] += event[1]
            records["recovered"].append(_money(event[1]))
    return ledger, records


@given(st.integers(min_value=0, max_value=100_000_000), events)
def test_state_equals_the_running_ledger_to_the_cent(granted, sequence):
    ledger, records = _run(granted, sequence)
    state = finance.financial_state(granted=_money(granted), **records)
    assert state.granted == _money(granted)
    assert state.paid == _money(ledger["paid"])
    assert state.reported == _money(ledger["reported"])
    assert state.verified == _money(ledger["verified"])
    assert state.cut == _money(ledger["cut"])
    assert state.revoked == _money(ledger["revoked"])
    assert state.entitled == _money(granted - ledger["revoked"])
    assert state.to_recover == _money(ledger["ordered"])
    assert state.recovered == _money(ledger["recovered"])
    assert state.outstanding == _money(ledger["ordered"] - ledger["recovered"])
    assert state.net_paid == _money(ledger["paid"] - ledger["recovered"])
    for value in vars(state).values():
        assert value == value.quantize(Decimal("0.01"))


@given(st.integers(min_value=0, max_value=100_000_000), events, st.randoms())
def test_the_order_of_the_records_does_not_matter(granted, sequence, rnd):
    _ledger, records = _run(granted, sequence)
    shuffled = {key: rnd.sample(values, len(values)) for key, values in records.items()}
    assert finance.financial_state(granted=_money(granted), **records) == (
        finance.financial_state(granted=_money(granted), **shuffled)
    )


@given(st.integers(min_value=0, max_value=100_000_000), events)
def test_eligible_is_verified_capped_by_entitlement(granted, sequence):
    _ledger, records = _run(granted, sequence)
    state = finance.financial_state(granted=_money(granted), **records)
    eligible = finance.eligible(state)
    assert eligible >= 0 and eligible <= max(state.entitled, 0) and eligible <= state.verified
    assert eligible in (max(0, state.verified), max(0, state.entitled)) or eligible == 0


@given(st.lists(st.integers(min_value=1, max_value=10_000), unique=True), st.text(max_size=8))
def test_the_sample_is_repeatable_and_sized(ids, seed):
    rate = Decimal("0.1")
    first = finance.draw_sample(ids, rate, seed)
    assert first == finance.draw_sample(list(reversed(ids)), rate, seed)
    assert set(first) <= set(ids)
    assert len(first) == (0 if not ids else max(1, -(-len(ids) // 10)))
