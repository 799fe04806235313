"""`to_engine` with a memo (what `verify` uses over thousands of rows) reads every stored
answer exactly as without one, whatever the answers met before."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reti.grids import scoring
from reti.grids.engine import bench, evaluate

TEMPLATE = bench.grid()
KINDS = scoring.scale_kinds(TEMPLATE)
CODES = [node.code for node in TEMPLATE.walk() if node.kind != "area"]

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 25),
    st.floats(0, 20, allow_nan=False).map(lambda f: round(f, 1)),
    st.sampled_from(["a", "b", "c", "d", "sì", "no", "true", "1", "1,5", "7.0", " 3 ", ""]),
)
evidence = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {"kind": st.sampled_from(["url", "file"]), "ref": st.text(max_size=3)}
        ),
        st.tuples(st.just("url"), st.text(max_size=3)),
    ),
    max_size=2,
)
stored_answer = st.one_of(
    values,
    st.fixed_dictionaries(
        {"value": values},
        optional={
            "justification": st.sampled_from(["", "vedi allegato", None]),
            "evidence": evidence,
        },
    ),
)
answer_sets = st.lists(
    st.dictionaries(st.sampled_from(CODES), stored_answer, max_size=len(CODES)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(answer_sets)
def test_a_memo_never_changes_what_an_answer_reads_as(sets):
    memo = {}
    for answers in sets:
        plain = scoring.to_engine(TEMPLATE, answers, KINDS)
        assert scoring.to_engine(TEMPLATE, answers, KINDS, memo) == plain
        # Equal is not enough where Python's equality is loose (True == 1 == 1.0): same types.
        remembered = scoring.to_engine(TEMPLATE, answers, KINDS, memo)
        for code, answer in plain.items():
            assert type(remembered[code].value) is type(answer.value)


@settings(max_examples=60, deadline=None)
@given(answer_sets)
def test_results_with_and_without_the_memo_are_the_same(sets):
    answers_memo, entries_memo = {}, {}
    for answers in sets:
        result = scoring.run(TEMPLATE, answers, {}, KINDS, answers_memo)
        assert scoring.stored(result, entries_memo) == scoring.stored(
            evaluate(TEMPLATE, scoring.to_engine(TEMPLATE, answers), {})
        )
