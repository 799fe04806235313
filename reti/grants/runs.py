"""From stored records to a ranking run and back: the replay document of a call.

A run is computed from what it stores, never from what happened to be in memory: the web
flow writes the call's rules and the applications (as the ranking sees them) in the format
`reti grants replay` reads (docs/grants.md), then runs `replay.run` on that text, which reads
it with `replay.load` and calls `ranking.fund` (and `ranking.scroll` once per event). So the
replay file a run exports gives its stored result again, by construction and by test.

What an application is to the ranking:

- `key`: its protocol number (public, stored, unique); `submitted_at`: its receipt's time;
- `line`, `requested`, `applicant_type`; `territory`: its territory's code, or the code of
  the nearest territory above it that a quota of the call names (a quota for a province
  matches the applications of its municipalities);
- `admissible`: the officer's admissibility decision (`Admissibility.outcome`) is
  `admitted`, and the committee's consensus passed the grid's gates;
- `score` and `nodes`: the committee's consensus result (total and each node's points);
  `merit_failed`: the consensus outcome is `below_threshold` (as a replay's consensus);
- `withdrawn`: "withdrawn" for an application withdrawn after submission.

Tie-breaks of the call: `submitted_at` as is; `protocol_number` orders as `submitted_at`
(the number is taken under lock with the server clock, so it follows the submission time);
`requested_amount` (the lower first) and `cofinancing_share` (the higher first) are written
as node scores the engine reads, `call:requested_amount` (minus the request) and
`call:cofinancing_share` (cofinancing over the total cost); ':' is never in a grid's codes.
"""

import json
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from reti.grids import engine
from reti.grids.models import Assessment, ConsensusRecord
from reti.lib.money import quantize

from . import ranking, replay
from .models import Admissibility, Application, Call, RankingRun

TIE_BREAKS = {
    "submitted_at": "submitted_at",
    "protocol_number": "submitted_at",
    "requested_amount": "node:call:requested_amount",
    "cofinancing_share": "node:call:cofinancing_share",
}
SHARE = Decimal("0.000001")


def _money(value) -> str:
    return str(quantize(value))


def _quota_code(quota, seen: set) -> str:
    base = quota.territory.code if quota.territory_id else quota.applicant_type
    code, n = base, 2
    while code in seen:
        code, n = f"{base}-{n}", n + 1
    seen.add(code)
    return code


def threshold(call: Call) -> Decimal:
    """The call's merit threshold, else its grid's, else none (0)."""
    if call.merit_threshold is not None:
        return call.merit_threshold
    if call.grid_template_id:
        found = call.grid_template.engine_template().threshold
        if found is not None:
            return found
    return Decimal(0)


def call_rules(call: Call, seed: str = "", valid_until=None) -> dict:
    """The `call` part of the replay document: lines, quotas, money rules, tie-breaks."""
    lines = []
    for line in call.lines.prefetch_related("quotas__territory").order_by("code"):
        seen: set[str] = set()
        quotas = []
        for quota in line.quotas.all():
            item = {"code": _quota_code(quota, seen), "amount": _money(quota.amount)}
            if quota.territory_id:
                item["territory"] = quota.territory.code
            if quota.applicant_type:
                item["applicant_type"] = quota.applicant_type
            quotas.append(item)
        lines.append({"code": line.code, "budget": _money(line.budget), "quotas": quotas})
    breaks = []
    for name in call.tie_breaks or []:
        mapped = TIE_BREAKS[name]
        if mapped not in breaks:
            breaks.append(mapped)
    rules = {
        "title": call.title_it,
        "threshold": str(threshold(call)),
        "min_grant": _money(call.min_grant),
        "max_grant": _money(call.max_grant),
        "partial_funding": call.partial_funding_policy,
        "tie_breaks": breaks,
        "seed": seed,
        "lines": lines,
    }
    if valid_until is not None:
        rules["valid_until"] = valid_until.isoformat()
    return rules


def _quota_territory(territory, quota_codes: set) -> str:
    current, steps = territory, 0
    while current is not None and steps < 8:
        if current.code in quota_codes:
            return current.code
        current, steps = current.parent, steps + 1
    return territory.code


def consensus_of(call: Call) -> dict[int, Assessment]:
    """The committee's consensus assessment of each application, by application id."""
    if call.committee_id is None:
        return {}
    kind = ContentType.objects.get_for_model(Application)
    records = ConsensusRecord.objects.filter(
        committee_id=call.committee_id, subject_type=kind
    ).select_related("assessment")
    return {record.subject_id: record.assessment for record in records}


