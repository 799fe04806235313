"""`reti grants replay FILE`: a whole call from one YAML or JSON file, ranked and funded.

`load(text, name)` reads the file into `Rules`, `Application`s and `Event`s, computing scores
from evaluators' answers with the grid engine when they are given; `run` calls
`ranking.fund`, then `ranking.scroll` once per event in time order, and `as_json` writes the
result. Pure Python, no Django (a test holds it to that). docs/grants.md describes the
format with a full example.

Scores, in words: an application gives either `score` (the final total, with `nodes` for the
node:<code> tie-breaks) or `evaluations` (each evaluator's answers on the call's `grid` from
the catalogue) with an optional `consensus`. With a consensus, its answers are evaluated once
and give the total, the node scores and the outcome. Without, each evaluator's answers are
evaluated and the total (and each node's points) is the mean of the evaluators' figures,
rounded half up to 2 decimals; a gate failed in any evaluation makes the application not
admissible, and a node threshold that fails (`threshold_effect: fail`) is judged on the
node's mean points.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import yaml

from reti.grants import ranking
from reti.grids import engine
from reti.grids.scoring import to_engine
from reti.lib.money import quantize

ROME = ZoneInfo("Europe/Rome")
POINTS = Decimal("0.01")
FIELDS = {
    "file": {"call", "applications", "events"},
    "call": {"title", "grid", "threshold", "min_grant", "max_grant", "partial_funding",
             "tie_breaks", "seed", "valid_until", "lines"},
    "line": {"code", "budget", "quotas"},
    "quota": {"code", "territory", "applicant_type", "amount"},
    "application": {"key", "line", "territory", "applicant_type", "requested", "submitted_at",
                    "admissible", "withdrawn", "score", "nodes", "merit_failed", "evaluations",
                    "consensus"},
    "evaluation": {"evaluator", "answers"},
    "event": {"application", "kind", "at", "amount"},
}  # fmt: skip


class ReplayError(ValueError):
    """Every problem found in a replay file, each naming the application (or part) and field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class _Reader:
    def __init__(self):
        self.problems: list[str] = []

    def fail(self, where: str, field: str, message: str):
        self.problems.append(f"{where}: {field}: {message}")

    def known(self, data: Mapping, kind: str, where: str):
        """A problem for each field a `kind` of part does not have (a typo, most often)."""
        for key in sorted(set(map(str, data)) - FIELDS[kind]):
            self.fail(where, key, "unknown field")

    def flag(self, data: Mapping, key: str, where: str, default: bool) -> bool:
        raw = data.get(key, default)
        if not isinstance(raw, bool):
            self.fail(where, key, "must be true or false")
            return default
        return raw

    def decimal(self, data: Mapping, key: str, where: str, *, required=True, money=False):
        raw = data.get(key)
        if raw is None:
            if required:
                self.fail(where, key, "missing")
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
            self.fail(where, key, f"not a number: {raw!r}")
            return None
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            self.fail(where, key, f"not a number: {raw!r}")
            return None
        if not value.is_finite():
            self.fail(where, key, f"not a number: {raw!r}")
            return None
        return quantize(value) if money else value

    def moment(self, data: Mapping, key: str, where: str, *, required=False, end_of_day=False):
        raw = data.get(key)
        if raw is None or raw == "":
            if required:
                self.fail(where, key, "missing")
            return None
        if isinstance(raw, str):
            text = raw.strip()
            try:
                raw = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
            except ValueError:
                self.fail(where, key, f"not a date-time: {raw!r}")
                return None
        if isinstance(raw, datetime):
            return raw if raw.tzinfo else raw.replace(tzinfo=ROME)
        if isinstance(raw, date):
            at = datetime.combine(raw, time(0), tzinfo=ROME)
            return at + timedelta(days=1, microseconds=-1) if end_of_day else at
        self.fail(where, key, f"not a date-time: {raw!r}")
        return None

    def text(self, data: Mapping, key: str, where: str, *, required=False, default=""):
        raw = data.get(key, default)
        if raw is None or raw == "":
            if required:
                self.fail(where, key, "missing")
            return default
        if not isinstance(raw, str | int) or isinstance(raw, bool):
            self.fail(where, key, f"not a text: {raw!r}")
            return default
        return str(raw)

    def mapping(self, data: Mapping, key: str, where: str, *, required=False):
        raw = data.get(key)
        if raw is None:
            if required:
                self.fail(where, key, "missing")
            return {}
        if not isinstance(raw, Mapping):
            self.fail(where, key, "must be a mapping")
            return {}
        return raw

    def items(self, data: Mapping, key: str, where: str, *, required=False):
        raw = data.get(key)
        if raw is None:
            if required:
                self.fail(where, key, "missing")
            return []
        if not isinstance(raw, list) or not all(isinstance(x, Mapping) for x in raw):
            self.fail(where, key, "must be a list of mappings")
            return []
        return raw


