"""Small-grant calls at scale: `python -m bench.grants [--applications N] [--racers N]`.

Two figures of issue 17 ("Speed"), on the database DATABASE_URL names (default: SQLite in
var/bench/grants.sqlite3, migrated on first use; `make bench` runs it on SQLite and on
PostgreSQL with `--backend both`):

1. **ranking** of a call with `--applications` (5,000) applications over three lines, each
   with two quotas (a territory and an applicant type), ties on the score broken by the node
   score, the submission time and the call's lot, the `partial` policy; then a scorrimento
   after 50 withdrawals and revocations. `reti.grants.ranking.fund` and `scroll`, the code
   every ranking run and `reti grants replay` call. Target <= 1 s for the two.
2. **last second**: `--racers` (50) complete drafts submitted from as many threads (one
   connection each) spread over the last second before the deadline and the first tenth of
   a second after it, with the real server clock. Every submission must be accepted or
   refused by the deadline rule, none lost or half-saved, and the accepted ones must hold
   protocol numbers 1..n without a gap. The figure is pass/fail plus the accepted count and
   the slowest submission's wall time.
3. **efficiency** of the instrument report over 10,000 funded grants (issue 18): the pure
   computation of `reti.grants.efficiency.profile`, first run and five more. Target <= 1 s.

Wall and CPU (`time.process_time`) of this process; the data are synthetic and throw-away
(the database of this bench only).
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench" / "grants.sqlite3"
TARGETS = {"ranking_s": 1.0}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    os.environ.setdefault("RETI_LOCAL", "1")
    os.environ.setdefault("DEBUG", "0")
    if "DATABASE_URL" not in os.environ:
        DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_DB}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# 1. The ranking


def synthetic_call(applications: int, seed: int = 17):
    """Rules and applications of a call the size of a large regional one (synthetic)."""
    from reti.grants import ranking

    rng = random.Random(seed)
    provinces = ["FI", "PI", "LU", "AR", "SI", "GR", "LI", "PT", "PO", "MS"]
    kinds = ["aps", "odv", "coop-a", "coop-b", "fondazione"]
    lines = tuple(
        ranking.Line(
            code=code,
            budget=Decimal(budget),
            quotas=(
                ranking.Quota(f"{code}-Q1", Decimal(budget) / 5, territory="GR"),
                ranking.Quota(f"{code}-Q2", Decimal(budget) / 10, applicant_type="odv"),
            ),
        )
        for code, budget in (("L1", "9000000"), ("L2", "6000000"), ("L3", "3000000"))
    )
    rules = ranking.Rules(
        lines=lines,
        min_grant=Decimal("5000"),
        max_grant=Decimal("50000"),
        threshold=Decimal("60"),
        policy="partial",
        tie_breaks=("node:A1", "submitted_at", "lot"),
        seed="bench-17",
        valid_until=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
    )
    start = datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)
    apps = []
    for n in range(applications):
        total = Decimal(rng.randint(40, 100))  # integers: many ties to break
        apps.append(
            ranking.Application(
                key=f"SG-{n:05d}",
                line=rng.choice(["L1", "L1", "L2", "L3"]),
                requested=Decimal(rng.randrange(5000, 50001, 500)),
                total=total,
                scores={"A1": Decimal(rng.randint(0, 20))},
                territory=rng.choice(provinces),
                applicant_type=rng.choice(kinds),
                admissible=rng.random() > 0.05,
                submitted_at=start + datetime.timedelta(seconds=rng.randint(0, 30 * 86400)),
            )
        )
    return rules, apps


def measure_ranking(applications: int) -> dict:
    from reti.grants import ranking

    rules, apps = synthetic_call(applications)
    cpu, wall = time.process_time(), time.perf_counter()
    first = ranking.fund(rules, apps)
    funded = [r.application.key for r in first.rows if r.status == ranking.FUNDED]
    at = datetime.datetime(2027, 1, 10, tzinfo=datetime.UTC)
    events = [
        ranking.Event(key, ranking.WITHDRAWN if i % 2 else ranking.REVOKED, at)
        for i, key in enumerate(funded[:50])
    ]
    fund_wall = time.perf_counter() - wall
    scrolled = ranking.scroll(first, events, at)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    statuses = [r.status for r in scrolled.rows]
    return {
        "applications": applications,
        "funded_first": len(funded),
        "funded_after_scroll": sum(s in (ranking.FUNDED, ranking.PARTIAL) for s in statuses),
        "fund_wall_s": round(fund_wall, 3),
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "target_s": TARGETS["ranking_s"],
    }


def measure_efficiency(grants: int = 10_000, seed: int = 19) -> dict:
    """3. The instrument report's computation (issue 18: "efficiency report over 10,000
    grants <= 1 s"): `reti.grants.efficiency.profile` over the records of `grants` funded
    applications (and half as many not funded) of twenty calls, every duration filled: the
    bootstrap of four medians, the rates by four breakdowns. The database reads
    (reti.grants.analysis.load) are a fixed number of queries and not counted here."""
    from reti.grants import efficiency as e

    rng = random.Random(seed)
    start = datetime.date(2026, 1, 1)

    def later(low, high):
        return start + datetime.timedelta(days=rng.randrange(low, high))

    rows = [
        e.Application(
            call=f"c{n % 20}",
            instrument="global_grant",
            region="09",
            outcome="funded" if n < grants else rng.choice(e.OUTCOMES[1:4]),
            applicant_type=rng.choice(("third_sector", "social_coop_a", "association")),
            size_class=rng.choice(("micro", "small", "medium", "")),
            territory=f"P{n % 10}",
            first_time=rng.random() < 0.4,
            granted=Decimal(rng.randrange(5000, 40000)),
            paid=Decimal(rng.randrange(0, 5000)),
            deadline=start,
            ranking=later(20, 90),
            agreement=later(90, 150),
            first_payment=later(150, 220),
            closure=later(300, 700),
        )
        for n in range(grants + grants // 2)
    ]
    budgets = [e.Budget(f"c{n}", "global_grant", "09", Decimal(10**7)) for n in range(20)]
    cpu, wall = time.process_time(), time.perf_counter()
    profile = e.profile(budgets, rows)
    cold, cold_cpu = time.perf_counter() - wall, time.process_time() - cpu
    again = []
    for _ in range(5):
        tick = time.perf_counter()
        e.profile(budgets, rows)
        again.append(time.perf_counter() - tick)
    return {
        "grants": grants,
        "applications": len(rows),
        "funded": profile.success.count,
        "first_s": round(cold, 3),
        "median_s": round(statistics.median(again), 3),
        "max_s": round(max(again), 3),
        "cpu_first_s": round(cold_cpu, 3),
        "target_s": 1.0,
    }


# 2. The last second


def _race_call(racers: int):
    """A published call, its line and categories, and `racers` complete drafts."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from reti.grants import actions
    from reti.grants.models import Application, BudgetItem
    from reti.grants.tests import factories as gf
    from reti.knowledge.tests.files import minimal_pdf
    from reti.registry.demo.taxcodes import entity_code
    from reti.registry.models import Organisation
    from reti.registry.tests import factories as f

    run = f"{int(time.time())}"  # every run makes its own records beside earlier runs'
    call = gf.CallFactory(
        code=f"bench-{run}",
        global_grant__programme__code=f"PR-BENCH-{run}",
        deadline=timezone.now() + datetime.timedelta(days=1),
    )
    line = gf.LineFactory(call=call, code="L1")
    staff = gf.CostCategoryFactory(call=call, code="C1", cap_share=Decimal("1"))
    statute = gf.RequiredAttachmentFactory(call=call, code="A1")
    drafts = []
    first_serial = _free_serials(racers)
    for n in range(racers):
        organisation = f.OrganisationFactory(
            name_it=f"Associazione {run}-{n} (sintetica)",
            kind=Organisation.Kind.THIRD_SECTOR,
            tax_code=entity_code(first_serial + n),
        )
        user = gf.applicant(organisation, f"bench_{run}_{n}")
        draft = actions.create_application(user, call, organisation, f"Progetto {n}")
        Application.objects.filter(pk=draft.pk).update(
            line=line,
            summary="Sintesi",
            objectives="Obiettivi",
            target_groups="Giovani NEET",
            activities="Mesi 1-6: laboratori",
            requested_amount=Decimal("8000.00"),
            cofinancing_amount=Decimal("2000.00"),
            declares_truthful=True,
            declares_no_double_funding=True,
            declares_privacy=True,
        )
        BudgetItem.objects.create(application=draft, category=staff, amount=Decimal("10000"))
        draft.refresh_from_db()
        upload = SimpleUploadedFile("statuto.pdf", minimal_pdf("Statuto"), "application/pdf")
        actions.add_attachment(user, draft, upload, required=statute)
        drafts.append((user, draft))
    return call, drafts