def applications_of(call: Call) -> tuple[list[dict], dict[str, Application], list[str]]:
    """The applications as the ranking sees them, the applications by key, and the problems
    that keep the call from being ranked (each naming the application)."""
    quota_codes = set(
        call.lines.filter(quotas__territory__isnull=False).values_list(
            "quotas__territory__code", flat=True
        )
    )
    consensus = consensus_of(call)
    decided = {a.application_id: a for a in Admissibility.objects.filter(application__call=call)}
    rows, by_key, problems = [], {}, []
    applications = (
        Application.objects.filter(call=call, receipt__isnull=False)
        .exclude(status=Application.Status.DRAFT)
        .select_related("receipt", "line", "organisation", "territory__parent__parent__parent")
        .order_by("receipt__protocol_number")
    )
    for application in applications:
        key = application.receipt.protocol_number
        name = f"{key} ({application.organisation.name_it})"
        item = {"key": key}
        if application.line is None or application.requested_amount is None:
            problems.append(
                _("Domanda %(name)s: mancano linea o contributo richiesto.") % {"name": name}
            )
            continue
        item["line"] = application.line.code
        if application.territory_id:
            item["territory"] = _quota_territory(application.territory, quota_codes)
        if application.applicant_type:
            item["applicant_type"] = application.applicant_type
        item["requested"] = _money(application.requested_amount)
        item["submitted_at"] = timezone.localtime(application.receipt.submitted_at).isoformat()
        nodes = {}
        total, admissible, merit_failed = Decimal(0), True, False
        if application.status == Application.Status.WITHDRAWN:
            item["withdrawn"] = ranking.WITHDRAWN
        else:
            decision = decided.get(application.pk)
            outcome = decision.outcome if decision else Admissibility.Outcome.PENDING
            if outcome == Admissibility.Outcome.PENDING:
                problems.append(
                    _("Domanda %(name)s: l'ammissibilità non è ancora decisa.") % {"name": name}
                )
                continue
            if outcome == Admissibility.Outcome.NOT_ADMISSIBLE:
                admissible = False
            else:
                assessment = consensus.get(application.pk)
                if assessment is None or not assessment.is_submitted:
                    problems.append(
                        _("Domanda %(name)s: manca la decisione collegiale della commissione.")
                        % {"name": name}
                    )
                    continue
                result = engine.Result.from_dict(assessment.full_result)
                total = result.total
                admissible = result.admissible
                merit_failed = result.outcome == "below_threshold"
                nodes = {
                    code: str(entry.points)
                    for code, entry in result.nodes.items()
                    if entry.points is not None
                }
        nodes["call:requested_amount"] = str(-Decimal(item["requested"]))
        cost = (application.requested_amount or 0) + (application.cofinancing_amount or 0)
        if cost:
            share = Decimal(application.cofinancing_amount or 0) / Decimal(cost)
            nodes["call:cofinancing_share"] = str(share.quantize(SHARE))
        item.update(
            admissible=admissible,
            merit_failed=merit_failed,
            score=str(total),
            nodes=nodes,
        )
        rows.append(item)
        by_key[key] = application
    return rows, by_key, problems


def document(run: RankingRun) -> dict:
    """The run's replay document: its rules, its applications and its events."""
    data = {"call": run.rules, "applications": run.inputs["applications"]}
    if run.inputs.get("events"):
        data["events"] = run.inputs["events"]
    return data


def export_text(run: RankingRun) -> str:
    """The replay file of a run (JSON): `reti grants replay` gives its stored result."""
    return json.dumps(document(run), ensure_ascii=False, indent=2) + "\n"


def compute(data: dict) -> dict:
    """The result (as stored) of a replay document; ValidationError when it cannot be
    ranked, with the ranking's message naming the application and field."""
    text = json.dumps(data, ensure_ascii=False)
    try:
        result, steps = replay.run(text, "run.json")
    except replay.ReplayError as error:
        raise ValidationError(
            [
                _("Dati non utilizzabili per la graduatoria: %(problem)s") % {"problem": p}
                for p in error.problems
            ]
        ) from None
    return replay.as_data(result, steps)


def replays(run: RankingRun) -> bool:
    """Whether the run's stored inputs and rules give its stored result again."""
    try:
        return compute(document(run)) == run.result
    except ValidationError:
        return False


def diff(run: RankingRun, other: RankingRun | None) -> list[dict]:
    """What changed for each application from `other` to `run` (position, status, amount)."""
    if other is None:
        return []
    before = {row["application"]: row for row in other.result["ranking"]}
    changes = []
    for row in run.result["ranking"]:
        old = before.pop(row["application"], None)
        keys = ("position", "status", "granted", "score")
        if old is None or any(old[k] != row[k] for k in keys):
            changes.append({"key": row["application"], "before": old, "after": row})
    for key, old in before.items():
        changes.append({"key": key, "before": old, "after": None})
    return changes


def grant_of(application: Application):
    """The application's grant (grant management), or None before the funding decision."""
    try:
        return getattr(application, "grant", None)
    except ObjectDoesNotExist:
        return None


def cup(application: Application) -> str:
    """The CUP (codice unico di progetto) of the grant, when grant management records one
    on the application's grant (`application.grant.cup`); empty otherwise."""
    try:
        grant = getattr(application, "grant", None)
    except ObjectDoesNotExist:
        return ""
    return str(getattr(grant, "cup", "") or "")