def parse(text: str, name: str = "") -> dict:
    """The file's data: JSON when `name` ends in .json, else YAML."""
    try:
        if name.endswith(".json"):
            data = json.loads(text, parse_float=Decimal)
        else:
            data = yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise ReplayError([f"file: syntax: {error}"]) from None
    if not isinstance(data, Mapping):
        raise ReplayError(["file: top level: must be a mapping with call and applications"])
    return data


def load(text: str, name: str = "") -> tuple[ranking.Rules, list, list]:
    """Rules, applications and events from the file's text; ReplayError lists every problem."""
    data = parse(text, name)
    read = _Reader()
    read.known(data, "file", "file")
    call = read.mapping(data, "call", "file", required=True)
    read.known(call, "call", "call")
    rules = _rules(read, call)
    template = None
    grid = read.text(call, "grid", "call")
    if grid:
        template = engine.catalogue().get(grid)
        if template is None:
            read.fail("call", "grid", f"no grid '{grid}' in the catalogue")
    if rules is not None and call.get("threshold") is None and template is not None:
        rules = _replace_threshold(rules, template.threshold)
    applications = []
    for i, item in enumerate(read.items(data, "applications", "file", required=True), 1):
        application = _application(read, item, i, template, grid)
        if application is not None:
            applications.append(application)
    events = []
    for i, item in enumerate(read.items(data, "events", "file"), 1):
        where = f"event {i}"
        key = read.text(item, "application", where, required=True)
        if key:
            where = f"event on {key}"
        read.known(item, "event", where)
        kind = read.text(item, "kind", where, required=True)
        if kind and kind not in ranking.EVENTS:
            read.fail(where, "kind", f"'{kind}' is not one of {', '.join(ranking.EVENTS)}")
        at = read.moment(item, "at", where, required=True)
        amount = read.decimal(item, "amount", where, required=kind == "savings", money=True)
        events.append(ranking.Event(key, kind, at, amount))
    if read.problems:
        raise ReplayError(read.problems)
    try:
        ranking.check_rules(rules)
    except ranking.RankingError as error:
        raise ReplayError([str(error)]) from None
    return rules, applications, events


def _replace_threshold(rules, threshold):
    return replace(rules, threshold=threshold if threshold is not None else Decimal(0))


