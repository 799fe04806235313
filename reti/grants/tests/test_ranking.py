"""Ranking and funding of a call, rule by rule, on the worked examples of docs/grants.md."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from reti.grants.ranking import (
    Application,
    Event,
    Line,
    Quota,
    RankingError,
    RankingExpired,
    Rules,
    fund,
    scroll,
)

AT = datetime(2027, 3, 1, 9, tzinfo=UTC)


def rules(policy="partial", budget="50000", quotas=(), **more):
    return Rules(
        lines=(Line("L1", D(budget), tuple(quotas)),),
        min_grant=D("5000.00"),
        max_grant=D("20000.00"),
        threshold=D(60),
        policy=policy,
        **more,
    )


def app(key, total, requested, day=1, **more):
    return Application(
        key=key,
        line=more.pop("line", "L1"),
        requested=D(requested),
        total=D(str(total)),
        submitted_at=datetime(2027, 2, day, 10, tzinfo=UTC),
        **more,
    )


def table(result):
    return [(r.position, r.application.key, r.status, str(r.granted), r.quota) for r in result.rows]


# The docs' example: 50,000 on line L1, five eligible applications.
FIVE = [
    app("A", 90, "20000"),
    app("B", 85, "18000"),
    app("C", 80, "15000"),
    app("D", 75, "7000"),
    app("E", 70, "6000"),
]


def test_partial_funds_the_last_fundable_with_what_is_left():
    result = fund(rules("partial"), FIVE)
    assert table(result) == [
        (1, "A", "funded", "20000.00", ""),
        (2, "B", "funded", "18000.00", ""),
        (3, "C", "partially_funded", "12000.00", ""),
        (4, "D", "eligible_not_funded", "0.00", ""),
        (5, "E", "eligible_not_funded", "0.00", ""),
    ]
    assert result.row("C").reason == "partially funded: 12000.00 of 15000.00"
    assert result.row("D").reason == "budget exhausted"
    (line,) = result.totals()
    assert (line.budget, line.granted, line.remaining) == (D(50000), D(50000), D(0))


def test_skip_goes_on_to_the_next_that_fits():
    result = fund(rules("skip"), FIVE)
    assert [r[2:4] for r in table(result)] == [
        ("funded", "20000.00"),
        ("funded", "18000.00"),
        ("eligible_not_funded", "0.00"),
        ("funded", "7000.00"),
        ("eligible_not_funded", "0.00"),
    ]
    assert result.row("C").reason == "does not fit what is left of the line (12000.00)"
    assert result.totals()[0].remaining == D("5000.00")


def test_stop_funds_nobody_below_the_first_that_does_not_fit():
    result = fund(rules("stop"), FIVE)
    assert [r[2] for r in table(result)] == ["funded", "funded"] + ["eligible_not_funded"] * 3
    assert result.row("C").reason == "does not fit what is left (12000.00); funding stops here"
    assert result.row("D").reason == "funding stopped at position 3 (policy stop)"
    assert result.totals()[0].remaining == D("12000.00")


def test_a_partial_amount_below_the_minimum_grant_behaves_as_skip():
    result = fund(rules("partial", budget="42000"), FIVE)
    # 4,000 left after A and B: below the 5,000 minimum, C is not funded partially.
    assert result.row("C").status == "eligible_not_funded"
    assert result.row("C").reason == "does not fit what is left of the line (4000.00)"
    assert result.row("D").status == "eligible_not_funded"
    assert result.totals()[0].remaining == D("4000.00")


def test_a_request_above_the_maximum_is_funded_at_the_maximum():
    result = fund(rules(), [app("A", 90, "25000")])
    row = result.row("A")
    assert (row.status, row.granted) == ("funded", D("20000.00"))
    assert row.reason == "funded (capped at the maximum grant 20000.00)"


def test_a_request_below_the_minimum_is_an_error_naming_it():
    with pytest.raises(RankingError, match=r"application X: requested: 4000 is below"):
        fund(rules(), [app("X", 90, "4000")])


def test_quota_money_is_reserved_first_and_what_is_left_returns_to_the_line():
    grosseto = Quota("GR", D("10000"), territory="GR")
    applications = [*FIVE[:3], app("G", 65, "6000", territory="GR")]
    result = fund(rules("partial", quotas=[grosseto]), applications)
    assert table(result) == [
        (1, "A", "funded", "20000.00", ""),
        (2, "B", "funded", "18000.00", ""),
        (3, "C", "partially_funded", "6000.00", ""),
        (4, "G", "funded", "6000.00", "GR"),
    ]
    assert result.row("G").reason == "funded from quota GR"
    (line,) = result.totals()
    (quota,) = line.quotas
    assert (quota.amount, quota.granted, quota.remaining) == (D(10000), D(6000), D(4000))
    assert (line.granted, line.remaining) == (D(50000), D(0))


def test_a_quota_can_name_an_applicant_type_and_funds_only_in_full():
    odv = Quota("ODV", D("10000"), applicant_type="odv")
    applications = [
        app("A", 90, "12000", applicant_type="odv"),
        app("B", 85, "8000", applicant_type="odv"),
        app("C", 80, "20000", applicant_type="aps"),
    ]
    result = fund(rules("stop", budget="30000", quotas=[odv]), applications)
    # A does not fit the quota's 10,000: the quota ends there (stop) and its money returns to
    # the line, which funds A then cannot fit C.
    assert table(result) == [
        (1, "A", "funded", "12000.00", ""),
        (2, "B", "funded", "8000.00", ""),
        (3, "C", "eligible_not_funded", "0.00", ""),
    ]
    skipping = fund(rules("skip", budget="30000", quotas=[odv]), applications)
    assert skipping.row("B").quota == "ODV"
    assert skipping.row("A").quota == ""


def test_outcomes_below_threshold_not_admissible_and_withdrawn_are_never_funded():
    applications = [
        app("A", 90, "10000"),
        app("B", "59.99", "10000"),
        app("C", 95, "10000", admissible=False),
        app("D", 80, "10000", merit_failed=True),
        app("E", 99, "10000", withdrawn="withdrawn"),
    ]
    result = fund(rules(), applications)
    assert table(result) == [
        (1, "A", "funded", "10000.00", ""),
        (2, "D", "below_threshold", "0.00", ""),
        (3, "B", "below_threshold", "0.00", ""),
        (4, "C", "not_admissible", "0.00", ""),
        (None, "E", "withdrawn", "0.00", ""),
    ]
    assert result.row("B").reason == "total 59.99 below the threshold 60"
    assert result.row("D").reason == "a threshold of the grid failed"
    assert result.row("E").reason == "withdrawn before the ranking"


def test_each_tie_says_which_tie_break_decided_it():
    applications = [
        app("A", 80, "10000", scores={"A": D(25)}, day=5),
        app("B", 80, "10000", scores={"A": D(20)}, day=1),
        app("C", 70, "10000", scores={"A": D(20)}, day=2),
        app("D", 70, "10000", scores={"A": D(20)}, day=3),
    ]
    result = fund(rules(tie_breaks=("node:A", "submitted_at")), applications)
    assert [(r.application.key, r.decided_by) for r in result.rows] == [
        ("A", "node:A"),
        ("B", "node:A"),
        ("C", "submitted_at"),
        ("D", "submitted_at"),
    ]


def test_the_lot_is_drawn_from_the_seed_and_recorded():
    same = [app(k, 80, "10000") for k in "ABCDEFGH"]
    one = fund(rules(tie_breaks=("lot",), seed="2027-04-02"), same)
    again = fund(rules(tie_breaks=("lot",), seed="2027-04-02"), list(reversed(same)))
    other = fund(rules(tie_breaks=("lot",), seed="another seed"), same)
    assert table(one) == table(again)
    assert all(r.decided_by == "lot" and len(r.lot) == 64 for r in one.rows)
    assert [r.application.key for r in one.rows] != [r.application.key for r in other.rows]


def test_ex_aequo_share_the_position_and_are_funded_in_key_order():
    result = fund(rules(budget="15000"), [app("B", 80, "10000"), app("A", 80, "10000")])
    assert table(result) == [
        (1, "A", "funded", "10000.00", ""),
        (1, "B", "partially_funded", "5000.00", ""),
    ]
    assert {r.decided_by for r in result.rows} == {"tie"}


def test_lines_are_ranked_and_funded_apart():
    two = replace(rules(), lines=(Line("L1", D("10000")), Line("L2", D("10000"))))
    result = fund(two, [app("A", 90, "10000"), app("B", 70, "10000", line="L2")])
    assert [(r.application.line, r.position, r.status) for r in result.rows] == [
        ("L1", 1, "funded"),
        ("L2", 1, "funded"),
    ]


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"policy": "maybe"}, "call: policy 'maybe'"),
        ({"tie_breaks": ("age",)}, "call: tie_breaks: unknown tie-break 'age'"),
        ({"min_grant": D(30000)}, "call: min_grant"),
        ({"lines": (Line("L1", D(10), (Quota("Q", D(20), territory="GR"),)),)}, "line L1: quotas"),
        ({"lines": (Line("L1", D(10), (Quota("Q", D(5)),)),)}, "line L1: quota Q: give"),
        ({"lines": (Line("L1", D(10)), Line("L1", D(10)))}, "line L1: code: declared twice"),
    ],
)
def test_rules_that_do_not_hold_are_refused_naming_the_field(changed, message):
    with pytest.raises(RankingError, match=message):
        fund(replace(rules(), **changed), FIVE)


def test_an_application_on_an_unknown_line_or_given_twice_is_refused():
    with pytest.raises(RankingError, match="application X: line: no line 'L9'"):
        fund(rules(), [app("X", 90, "10000", line="L9")])
    with pytest.raises(RankingError, match="application A: key: given twice"):
        fund(rules(), [app("A", 90, "10000"), app("A", 80, "10000")])


# Scorrimento


def test_a_withdrawal_funds_the_next_eligible_and_keeps_the_grants_made():
    first = fund(rules("partial"), FIVE)
    after = scroll(first, [Event("A", "withdrawn", AT)], AT)
    assert table(after) == [
        (1, "A", "withdrawn", "0.00", ""),
        (2, "B", "funded", "18000.00", ""),
        (3, "C", "funded", "15000.00", ""),
        (4, "D", "funded", "7000.00", ""),
        (5, "E", "funded", "6000.00", ""),
    ]
    assert after.row("A").reason == "withdrawn on 2027-03-01; 20000.00 freed"
    assert after.row("B").reason == "grant kept"
    assert after.row("C").reason == "completed by scorrimento"
    assert after.row("D").reason == "funded by scorrimento"
    assert after.totals()[0].remaining == D("4000.00")
    assert after.events == (Event("A", "withdrawn", AT),)


def test_savings_fund_the_next_and_the_saving_grant_is_not_topped_up_again():
    first = fund(rules("skip"), FIVE)  # A, B, D funded; 5,000 left
    after = scroll(first, [Event("B", "savings", AT, D("5000"))], AT)
    assert after.row("B").granted == D("13000.00")
    assert after.row("B").status == "funded"
    assert after.row("B").reason == "grant kept (savings recorded)"
    # 10,000 free: C (15,000) does not fit, E (6,000) does.
    assert after.row("C").status == "eligible_not_funded"
    assert after.row("E").status == "funded"
    assert after.row("E").reason == "funded by scorrimento"


def test_a_revocation_frees_its_quota_for_the_next_in_that_quota():
    grosseto = Quota("GR", D("10000"), territory="GR")
    applications = [
        app("A", 90, "20000"),
        app("B", 85, "20000"),
        app("G1", 80, "8000", territory="GR"),
        app("G2", 70, "9000", territory="GR"),
    ]
    first = fund(rules("skip", quotas=[grosseto]), applications)
    assert (first.row("G1").quota, first.row("G2").status) == ("GR", "eligible_not_funded")
    after = scroll(first, [Event("G1", "revoked", AT)], AT)
    assert (after.row("G2").status, after.row("G2").quota) == ("funded", "GR")
    assert after.row("A").granted == first.row("A").granted


def test_quota_money_spent_by_the_line_is_not_reserved_again_without_money_freed():
    # Found by the laws: A (Grosseto) does not fit the 10,000 quota, which returns its money
    # to the line; the line funds A partially with all of its 15,000. Nothing is left for B.
    grosseto = Quota("GR", D("10000"), territory="GR")
    applications = [app("A", 90, "20000", territory="GR"), app("B", 80, "8000", territory="GR")]
    first = fund(rules("partial", budget="15000", quotas=[grosseto]), applications)
    assert table(first) == [
        (1, "A", "partially_funded", "15000.00", ""),
        (2, "B", "eligible_not_funded", "0.00", ""),
    ]
    assert table(scroll(first, [], AT)) == table(first)
    after = scroll(first, [Event("A", "withdrawn", AT)], AT)
    assert table(after)[1] == (2, "B", "funded", "8000.00", "GR")
    assert after.totals()[0].remaining == D("7000.00")


def test_an_application_that_ended_a_quota_still_ends_it_in_a_scorrimento():
    # Found by the laws: X does not fit the quota, which ends there (stop) and returns its
    # money; the line funds X and W, then stops at V. Y (Grosseto, lower) stays unfunded, and
    # a scorrimento with no money freed must not fund it from the quota by passing over X.
    grosseto = Quota("GR", D("10000"), territory="GR")
    applications = [
        app("X", 90, "12000", territory="GR"),
        app("W", 85, "20000", territory="FI"),
        app("V", 80, "10000", territory="FI"),
        app("Y", 75, "5000", territory="GR"),
    ]
    first = fund(rules("stop", budget="38000", quotas=[grosseto]), applications)
    assert [r[2] for r in table(first)] == ["funded", "funded"] + ["eligible_not_funded"] * 2
    assert table(scroll(first, [], AT)) == table(first)


def test_no_scorrimento_after_the_ranking_expired():
    valid = rules(valid_until=datetime(2027, 12, 31, 23, tzinfo=UTC))
    first = fund(valid, FIVE)
    later = datetime(2028, 1, 1, tzinfo=UTC)
    with pytest.raises(RankingExpired, match=r"event on A: at: after the ranking's validity"):
        scroll(first, [Event("A", "withdrawn", later)], later)
    with pytest.raises(RankingExpired, match="valid until 2027-12-31T23:00:00"):
        scroll(first, [], later)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (Event("Z", "withdrawn", AT), "event on Z: application: not in the ranking"),
        (Event("D", "revoked", AT), "event on D: kind: only a grant is revoked"),
        (Event("D", "savings", AT, D(1)), "event on D: kind: savings of an unfunded"),
        (Event("A", "savings", AT, D(30000)), "event on A: amount: between 0.01"),
        (Event("A", "forgotten", AT), "event on A: kind: 'forgotten'"),
    ],
)
def test_events_that_cannot_apply_are_refused(event, message):
    first = fund(rules("partial"), FIVE)
    with pytest.raises(RankingError, match=message):
        scroll(first, [event], AT)


def test_an_application_is_withdrawn_only_once():
    first = fund(rules(), FIVE)
    after = scroll(first, [Event("E", "withdrawn", AT)], AT)
    with pytest.raises(RankingError, match="event on E: application: already withdrawn"):
        scroll(after, [Event("E", "withdrawn", AT)], AT)
