"""Use cases after the deadline: the committee, ranking runs, appeals, scorrimento.

The committee is a grids committee on the call's grid (reti.grids does the blind scoring,
the balanced assignment, the conflict checks and the consensus; grids knows nothing of
calls). A ranking run is computed from a replay document written from the stored records
(reti.grants.runs) and stored whole with its entries; publication dates it, opens the
appeal window of a provisional run and starts the validity of a final one. A scorrimento is
a new run from the current one with one more event.

Made safe this way: every action that numbers or publishes a run, or decides on an appeal,
first locks the call's row (`select_for_update`; on SQLite the write transaction itself,
opened IMMEDIATE, serialises writers), so runs are numbered one after another and two
scorrimenti never start from the same run. Deadlines are read on the server clock
(`reti.grants.clock`) once the lock is held. E-mails leave after the transaction commits.
"""

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.grids import actions as grids
from reti.grids.models import Committee, CommitteeMember, GridTemplate
from reti.lib import audit
from reti.lib.money import quantize

from .. import clock, emails, permissions, ranking, runs
from ..models import Admissibility, Appeal, Application, Call, RankingEntry, RankingRun

Kind = RankingRun.Kind
# Audit reasons, stored in Italian and translated when shown (reti.lib.audit).
COMMITTEE_OPENED = gettext_noop("Commissione di valutazione aperta")
COMMITTEE_MEMBER = gettext_noop("Componente della commissione nominato")
RUN_MADE = gettext_noop("Graduatoria elaborata")
RUN_PUBLISHED = gettext_noop("Graduatoria pubblicata")
SCROLLED = gettext_noop("Scorrimento della graduatoria")
APPEAL_LODGED = gettext_noop("Ricorso presentato")
APPEAL_UPHELD = gettext_noop("Ricorso accolto")
APPEAL_REJECTED = gettext_noop("Ricorso respinto")
ADMITTED_ON_APPEAL = gettext_noop("Ammessa a seguito di ricorso")
REOPENED_ON_APPEAL = gettext_noop("Valutazione riaperta a seguito di ricorso")
RERUN_AFTER_APPEALS = gettext_noop("Rielaborata dopo i ricorsi accolti")
EVENT_KINDS = (ranking.WITHDRAWN, ranking.REVOKED, "savings")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked_call(call: Call) -> Call:
    return Call.objects.select_for_update().select_related("global_grant").get(pk=call.pk)


# --- the committee -------------------------------------------------------------------------


@transaction.atomic
def open_committee(
    user, call: Call, *, chair, members=(), secretary=None, evaluators_per_subject: int = 2
) -> Committee:
    """Open the call's evaluation committee on its grid, after the deadline, and put the
    admitted applications before it; the chair and members score, the chair decides."""
    call = _locked_call(call)
    _require(permissions.can_open_committee(user, call), "You do not open this committee.")
    template = call.grid_template
    if template is None or template.status != GridTemplate.Status.PUBLISHED:
        raise ValidationError({"grid_template": _("Il bando non ha una griglia pubblicata.")})
    if chair is None:
        raise ValidationError({"chair": _("Indicare il presidente della commissione.")})
    people = [(chair, CommitteeMember.Role.CHAIR)]
    people += [(m, CommitteeMember.Role.MEMBER) for m in members if m.pk != chair.pk]
    if secretary is not None:
        if any(secretary.pk == person.pk for person, _role in people):
            raise ValidationError({"secretary": _("Il segretario non è anche valutatore.")})
        people.append((secretary, CommitteeMember.Role.SECRETARY))
    if evaluators_per_subject < 1 or evaluators_per_subject > len(people) - bool(secretary):
        raise ValidationError(
            {"evaluators_per_subject": _("Più valutatori per domanda che componenti.")}
        )
    committee = Committee(
        name_it=f"Commissione di valutazione — {call.code}",
        name_en=f"Evaluation committee — {call.code}",
        template=template,
        evaluators_per_subject=evaluators_per_subject,
        synthetic=call.synthetic,
    )
    audit.save(committee, user, COMMITTEE_OPENED)
    for person, role in people:
        audit.save(
            CommitteeMember(committee=committee, user=person, role=role), user, COMMITTEE_MEMBER
        )
    call.committee = committee
    audit.save(call, user, COMMITTEE_OPENED)
    add_admitted(user, call)
    return committee


