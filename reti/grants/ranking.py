"""The ranking and funding of a small-grant call (graduatoria e finanziamento): pure Python.

Stored scores in, the ordered list with what decided each tie and the funding decision out.
No Django here (a test holds it to that). Whatever ranks a call calls `fund` and `scroll`:
`reti grants replay` does, and the web flow's ranking runs are to do the same, storing their
inputs and result. docs/grants.md states every rule with a worked example; in short:

- Outcome. An application withdrawn or revoked before the ranking is listed without a
  position. The others are ranked per line with `reti.grids.engine.ranking.rank`: not
  admissible if `admissible` is false; below threshold if its total is below the call's
  threshold or a threshold of the grid failed (`merit_failed`); otherwise eligible (idonea).
  Ties are broken by the call's tie-breaks (node:<code>, submitted_at, lot with the call's
  seed); applications still equal share their position and are funded in the order of their
  key.
- Amount. An application is funded for its request, capped at the call's maximum grant; a
  request below the minimum grant is an error in the inputs.
- Quotas (riserve) first. Each quota of a line reserves part of the line's budget for the
  applications of a territory and/or an applicant type. Quotas are funded first, in the order
  declared, going down the line's ranking among the eligible applications that match and are
  not yet funded; a quota funds only in full. Under `skip` the quota goes on to the next that
  fits; under `stop` and `partial` it ends at the first that does not fit. What a quota does
  not use returns to the line.
- Then the line (graduatoria della linea): the rest of the budget goes down the whole line's
  ranking to the eligible applications not yet funded. When one does not fit in full, the
  partial-funding policy decides: `partial` funds it with what is left if that is at least
  the minimum grant (else it behaves as `skip`); `skip` goes on to the next that fits; `stop`
  funds nobody below it.
- Scorrimento. While the ranking is valid, `scroll` takes a previous result and events
  (withdrawal, revocation, savings): the freed money returns to the line, each quota takes
  back from what the line has the part of its amount it has not granted (so money freed by a
  quota's grant goes to that quota first), and the same two passes run again over the
  applications not yet funded in full (a partially funded one is completed first, being
  higher in the list). Grants already made are kept as they are; the line never grants more
  than its budget. After the ranking's validity, `scroll` refuses (RankingExpired).

Money goes through `reti.lib.money.quantize` (half up to the cent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from reti.grids.engine.ranking import Entry, rank
from reti.lib.money import ZERO, quantize

# The version of these rules, stored with every ranking run: bumped when a rule changes.
ENGINE_VERSION = "1.0"
POLICIES = ("partial", "skip", "stop")
FUNDED = "funded"
PARTIAL = "partially_funded"
NOT_FUNDED = "eligible_not_funded"  # idonea non finanziata
BELOW = "below_threshold"
NOT_ADMISSIBLE = "not_admissible"
WITHDRAWN = "withdrawn"
REVOKED = "revoked"
STATUSES = (FUNDED, PARTIAL, NOT_FUNDED, BELOW, NOT_ADMISSIBLE, WITHDRAWN, REVOKED)
EVENTS = (WITHDRAWN, REVOKED, "savings")


class RankingError(ValueError):
    """Inputs the ranking cannot use; the message names the application (or line) and field."""


class RankingExpired(RankingError):
    """A scorrimento asked for after the ranking's validity ended."""


@dataclass(frozen=True)
class Quota:
    """A reserve (riserva) of a line: `amount` kept for the applications of `territory` and/or
    `applicant_type` (an empty criterion matches every application)."""

    code: str
    amount: Decimal
    territory: str = ""
    applicant_type: str = ""

    def matches(self, application: Application) -> bool:
        return (not self.territory or application.territory == self.territory) and (
            not self.applicant_type or application.applicant_type == self.applicant_type
        )


@dataclass(frozen=True)
class Line:
    """A line of the call (linea di intervento) with its budget and quotas."""

    code: str
    budget: Decimal
    quotas: tuple[Quota, ...] = ()


@dataclass(frozen=True)
class Rules:
    """What the call says about ranking and funding (regole del bando)."""

    lines: tuple[Line, ...]
    min_grant: Decimal
    max_grant: Decimal
    threshold: Decimal
    tie_breaks: tuple[str, ...] = ()
    seed: str = ""
    policy: str = "partial"
    valid_until: datetime | None = None

    def line(self, code: str) -> Line:
        for line in self.lines:
            if line.code == code:
                return line
        raise KeyError(code)