# The racers' tax codes: synthetic (reti.registry.demo.taxcodes), in a block of serials no
# demo uses; each run takes the serials after the previous runs' (tax codes are unique).
BENCH_SERIALS = range(900_000, 980_000)


def _free_serials(count: int) -> int:
    """The first of `count` serials of BENCH_SERIALS that no earlier run has used."""
    from django.db.models import Max

    from reti.registry.demo.taxcodes import FIRST_PROGRESSIVE, entity_code
    from reti.registry.models import Organisation

    highest = Organisation.objects.filter(
        tax_code__gte=entity_code(BENCH_SERIALS.start),
        tax_code__lte=entity_code(BENCH_SERIALS.stop - 1),
    ).aggregate(Max("tax_code"))["tax_code__max"]
    first = BENCH_SERIALS.start if highest is None else int(highest[:7]) - FIRST_PROGRESSIVE + 1
    if first + count > BENCH_SERIALS.stop:
        raise SystemExit("the bench's block of synthetic tax codes is used up: reset its database")
    return first


def measure_last_second(racers: int) -> dict:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import connection
    from django.utils import timezone

    from reti.grants import actions
    from reti.grants.models import Application, Call, Receipt

    call, drafts = _race_call(racers)
    deadline = timezone.now() + datetime.timedelta(seconds=2)
    Call.objects.filter(pk=call.pk).update(deadline=deadline)
    # Spread over the last second and the first tenth after it, in random order.
    rng = random.Random(50)
    offsets = sorted(rng.uniform(-1.0, 0.1) for _ in drafts)
    rng.shuffle(offsets)
    outcomes, durations = {}, []
    lock = threading.Lock()

    def submit(user, application, offset):
        pause = (deadline + datetime.timedelta(seconds=offset) - timezone.now()).total_seconds()
        time.sleep(max(0.0, pause))
        started = time.perf_counter()
        try:
            receipt = actions.submit_application(user, application)
            outcome = ("accepted", receipt.sequence, receipt.submitted_at)
        except (ValidationError, PermissionDenied) as error:
            outcome = ("refused", getattr(error, "message_dict", str(error)), None)
        except Exception as error:  # reported: a lost submission is the failure we look for
            outcome = ("error", repr(error), None)
        finally:
            connection.close()
        with lock:
            outcomes[application.pk] = outcome
            durations.append((time.perf_counter() - started) * 1000)

    threads = [
        threading.Thread(target=submit, args=(user, draft, offset))
        for (user, draft), offset in zip(drafts, offsets, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    accepted = sorted(o[1] for o in outcomes.values() if o[0] == "accepted")
    refused = [o for o in outcomes.values() if o[0] == "refused"]
    errors = [o for o in outcomes.values() if o[0] == "error"]
    receipts = Receipt.objects.filter(application__call=call)
    submitted = Application.objects.filter(call=call, status=Application.Status.SUBMITTED)
    checks = {
        "every_submission_answered": len(outcomes) == len(drafts),
        "no_errors": not errors,
        "gapless": accepted == list(range(1, len(accepted) + 1)),
        "receipts_match": receipts.count() == len(accepted) == submitted.count(),
        "accepted_before_deadline": all(o[2] < deadline for o in outcomes.values() if o[2]),
        "refused_for_the_deadline": all(
            isinstance(o[1], dict) and set(o[1]) == {"deadline"} for o in refused
        ),
        "refused_left_as_drafts": Application.objects.filter(
            call=call, status=Application.Status.DRAFT, receipt__isnull=True
        ).count()
        == len(refused),
    }
    return {
        "racers": len(drafts),
        "accepted": len(accepted),
        "refused": len(refused),
        "errors": [o[1] for o in errors][:3],
        "refusals": sorted({str(o[1])[:200] for o in refused})[:3],
        "submission_ms": {
            "p50": round(statistics.median(durations), 1),
            "max": round(max(durations), 1),
        },
        "checks": checks,
        "passed": all(checks.values()),
    }


def measure(applications: int = 5000, racers: int = 50) -> dict:
    from django.db import connection

    return {
        "database": connection.vendor,
        "ranking": measure_ranking(applications),
        "efficiency": measure_efficiency(),
        "last_second": measure_last_second(racers),
    }


POSTGRES_URL = os.environ.get(
    "BENCH_GRANTS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/reti_bench_grants"
)


def each_backend(args) -> None:
    """This benchmark on SQLite and/or PostgreSQL, each in its own process and database;
    figures in var/bench/<backend>-grants.json."""
    from bench.__main__ import ensure_postgres_database

    backends = {"sqlite": f"sqlite:///{DEFAULT_DB}"}
    if args.backend in ("postgres", "both") and ensure_postgres_database(POSTGRES_URL):
        backends["postgres"] = POSTGRES_URL
    if args.backend == "postgres":
        backends.pop("sqlite")
    DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
    for name, url in backends.items():
        print(f"== grants, {name} ==", flush=True)
        env = {**os.environ, "DATABASE_URL": url, "RETI_LOCAL": "1", "DEBUG": "0"}
        command = [sys.executable, "-m", "bench.grants"]
        command += ["--applications", str(args.applications), "--racers", str(args.racers)]
        command += ["--out", str(DEFAULT_DB.parent / f"{name}-grants.json")]
        subprocess.run(command, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.grants")
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--racers", type=int, default=50)
    parser.add_argument("--out", type=Path, help="also write the figures as JSON")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"])
    args = parser.parse_args()
    if args.backend:
        each_backend(args)
        return
    _setup()
    figures = measure(args.applications, args.racers)
    text = json.dumps(figures, indent=2, default=str)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    if not figures["last_second"]["passed"]:
        sys.exit("the last-second submissions broke a rule: see the checks above")


if __name__ == "__main__":
    main()