def admitted_applications(call: Call):
    return Application.objects.filter(
        call=call,
        status=Application.Status.SUBMITTED,
        admissibility__outcome=Admissibility.Outcome.ADMITTED,
    ).order_by("submitted_at", "pk")


@transaction.atomic
def add_admitted(user, call: Call) -> list:
    """Put before the committee every admitted application not yet before it."""
    call = _locked_call(call)
    _require(permissions.can_run_ranking(user, call), "You do not manage this committee.")
    return grids.add_subjects(user, call.committee, list(admitted_applications(call)))


# --- ranking runs --------------------------------------------------------------------------


def _store(
    user, call, kind, data, result, *, previous=None, reason="", why=RUN_MADE, **dates
) -> RankingRun:
    last = call.ranking_runs.order_by("-number").first()
    run = RankingRun(
        call=call,
        number=(last.number if last else 0) + 1,
        kind=kind,
        previous=previous if previous is not None else last,
        seed=data["call"].get("seed", ""),
        inputs={k: v for k, v in data.items() if k != "call"},
        rules=data["call"],
        result=result,
        engine_version=ranking.ENGINE_VERSION,
        reason=reason,
        created_by=user,
        created_at=clock.now(),
        **dates,
    )
    audit.save(run, user, audit.reason(why, reason[:200]))
    ids = dict(
        Application.objects.filter(call=call, receipt__isnull=False).values_list(
            "receipt__protocol_number", "pk"
        )
    )
    for row in result["ranking"]:
        entry = RankingEntry(
            run=run,
            application_id=ids[row["application"]],
            line=row["line"],
            position=row["position"],
            # Shown to three decimals (half up); the exact score stays in `result`.
            score=Decimal(row["score"]).quantize(Decimal("0.001"), ROUND_HALF_UP),
            status=row["status"],
            granted=Decimal(row["granted"]),
            quota=row["quota"] or "",
            decided_by=row["decided_by"] or "",
            reason=row["reason"][:300],
        )
        entry.full_clean(exclude=["run"])
        entry.save()
    return run


def _final_blockers(call: Call) -> list[str]:
    runs_ = call.ranking_runs.exclude(published_at=None)
    provisional = runs_.filter(kind=Kind.PROVISIONAL).order_by("-number").first()
    if provisional is None:
        return [_("Prima si pubblica la graduatoria provvisoria.")]
    problems = []
    if clock.now() <= provisional.appeal_deadline:
        deadline = timezone.localtime(provisional.appeal_deadline)
        problems.append(
            _("Il termine per i ricorsi scade il %(date)s: la graduatoria definitiva viene dopo.")
            % {"date": deadline.strftime("%d/%m/%Y %H:%M")}
        )
    pending = Appeal.objects.filter(application__call=call, decision=Appeal.Decision.PENDING)
    if pending.exists():
        problems.append(
            _("Ricorsi ancora da decidere: %(n)s. La graduatoria definitiva attende.")
            % {"n": pending.count()}
        )
    return problems


def _upheld_since(call: Call) -> list[Appeal]:
    last = call.ranking_runs.order_by("-number").first()
    appeals = Appeal.objects.filter(application__call=call, decision=Appeal.Decision.UPHELD)
    if last is not None:
        appeals = appeals.filter(decided_at__gt=last.created_at)
    return list(appeals.order_by("pk"))


@transaction.atomic
def run_ranking(user, call: Call, kind: str, reason: str = "") -> RankingRun:
    """Rank and fund the call from its stored records (`ranking.fund`); the run is stored
    whole with its entries, unpublished. `kind`: provisional or final."""
    call = _locked_call(call)
    _require(permissions.can_run_ranking(user, call), "You do not rank this call.")
    if kind not in (Kind.PROVISIONAL, Kind.FINAL):
        raise ValidationError({"kind": _("Si elabora una graduatoria provvisoria o definitiva.")})
    published = call.ranking_runs.exclude(published_at=None)
    if published.filter(kind__in=[Kind.FINAL, Kind.SCROLL]).exists():
        raise ValidationError(
            _("La graduatoria definitiva è pubblicata: da ora cambia solo per scorrimento.")
        )
    if kind == Kind.FINAL:
        problems = _final_blockers(call)
        if problems:
            raise ValidationError(problems)
    applications, _by_key, problems = runs.applications_of(call)
    if problems:
        raise ValidationError(problems)
    if not applications:
        raise ValidationError(_("Nessuna domanda presentata da mettere in graduatoria."))
    data = {
        "call": runs.call_rules(call, seed=call.committee.ranking_seed),
        "applications": applications,
    }
    result = runs.compute(data)
    reason = (reason or "").strip()
    upheld = _upheld_since(call)
    if upheld and not reason:
        reason = _("Ricorsi accolti: %(ids)s") % {"ids": ", ".join(f"n. {a.pk}" for a in upheld)}
    return _store(user, call, kind, data, result, reason=reason)


