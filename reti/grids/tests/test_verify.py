"""`reti grids verify` (actions.verify) compares stored traces as the database's text, cheaply;
these tests pin its verdicts to those of decoding and comparing the data (scoring.run and
scoring.stored), on SQLite and PostgreSQL."""

import json
import random

from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from reti.grids import actions, scoring
from reti.grids.demo import random_answers
from reti.grids.models import Assessment


def _stored_text(assessment) -> str:
    return (
        Assessment.objects.filter(pk=assessment.pk)
        .annotate(text=Cast("trace", output_field=TextField()))
        .values_list("text", flat=True)
        .get()
    )


def test_the_recomputed_trace_is_written_as_the_database_holds_the_stored_one(submitted_a):
    """So that verify compares texts and decodes no trace that has not changed."""
    parsed = submitted_a.template.engine_template()
    replay = scoring.Replay(parsed, connection.vendor)
    result = replay.result(submitted_a.answers, submitted_a.subject_attributes)
    assert replay.trace_text(result) == _stored_text(submitted_a)
    assert replay.trace_text(result) == _stored_text(submitted_a)  # made from its memo
    assert json.loads(replay.trace_text(result)) == submitted_a.trace


def test_replay_gives_run_s_result_for_any_stored_answers(catalogue):
    rng = random.Random(16)
    for template in catalogue.values():
        parsed = template.engine_template()
        replay = scoring.Replay(parsed, "postgresql")
        for _ in range(20):
            given = {
                code: {**item, "value": scoring.stored_value(item["value"])}
                for code, item in random_answers(parsed, rng).items()
            }
            code = rng.choice(sorted(given))
            given[code] = {**given[code], "value": rng.choice([True, False, "1", "0", None, "x"])}
            subject = {"size_class": rng.choice(["micro", "small", "large"])}
            expected = scoring.run(parsed, given, subject)
            for _twice in range(2):  # converted, then from the memo
                assert replay.result(given, subject) == expected
            data, trace = scoring.stored(expected)
            assert json.loads(replay.trace_text(expected)) == trace
            assert replay.differences(given, subject, data, json.dumps(trace)) == []


def test_verify_reports_a_changed_trace_not_one_written_differently(submitted_a):
    assert list(actions.verify()) == []
    same = json.loads(_stored_text(submitted_a))
    Assessment.objects.filter(pk=submitted_a.pk).update(trace=same[::-1][::-1])
    rewritten = json.dumps(same, sort_keys=True, separators=(",", ":"))
    with connection.cursor() as cursor:  # the same trace in another JSON text, where it stays
        column = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
        cursor.execute(
            f"UPDATE grids_assessment SET trace = {column} WHERE id = %s",
            [rewritten, submitted_a.pk],
        )
    assert list(actions.verify()) == []
    changed = json.loads(rewritten)
    scored = next(entry for entry in changed if entry["points"] not in (None, "0.00"))
    scored["points"] = "0.00"
    Assessment.objects.filter(pk=submitted_a.pk).update(trace=changed)
    [(found, differences)] = list(actions.verify())
    assert found.pk == submitted_a.pk and differences == ["trace"]
    assert found.template.code == "small-grant-merit"