def _rules(read: _Reader, call: Mapping) -> ranking.Rules | None:
    lines = []
    for i, item in enumerate(read.items(call, "lines", "call", required=True), 1):
        code = read.text(item, "code", f"line {i}", required=True)
        where = f"line {code or i}"
        read.known(item, "line", where)
        budget = read.decimal(item, "budget", where, money=True)
        quotas = []
        for j, q in enumerate(read.items(item, "quotas", where), 1):
            qcode = read.text(q, "code", f"{where}: quota {j}", required=True)
            qwhere = f"{where}: quota {qcode or j}"
            read.known(q, "quota", qwhere)
            amount = read.decimal(q, "amount", qwhere, money=True)
            quotas.append(
                ranking.Quota(
                    qcode,
                    amount,
                    read.text(q, "territory", qwhere),
                    read.text(q, "applicant_type", qwhere),
                )
            )
        lines.append(ranking.Line(code, budget, tuple(quotas)))
    min_grant = read.decimal(call, "min_grant", "call", money=True)
    max_grant = read.decimal(call, "max_grant", "call", money=True)
    threshold = read.decimal(call, "threshold", "call", required=False)
    tie_breaks = call.get("tie_breaks") or []
    if not isinstance(tie_breaks, list) or not all(isinstance(t, str) for t in tie_breaks):
        read.fail("call", "tie_breaks", "must be a list of node:<code>, submitted_at, lot")
        tie_breaks = []
    policy = read.text(call, "partial_funding", "call", default="partial")
    if policy not in ranking.POLICIES:
        read.fail("call", "partial_funding", f"'{policy}' is not one of partial, skip, stop")
    valid_until = read.moment(call, "valid_until", "call", end_of_day=True)
    if read.problems:
        return None
    return ranking.Rules(
        lines=tuple(lines),
        min_grant=min_grant,
        max_grant=max_grant,
        threshold=threshold if threshold is not None else Decimal(0),
        tie_breaks=tuple(tie_breaks),
        seed=read.text(call, "seed", "call"),
        policy=policy,
        valid_until=valid_until,
    )


def _application(read, item, i, template, grid) -> ranking.Application | None:
    key = read.text(item, "key", f"application {i}", required=True)
    where = f"application {key or i}"
    before = len(read.problems)
    read.known(item, "application", where)
    line = read.text(item, "line", where, required=True)
    requested = read.decimal(item, "requested", where, money=True)
    submitted_at = read.moment(item, "submitted_at", where)
    withdrawn = read.text(item, "withdrawn", where)
    if withdrawn not in ("", ranking.WITHDRAWN, ranking.REVOKED):
        read.fail(where, "withdrawn", f"'{withdrawn}' is not withdrawn or revoked")
    admissible = read.flag(item, "admissible", where, True)
    merit_failed = False
    scores: dict[str, Decimal] = {}
    if "score" in item and ("evaluations" in item or "consensus" in item):
        read.fail(where, "score", "give either score or evaluations/consensus, not both")
        return None
    if "score" in item:
        total = read.decimal(item, "score", where)
        for code, raw in read.mapping(item, "nodes", where).items():
            value = read.decimal({str(code): raw}, str(code), f"{where}: nodes")
            if value is not None:
                scores[str(code)] = value
        merit_failed = read.flag(item, "merit_failed", where, False)
    elif "evaluations" in item or "consensus" in item:
        if template is None:
            read.fail(where, "evaluations", "the call names no grid to evaluate them with")
            return None
        total, scores, gate_failed, merit_failed = _scored(read, item, where, template, grid)
        admissible = admissible and not gate_failed
    else:
        read.fail(where, "score", "give score, or evaluations (with an optional consensus)")
        return None
    if len(read.problems) > before:
        return None
    return ranking.Application(
        key=key,
        line=line,
        requested=requested,
        total=total,
        scores=scores,
        territory=read.text(item, "territory", where),
        applicant_type=read.text(item, "applicant_type", where),
        admissible=admissible,
        merit_failed=merit_failed,
        submitted_at=submitted_at,
        withdrawn=withdrawn,
    )


def _evaluate(read, answers, where, template):
    if not isinstance(answers, Mapping):
        read.fail(where, "answers", "must be a mapping of node code to answer")
        return None
    given = to_engine(template, answers)
    # Values only: justifications and evidence stay in the web flow, not in a replay file.
    problems = [p for p in engine.check_answers(template, given) if p.field in ("node", "value")]
    for problem in problems:
        read.fail(where, f"answers.{problem.node}", problem.message)
    if problems:
        return None
    return engine.evaluate(template, given)