def _end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _add_months(day, months: int):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def publish_run(user, run: RankingRun) -> RankingRun:
    """Publish a provisional run (its appeal window opens: `call.appeal_window_days` to the
    end of the last day, Italian time) or a final one (valid `call.ranking_validity_months`
    from today; the committee's results are published with it, so each applicant reads the
    committee's sheet of its application); every applicant is told the outcome by e-mail,
    in their language."""
    call = _locked_call(run.call)
    run = RankingRun.objects.select_for_update().get(pk=run.pk)
    _require(permissions.can_publish_run(user, run), "You do not publish this run.")
    latest = call.ranking_runs.order_by("-number").first()
    if latest.pk != run.pk:
        raise ValidationError(
            _("Si pubblica solo l'ultima elaborazione (n. %(n)s).") % {"n": latest.number}
        )
    if run.kind == Kind.FINAL:
        problems = _final_blockers(call)
        if problems:
            raise ValidationError(problems)
    now = clock.now()
    today = timezone.localtime(now).date()
    run.published_at = now
    if run.kind == Kind.PROVISIONAL:
        run.appeal_deadline = _end_of_day(today + timedelta(days=call.appeal_window_days))
    else:
        run.valid_until = _add_months(today, call.ranking_validity_months)
    audit.save(run, user, RUN_PUBLISHED)
    committee = call.committee
    final = run.kind == Kind.FINAL and committee is not None
    # Final: each applicant may now read the committee's sheet of its application.
    if final and not committee.results_published and committee.consensus.exists():
        grids.publish_results(user, committee, RUN_PUBLISHED)
    for entry in run.entries.all():
        emails.after_commit(emails.send_outcome_email, entry.pk)
    return run


def current_run(call: Call) -> RankingRun | None:
    return RankingRun.objects.current(call)


@transaction.atomic
def free_money(
    user, application: Application, kind: str, amount=None, reason: str = ""
) -> RankingRun:
    """Scorrimento: a withdrawal (rinuncia), a revocation or savings (economie, `amount` not
    spent of the grant) frees money; a new published run from the current one funds the next
    eligible applications (`ranking.scroll`), who are told by e-mail. Refused after the
    ranking's validity. Grant management calls this on revocation, savings, withdrawal."""
    call = _locked_call(application.call)
    application = Application.objects.select_related("receipt").get(pk=application.pk)
    _require(permissions.can_free_money(user, application, kind), "You do not free this money.")
    if kind not in EVENT_KINDS:
        raise ValidationError({"kind": _("Evento sconosciuto: rinuncia, revoca o economie.")})
    current = current_run(call)
    if current is None:
        raise ValidationError(
            _("Nessuna graduatoria definitiva pubblicata: lo scorrimento parte da quella.")
        )
    if current.valid_until is not None and clock.local_date() > current.valid_until:
        raise ValidationError(
            _(
                "La graduatoria è scaduta il %(date)s: dopo la sua validità non si fanno "
                "scorrimenti."
            )
            % {"date": current.valid_until.strftime("%d/%m/%Y")}
        )
    entry = current.entries.filter(application=application).first()
    if entry is None:
        raise ValidationError(_("La domanda non è nella graduatoria."))
    event = {
        "application": application.receipt.protocol_number,
        "kind": kind,
        "at": timezone.localtime(clock.now()).isoformat(),
    }
    if kind == "savings":
        if amount in (None, ""):
            raise ValidationError({"amount": _("Indicare l'importo delle economie.")})
        try:
            event["amount"] = str(quantize(Decimal(str(amount))))
        except (ArithmeticError, ValueError):
            raise ValidationError({"amount": _("Importo non valido.")}) from None
    if not runs.replays(current):
        raise ValidationError(
            _("L'elaborazione n. %(n)s non dà più il risultato registrato: scorrimento negato.")
            % {"n": current.number}
        )
    data = runs.document(current)
    data["call"] = dict(data["call"])
    if current.valid_until is not None:
        data["call"]["valid_until"] = current.valid_until.isoformat()
    data["events"] = [*data.get("events", []), event]
    result = runs.compute(data)
    reason = (reason or "").strip()
    run = _store(
        user,
        call,
        Kind.SCROLL,
        data,
        result,
        previous=current,
        reason=reason
        or _("Scorrimento: %(kind)s di %(key)s") % {"kind": kind, "key": event["application"]},
        why=SCROLLED,
        published_at=clock.now(),
        valid_until=current.valid_until,
    )
    funded = set(result["events"][-1]["funded"]) if result["events"] else set()
    for new in run.entries.filter(application__receipt__protocol_number__in=funded):
        emails.after_commit(emails.send_scroll_email, new.pk)
    return run