@dataclass(frozen=True)
class Application:
    """An application (domanda) as the ranking sees it: stored scores, not answers."""

    key: str
    line: str
    requested: Decimal
    total: Decimal
    scores: Mapping[str, Decimal] = field(default_factory=dict)
    territory: str = ""
    applicant_type: str = ""
    admissible: bool = True
    merit_failed: bool = False
    submitted_at: datetime | None = None
    withdrawn: str = ""  # "", "withdrawn" or "revoked" (before the ranking)


@dataclass(frozen=True)
class Event:
    """Something that frees money after the ranking: `withdrawn` (rinuncia), `revoked`
    (revoca) or `savings` (economie: `amount` of a grant not spent)."""

    application: str
    kind: str
    at: datetime
    amount: Decimal | None = None


@dataclass(frozen=True)
class Row:
    """One application in the result: its position in its line (None when withdrawn before
    the ranking), status, amount granted, the quota that funded it ("" for the line's open
    money), what decided its place, the lot drawn (if any) and the reason for its status."""

    position: int | None
    application: Application
    status: str
    granted: Decimal
    quota: str
    decided_by: str
    reason: str
    lot: str = ""
    settled: bool = False  # the grant is final (savings recorded): never completed


@dataclass(frozen=True)
class QuotaTotal:
    code: str
    amount: Decimal
    granted: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class LineTotal:
    code: str
    budget: Decimal
    granted: Decimal
    remaining: Decimal
    quotas: tuple[QuotaTotal, ...]


@dataclass(frozen=True)
class Funding:
    """A ranking run: the rules, the rows (lines in declared order, each in ranking order) and
    the events applied since the first run."""

    rules: Rules
    rows: tuple[Row, ...]
    events: tuple[Event, ...] = ()

    def row(self, key: str) -> Row:
        """The row of one application (KeyError when it is not in the call)."""
        for row in self.rows:
            if row.application.key == key:
                return row
        raise KeyError(key)

    def totals(self) -> tuple[LineTotal, ...]:
        out = []
        for line in self.rules.lines:
            rows = [r for r in self.rows if r.application.line == line.code]
            granted = quantize(sum((r.granted for r in rows), ZERO))
            quotas = []
            for quota in line.quotas:
                used = quantize(sum((r.granted for r in rows if r.quota == quota.code), ZERO))
                quotas.append(QuotaTotal(quota.code, quota.amount, used, quota.amount - used))
            out.append(
                LineTotal(line.code, line.budget, granted, line.budget - granted, tuple(quotas))
            )
        return tuple(out)


def amount_for(rules: Rules, application: Application) -> Decimal:
    """What a fully funded application gets: its request, capped at the maximum grant."""
    return quantize(min(application.requested, rules.max_grant))


def outcome(rules: Rules, application: Application) -> str:
    """The ranking outcome: not_admissible, below_threshold or admissible (eligible)."""
    if not application.admissible:
        return NOT_ADMISSIBLE
    if application.merit_failed or application.total < rules.threshold:
        return BELOW
    return "admissible"


def check_rules(rules: Rules) -> None:
    """Raise RankingError naming the line and field of the first inconsistency."""
    if rules.policy not in POLICIES:
        raise RankingError(f"call: policy '{rules.policy}' is not one of {', '.join(POLICIES)}")
    if rules.min_grant <= 0 or rules.max_grant < rules.min_grant:
        raise RankingError("call: min_grant must be positive and not above max_grant")
    if not rules.lines:
        raise RankingError("call: lines: at least one line")
    try:
        rank([], rules.tie_breaks, rules.seed)
    except ValueError as error:
        raise RankingError(f"call: tie_breaks: {error}") from None
    seen = set()
    for line in rules.lines:
        if line.code in seen:
            raise RankingError(f"line {line.code}: code: declared twice")
        seen.add(line.code)
        if line.budget < 0:
            raise RankingError(f"line {line.code}: budget: must not be negative")
        codes = set()
        for quota in line.quotas:
            if quota.code in codes:
                raise RankingError(f"line {line.code}: quota {quota.code}: declared twice")
            codes.add(quota.code)
            if quota.amount < 0:
                raise RankingError(f"line {line.code}: quota {quota.code}: amount is negative")
            if not (quota.territory or quota.applicant_type):
                raise RankingError(
                    f"line {line.code}: quota {quota.code}: give territory or applicant_type"
                )
        if sum((q.amount for q in line.quotas), ZERO) > line.budget:
            raise RankingError(f"line {line.code}: quotas: they add up to more than the budget")