def _scored(read, item, where, template, grid):
    if item.get("consensus") is not None:
        result = _evaluate(read, item["consensus"], f"{where}: consensus", template)
        if result is None:
            return None, {}, False, False
        scores = {c: e.points for c, e in result.nodes.items() if e.points is not None}
        return (result.total, scores, not result.admissible,
                result.outcome == "below_threshold")  # fmt: skip
    results = []
    for j, evaluation in enumerate(read.items(item, "evaluations", where, required=True), 1):
        who = read.text(evaluation, "evaluator", f"{where}: evaluation {j}") or str(j)
        read.known(evaluation, "evaluation", f"{where}: evaluation {who}")
        result = _evaluate(read, evaluation.get("answers"), f"{where}: evaluation {who}", template)
        if result is not None:
            results.append(result)
    if not results:
        if not read.problems:
            read.fail(where, "evaluations", f"at least one evaluation on {grid}")
        return None, {}, False, False
    count = Decimal(len(results))
    total = (sum((r.total for r in results), Decimal(0)) / count).quantize(POINTS, ROUND_HALF_UP)
    scores = {}
    merit_failed = False
    for code in results[0].nodes:
        points = [r.nodes[code].points for r in results]
        if any(p is None for p in points):
            continue
        mean = (sum(points, Decimal(0)) / count).quantize(POINTS, ROUND_HALF_UP)
        scores[code] = mean
        node = template.node(code)
        if node.threshold is not None and node.threshold_effect == "fail" and mean < node.threshold:
            merit_failed = True
    return total, scores, any(not r.admissible for r in results), merit_failed


def run(text: str, name: str = "") -> tuple[ranking.Funding, list]:
    """The final result and, per event applied in time order, the applications it funded."""
    rules, applications, events = load(text, name)
    try:
        result = ranking.fund(rules, applications)
        steps = []
        for event in sorted(events, key=lambda e: (e.at, e.application)):
            before = {r.application.key: r.granted for r in result.rows}
            result = ranking.scroll(result, [event], event.at)
            changed = [
                r.application.key
                for r in result.rows
                if r.granted > before.get(r.application.key, 0)
            ]
            steps.append((event, changed))
    except ranking.RankingError as error:
        raise ReplayError([str(error)]) from None
    return result, steps


def _money(value) -> str:
    return str(quantize(value))


def as_data(result: ranking.Funding, steps) -> dict:
    """The result as JSON-ready data (amounts and scores as strings)."""
    rules = result.rules
    return {
        "call": {
            "policy": rules.policy,
            "threshold": str(rules.threshold),
            "min_grant": _money(rules.min_grant),
            "max_grant": _money(rules.max_grant),
            "tie_breaks": list(rules.tie_breaks),
            "seed": rules.seed,
            "valid_until": rules.valid_until.isoformat() if rules.valid_until else None,
        },
        "ranking": [
            {
                "line": row.application.line,
                "position": row.position,
                "application": row.application.key,
                "score": str(row.application.total),
                "status": row.status,
                "granted": _money(row.granted),
                "requested": _money(row.application.requested),
                "quota": row.quota or None,
                "decided_by": row.decided_by or None,
                "lot": row.lot if row.decided_by == "lot" else None,
                "reason": row.reason,
            }
            for row in result.rows
        ],
        "lines": [
            {
                "line": total.code,
                "budget": _money(total.budget),
                "granted": _money(total.granted),
                "remaining": _money(total.remaining),
                "quotas": [
                    {
                        "quota": q.code,
                        "amount": _money(q.amount),
                        "granted": _money(q.granted),
                        "remaining": _money(q.remaining),
                    }
                    for q in total.quotas
                ],
            }
            for total in result.totals()
        ],
        "events": [
            {
                "application": event.application,
                "kind": event.kind,
                "at": event.at.isoformat(),
                "amount": _money(event.amount) if event.amount is not None else None,
                "funded": funded,
            }
            for event, funded in steps
        ],
    }


def as_json(result: ranking.Funding, steps) -> str:
    return json.dumps(as_data(result, steps), ensure_ascii=False, indent=2) + "\n"