# --- appeals -------------------------------------------------------------------------------


@transaction.atomic
def lodge_appeal(user, application: Application, against: str, text: str) -> Appeal:
    """The applicant appeals against the published provisional ranking, before its deadline
    by the server clock: against the admissibility decision or against the score."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(permissions.is_applicant(user, application), "You do not appeal for this one.")
    run = permissions.appealable_run(application)
    if run is None:
        raise ValidationError(
            _("Nessuna graduatoria provvisoria impugnabile: il termine per i ricorsi è scaduto.")
        )
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Una domanda ritirata non presenta ricorsi."))
    if against not in Appeal.Against.values:
        raise ValidationError({"against": _("Ricorso contro l'ammissibilità o il punteggio.")})
    appeal = Appeal(
        application=application,
        run=run,
        against=against,
        text=(text or "").strip(),
        lodged_by=user,
        lodged_at=clock.now(),
    )
    if appeal.lodged_at > run.appeal_deadline:
        raise ValidationError(_("Il termine per i ricorsi è scaduto."))
    audit.save(appeal, user, APPEAL_LODGED)
    return appeal


@transaction.atomic
def decide_appeal(user, appeal: Appeal, upheld: bool, outcome: str) -> Appeal:
    """The officer decides an appeal with a reasoned outcome. Upheld against admissibility:
    the application is admitted and put before the committee; upheld against the score: the
    committee's consensus is reopened for the chair to record it again. The ranking is then
    run again (`run_ranking`, which names the appeals upheld since the last run)."""
    call = _locked_call(appeal.application.call)
    appeal = Appeal.objects.select_for_update().select_related("application").get(pk=appeal.pk)
    _require(permissions.can_decide_appeal(user, appeal), "You do not decide this appeal.")
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Motivare la decisione sul ricorso.")})
    appeal.decision = Appeal.Decision.UPHELD if upheld else Appeal.Decision.REJECTED
    appeal.outcome = outcome
    appeal.decided_by, appeal.decided_at = user, clock.now()
    why = APPEAL_UPHELD if upheld else APPEAL_REJECTED
    audit.save(appeal, user, audit.reason(why, outcome[:200]))
    if not upheld:
        return appeal
    application = appeal.application
    detail = _("ricorso n. %(n)s") % {"n": appeal.pk}
    if appeal.against == Appeal.Against.ADMISSIBILITY:
        decision, _created = Admissibility.objects.select_for_update().get_or_create(
            application=application
        )
        decision.outcome = Admissibility.Outcome.ADMITTED
        decision.reasons = outcome
        decision.decided_by, decision.decided_at = user, clock.now()
        audit.save(decision, user, audit.reason(ADMITTED_ON_APPEAL, detail))
        grids.add_subjects(user, call.committee, [application])
    else:
        assessment = runs.consensus_of(call).get(application.pk)
        if assessment is None or not assessment.is_submitted:
            raise ValidationError(_("La domanda non ha una decisione collegiale da riaprire."))
        grids.reopen_assessment(user, assessment, audit.reason(REOPENED_ON_APPEAL, detail))
    return appeal