def _check_applications(rules: Rules, applications: Sequence[Application]) -> None:
    lines = {line.code for line in rules.lines}
    keys = set()
    for a in applications:
        if a.key in keys:
            raise RankingError(f"application {a.key}: key: given twice")
        keys.add(a.key)
        if a.line not in lines:
            raise RankingError(f"application {a.key}: line: no line '{a.line}' in the call")
        if a.withdrawn not in ("", WITHDRAWN, REVOKED):
            raise RankingError(f"application {a.key}: withdrawn: '{a.withdrawn}'")
        if a.requested < rules.min_grant:
            raise RankingError(
                f"application {a.key}: requested: {a.requested} is below the minimum grant "
                f"{rules.min_grant}"
            )


def fund(rules: Rules, applications: Iterable[Application]) -> Funding:
    """Rank each line and fund it as the module docstring says; the same result whatever the
    order of `applications`."""
    check_rules(rules)
    applications = list(applications)
    _check_applications(rules, applications)
    rows: list[Row] = []
    for line in rules.lines:
        mine = [a for a in applications if a.line == line.code]
        by_key = {a.key: a for a in mine}
        entries = [
            Entry(a.key, a.total, dict(a.scores), a.submitted_at, outcome(rules, a))
            for a in mine
            if not a.withdrawn
        ]
        for ranked in rank(entries, rules.tie_breaks, rules.seed):
            application = by_key[ranked.entry.subject]
            rows.append(
                Row(ranked.position, application, "", ZERO, "", ranked.decided_by, "", ranked.lot)
            )
        for a in sorted((a for a in mine if a.withdrawn), key=lambda a: a.key):
            why = f"{a.withdrawn} before the ranking"
            rows.append(Row(None, a, a.withdrawn, ZERO, "", "", why))
    return Funding(rules, _allocate(rules, rows, {}, {}, False), ())


def scroll(previous: Funding, events: Iterable[Event], at: datetime) -> Funding:
    """Scorrimento: apply `events` to a previous result at `at` and fund the next eligible
    applications with the money freed; grants already made are kept."""
    rules = previous.rules
    events = tuple(events)
    kept: dict[str, tuple[Decimal, str, bool]] = {}
    rows = list(previous.rows)
    index = {row.application.key: i for i, row in enumerate(rows)}
    for row in rows:
        if row.status in (FUNDED, PARTIAL):
            kept[row.application.key] = (row.granted, row.quota, row.settled)
    for event in events:
        if event.kind not in EVENTS:
            raise RankingError(f"event on {event.application}: kind: '{event.kind}'")
        if rules.valid_until is not None and event.at > rules.valid_until:
            raise RankingExpired(
                f"event on {event.application}: at: after the ranking's validity "
                f"({rules.valid_until.isoformat()})"
            )
        if event.application not in index:
            raise RankingError(f"event on {event.application}: application: not in the ranking")
        i = index[event.application]
        row = rows[i]
        if row.status in (WITHDRAWN, REVOKED):
            raise RankingError(f"event on {event.application}: application: already {row.status}")
        if event.kind == "savings":
            if row.application.key not in kept:
                raise RankingError(f"event on {event.application}: kind: savings of an unfunded")
            granted, quota, _ = kept[row.application.key]
            amount = quantize(event.amount if event.amount is not None else ZERO)
            if amount <= 0 or amount > granted:
                raise RankingError(
                    f"event on {event.application}: amount: between 0.01 and the grant {granted}"
                )
            kept[row.application.key] = (granted - amount, quota, True)
            continue
        if event.kind == REVOKED and row.application.key not in kept:
            raise RankingError(f"event on {event.application}: kind: only a grant is revoked")
        freed = kept.pop(row.application.key, (ZERO, "", False))[0]
        reason = f"{event.kind} on {event.at.date().isoformat()}"
        if freed:
            reason += f"; {freed} freed"
        rows[i] = Row(
            row.position, row.application, event.kind, ZERO, "", row.decided_by, reason, row.lot
        )
    if rules.valid_until is not None and at > rules.valid_until:
        raise RankingExpired(
            f"the ranking was valid until {rules.valid_until.isoformat()}: no scorrimento at "
            f"{at.isoformat()}"
        )
    rows = [r if r.status in (WITHDRAWN, REVOKED) else _with(r, "", ZERO, "", "") for r in rows]
    before = {row.application.key: row.status for row in previous.rows}
    prior = {key: before[key] for key in kept}
    return Funding(rules, _allocate(rules, rows, kept, prior, True), previous.events + events)


def _allocate(
    rules: Rules,
    rows: list[Row],
    kept: Mapping[str, tuple[Decimal, str, bool]],
    prior: Mapping[str, str],
    scrolling: bool,
) -> tuple[Row, ...]:
    """Fill in status, grant, quota and reason of `rows` (in ranking order); `kept` are the
    grants already made (amount, quota, settled) that stay as they are."""
    grants: dict[str, list] = {k: [v[0], v[1], v[2], "", ""] for k, v in kept.items()}
    notes: dict[str, str] = {}
    for line in rules.lines:
        eligible = [
            r.application
            for r in rows
            if r.application.line == line.code
            and not r.status
            and outcome(rules, r.application) == "admissible"
        ]
        position = {r.application.key: r.position for r in rows}
        mine = [grants[a.key] for a in eligible if a.key in grants]
        # What the line still has; each quota reserves from it what it has not granted yet
        # (a quota's money returned to the line and granted there is not reserved again).
        line_left = line.budget - sum((g[0] for g in mine), ZERO)
        left = {}
        reserved = ZERO
        for q in line.quotas:
            unused = q.amount - sum((g[0] for g in mine if g[1] == q.code), ZERO)
            left[q.code] = max(ZERO, min(unused, line_left - reserved))
            reserved += left[q.code]
        open_left = line_left - reserved
        earlier: set[str] = set()
        for quota in line.quotas:
            for a in eligible:
                if not quota.matches(a):
                    continue
                need = amount_for(rules, a)
                have = grants.get(a.key)
                if have is not None:
                    # Funded before this pass: from this quota or one declared before it, it
                    # is passed over; from the line or a later quota (a previous run), it
                    # stops the quota as it did in that run if it does not fit what is left.
                    if have[1] == quota.code or have[1] in earlier or rules.policy == "skip":
                        continue
                    if need <= left[quota.code]:
                        continue
                    break
                if need <= left[quota.code]:
                    left[quota.code] -= need
                    grants[a.key] = [need, quota.code, False, f"funded from quota {quota.code}", ""]
                elif rules.policy == "skip":
                    notes[a.key] = (
                        f"does not fit what is left of quota {quota.code} ({left[quota.code]})"
                    )
                else:
                    notes[a.key] = (
                        f"quota {quota.code} ended here: {left[quota.code]} left, "
                        f"returned to the line"
                    )
                    break
            earlier.add(quota.code)
        open_left += sum(left.values(), ZERO)
        stopped = None
        for a in eligible:
            full = amount_for(rules, a)
            have = grants.get(a.key)
            if have is not None and (have[2] or have[0] >= full or have[1]):
                continue
            got = have[0] if have else ZERO
            need = full - got
            if stopped is not None:
                notes[a.key] = f"funding stopped at position {stopped} (policy stop)"
            elif need <= open_left:
                open_left -= need
                grants[a.key] = [full, "", False, "completed" if got else "funded", ""]
            elif rules.policy == "partial" and open_left > 0 and got + open_left >= rules.min_grant:
                grants[a.key] = [
                    got + open_left,
                    "",
                    False,
                    "partially funded",
                    f": {got + open_left} of {full}",
                ]
                open_left = ZERO
            elif rules.policy == "stop":
                stopped = position[a.key]
                notes[a.key] = f"does not fit what is left ({open_left}); funding stops here"
            elif open_left <= 0:
                notes[a.key] = "budget exhausted"
            else:
                notes[a.key] = f"does not fit what is left of the line ({open_left})"
    out = []
    for r in rows:
        if r.status:
            out.append(r)
            continue
        a = r.application
        state = outcome(rules, a)
        if state == NOT_ADMISSIBLE:
            out.append(_with(r, NOT_ADMISSIBLE, ZERO, "", "not admissible"))
        elif state == BELOW:
            why = (
                "a threshold of the grid failed"
                if a.merit_failed
                else (f"total {a.total} below the threshold {rules.threshold}")
            )
            out.append(_with(r, BELOW, ZERO, "", why))
        elif a.key in grants:
            amount, quota, settled, note, detail = grants[a.key]
            full = amount_for(rules, a)
            status = prior[a.key] if settled else (FUNDED if amount >= full else PARTIAL)
            if not note:
                note = "grant kept" + (" (savings recorded)" if settled else "")
            elif scrolling:
                note += " by scorrimento"
            note += detail
            if status == FUNDED and not settled and a.requested > rules.max_grant:
                note += f" (capped at the maximum grant {rules.max_grant})"
            out.append(
                Row(
                    r.position,
                    a,
                    status,
                    quantize(amount),
                    quota,
                    r.decided_by,
                    note,
                    r.lot,
                    settled,
                )
            )
        else:
            out.append(_with(r, NOT_FUNDED, ZERO, "", notes.get(a.key, "budget exhausted")))
    return tuple(out)


def _with(row: Row, status: str, granted: Decimal, quota: str, reason: str) -> Row:
    return replace(row, status=status, granted=granted, quota=quota, reason=reason, settled=False)
