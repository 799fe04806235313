"""Evaluation grids at scale: `python -m bench.grids [--assessments N] [--subjects N]`.

Four figures (issue 16, "Speed"), on the database DATABASE_URL names (default: SQLite in
var/bench/grids.sqlite3, migrated and filled on first use; `make bench` runs it on SQLite and
on PostgreSQL):

1. **recompute** `--assessments` (10,000) stored, submitted assessments of the engine's
   synthetic 60-node grid (reti.grids.engine.bench: 4 gates, 5 areas of 10 criteria, one
   negative aspect), stored as a published grid version with their results and traces: the
   time of `actions.verify` over all of them (read from the database, evaluated with full
   traces, compared with the stored result and trace), as `reti grids verify` does.
   Target <= 2 s.
2. **rank** `--subjects` (50,000) entries built from stored totals and node scores with three
   tie-breaks (`node:<code>`, `submitted_at`, `lot`): `engine.ranking.rank`. Target <= 1 s.
3. **scoring form** and 4. **evaluation sheet** (small-grant grid, and the CSR
   self-assessment's sheet with its chart): `--iterations` requests each through Django's test
   client (every middleware runs, DEBUG off), after a warm-up, p50/p95, with the bare view of
   bench/urls.py as the floor. Target p95 <= 50 ms.

Times are wall clock and CPU (`time.process_time`) of this process: on a shared machine the
CPU time says what the work costs, the wall time what a user waits. Every figure is measured
again on each run; the data are made once (`synthetic` records, a separate database).
`measure()` does the work on an already migrated database; a test runs it small
(reti/grids/tests/test_bench.py) so that this file cannot rot.
"""

import argparse
import gc
import json
import os
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench" / "grids.sqlite3"
FLOOR = "/__bench__/bare/"  # bench/urls.py
BENCH_CODE = "bench-sixty-nodes"
TARGETS = {"recompute_s": 2.0, "rank_s": 1.0, "page_p95_ms": 50.0}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


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


def _timed(work) -> dict:
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()
    return {
        "wall_s": round(time.perf_counter() - wall, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
        "result": result,
    }


def bench_template():
    """The engine benchmark's 60-node grid as a published version in the database."""
    from reti.grids.engine import bench as engine_bench
    from reti.grids.engine import dump_template, load_template
    from reti.grids.models import GridTemplate

    parsed = engine_bench.grid()
    parsed = load_template(
        dump_template(parsed).replace("code: bench\n", f"code: {BENCH_CODE}\n", 1)
    )
    text = dump_template(parsed).replace("status: draft", "status: published", 1)
    template, _ = GridTemplate.objects.get_or_create(
        code=BENCH_CODE,
        version=1,
        defaults={
            "status": GridTemplate.Status.PUBLISHED,
            "title_it": "Griglia sintetica di 60 nodi (benchmark)",
            "title_en": "Synthetic 60-node grid (benchmark)",
            "source": "Reti, synthetic",
            "licence": "CC BY 4.0",
            "yaml": text,
        },
    )
    return template


def stored_assessments(count: int, seed: int = 16) -> int:
    """`count` submitted assessments of the 60-node grid, stored with result and trace
    (made once, in bulk; later runs find them)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from reti.grids import scoring
    from reti.grids.engine import ENGINE_VERSION
    from reti.grids.engine import bench as engine_bench
    from reti.grids.models import Assessment
    from reti.registry.models import Organisation

    template = bench_template()
    have = Assessment.objects.filter(template=template).count()
    if have >= count:
        return have
    parsed = template.engine_template()
    kind = ContentType.objects.get_for_model(Organisation)
    rng = random.Random(seed)
    now = timezone.now()
    batch = []
    for index in range(have, count):
        answers = {
            code: {"value": scoring.stored_value(answer.value), "justification": "", "evidence": []}
            for code, answer in engine_bench.answers(parsed, rng).items()
        }
        result = scoring.run(parsed, answers, {})
        data, trace = scoring.stored(result)
        batch.append(
            Assessment(
                template=template,
                mode=Assessment.Mode.EXPERT,
                state=Assessment.State.SUBMITTED,
                subject_type=kind,
                subject_id=1_000_000 + index,
                answers=answers,
                result=data,
                trace=trace,
                total=result.total,
                outcome=result.outcome,
                engine_version=ENGINE_VERSION,
                submitted_at=now - timedelta(seconds=index),
                synthetic=True,
            )
        )
        if len(batch) == 1000:
            Assessment.objects.bulk_create(batch)
            batch = []
    Assessment.objects.bulk_create(batch)
    return count


def measure_recompute(count: int) -> dict:
    from reti.grids import actions, engine, scoring
    from reti.grids.models import Assessment

    stored_assessments(count)
    queryset = Assessment.objects.filter(template__code=BENCH_CODE).order_by("pk")[:count]
    ids = list(queryset.values_list("pk", flat=True))
    chosen = Assessment.objects.filter(pk__in=ids)
    timed = _timed(lambda: sum(1 for _ in actions.verify(chosen)))
    # The reference, in the same run: the engine alone evaluating as many stored answer sets
    # (decoded beforehand), with traces; the ratio says what the database, the decoding and
    # the comparison add, whatever the shared machine's load.
    parsed = bench_template().engine_template()
    sets = [
        scoring.to_engine(parsed, answers)
        for answers in chosen.order_by("pk").values_list("answers", flat=True)[:1000]
    ]
    rounds = max(1, len(ids) // max(1, len(sets)))
    reference = _timed(lambda: [engine.evaluate(parsed, s) for _ in range(rounds) for s in sets])
    return {
        "assessments": len(ids),
        "nodes": sum(1 for _ in parsed.walk()),
        "differing": timed.pop("result"),
        **timed,
        "reference_cpu_s": reference["cpu_s"],
        "ratio_cpu": round(timed["cpu_s"] / max(reference["cpu_s"], 0.001), 2),
        "target_s": TARGETS["recompute_s"],
    }


def measure_rank(subjects: int, seed: int = 16) -> dict:
    """Rank `subjects` entries whose totals and A0 scores come from the stored results."""
    from reti.grids.engine.ranking import Entry, rank
    from reti.grids.models import Assessment

    rows = list(
        Assessment.objects.filter(template__code=BENCH_CODE)
        .order_by("pk")
        .values_list("total", "outcome", "submitted_at")[:subjects]
    )
    rng = random.Random(seed)
    entries = []
    for index in range(subjects):
        total, outcome, submitted = rows[index % len(rows)]
        entries.append(
            Entry(
                f"s{index}",
                Decimal(total).quantize(Decimal("0.01")),
                {"A0": Decimal(rng.randint(0, 40)) / 2},
                submitted,
                outcome,
            )
        )
    timed = _timed(lambda: len(rank(entries, ["node:A0", "submitted_at", "lot"], seed=seed)))
    timed.pop("result")
    return {"subjects": subjects, **timed, "target_s": TARGETS["rank_s"]}


def _summary(values: list[float]) -> dict:
    return {
        "p50": round(statistics.median(values), 1),
        "p95": round(percentile(values, 0.95), 1),
        "max": round(max(values), 1),
    }


def _time_page(client, url: str, iterations: int) -> dict:
    for _ in range(3):
        client.get(url)  # warm-up: templates compiled, caches filled
    walls, cpus, floor = [], [], []
    for _ in range(iterations):
        cpu, started = time.process_time(), time.perf_counter()
        response = client.get(url)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        started = time.perf_counter()
        client.get(FLOOR)
        floor.append((time.perf_counter() - started) * 1000)
    return {
        "requests": iterations,
        "wall_ms": _summary(walls),
        "cpu_ms": _summary(cpus),
        "floor_wall_ms": _summary(floor),
        "target_p95_ms": TARGETS["page_p95_ms"],
    }


def complete_answers(template) -> dict:
    """A complete, valid set of answers to `template`: middle values, justified, with the
    evidence each node asks for."""
    out = {}
    for node in template.walk():
        if node.kind not in ("criterion", "negative", "gate", "bonus") or node.children:
            continue
        scale = template.scales.get(node.scale) if node.scale else None
        if scale is None or scale.kind == "yesno":
            value = True
        elif scale.kind == "levels":
            value = scale.levels[len(scale.levels) // 2].code
        elif scale.kind == "percent":
            value = "50"
        else:
            value = str(scale.minimum + (scale.maximum - scale.minimum) // 2)
        out[node.code] = {
            "value": value,
            "justification": "Motivazione sintetica (benchmark).",
            "evidence": [{"kind": kind, "ref": "Allegato sintetico"} for kind in node.evidence],
        }
    return out


def _assignment(chair, committee, evaluator, subject):
    from reti.grids import actions
    from reti.grids.models import Assignment

    found = Assignment.objects.filter(
        committee=committee, evaluator=evaluator, subject_id=subject.pk
    ).first()
    if found is None:
        found = actions.assign(chair, committee, evaluator, subject)
        actions.declare_conflict(evaluator, found, False)
    return found


def _page_records():
    """A committee on the small-grant grid with one evaluator (a draft to score and a
    submitted sheet) and a CSR self-assessment: made once, synthetic."""
    from django.contrib.auth import get_user_model

    from reti.accounts.models import Membership
    from reti.grids import actions
    from reti.grids.models import Assessment, Committee, CommitteeMember, GridTemplate
    from reti.registry.models import Organisation

    User = get_user_model()
    actions.load_catalogue()
    evaluator, _ = User.objects.get_or_create(username="bench-griglie-valutatore")
    owner, _ = User.objects.get_or_create(username="bench-griglie-impresa")
    grid = GridTemplate.objects.get(code="small-grant-merit", version=1)
    committee, made = Committee.objects.get_or_create(
        name_it="Commissione sintetica (benchmark)", defaults={"template": grid, "synthetic": True}
    )
    if made:
        CommitteeMember.objects.create(
            committee=committee, user=evaluator, role=CommitteeMember.Role.CHAIR
        )
    subjects = []
    for name in ("Impresa sintetica uno (benchmark)", "Impresa sintetica due (benchmark)"):
        subject, _ = Organisation.objects.get_or_create(
            name_it=name, defaults={"kind": Organisation.Kind.COMPANY, "synthetic": True}
        )
        subjects.append(subject)
    to_score = _assignment(evaluator, committee, evaluator, subjects[0])
    to_sheet = _assignment(evaluator, committee, evaluator, subjects[1])
    given = complete_answers(grid.engine_template())
    draft = actions.start_assessment(evaluator, to_score)
    if not draft.is_submitted:
        actions.save_draft(evaluator, draft, {"A1": given["A1"]})
    sheet = actions.start_assessment(evaluator, to_sheet)
    if not sheet.is_submitted:
        actions.save_draft(evaluator, sheet, given)
        sheet = actions.submit_assessment(evaluator, sheet)
    Membership.objects.get_or_create(
        user=owner, organisation=subjects[0], defaults={"role": Membership.Role.EDITOR}
    )
    csr = Assessment.objects.filter(
        template__code="csr-self-assessment", evaluator=owner, state="submitted"
    ).first()
    if csr is None:
        grid = GridTemplate.objects.get(code="csr-self-assessment", version=1)
        csr = actions.start_self_assessment(owner, grid, subjects[0])
        subject = {"size_class": "small"}
        actions.save_draft(owner, csr, complete_answers(grid.engine_template()), subject)
        csr = actions.submit_assessment(owner, csr)
    return evaluator, owner, to_score, sheet, csr


def _host() -> str:
    """A host name the settings allow, so that the client needs no test environment (which
    would instrument every template rendered, as no served process does)."""
    from django.conf import settings

    named = [h for h in settings.ALLOWED_HOSTS if h and h[0] not in ".*["]
    return named[0] if named else "localhost"


def _sign_in(client, user) -> None:
    """`user` signed in, with the second factor given (as a committee member must,
    reti/accounts/twofactor.py): the figures are of the page, not of the redirect to it."""
    from reti.accounts import twofactor

    client.force_login(user)
    session = client.session
    session[twofactor.SESSION_KEY] = "otp"
    session.save()


def measure_pages(iterations: int) -> dict:
    from django.test import Client, override_settings
    from django.urls import reverse

    from reti.warmup import warm

    evaluator, owner, to_score, sheet, csr = _page_records()
    evaluator_client, owner_client = Client(HTTP_HOST=_host()), Client(HTTP_HOST=_host())
    with override_settings(ROOT_URLCONF="bench.urls"):
        _sign_in(evaluator_client, evaluator)
        _sign_in(owner_client, owner)
        pages = {
            "scoring_form": (evaluator_client, reverse("grids:score", args=[to_score.pk])),
            "evaluation_sheet": (
                evaluator_client,
                reverse("grids:assessment_sheet", args=[sheet.pk]),
            ),
            "csr_sheet_with_chart": (
                owner_client,
                reverse("grids:assessment_sheet", args=[csr.pk]),
            ),
        }
        # As a served process (reti/wsgi.py): the warm-up (URLconf, API schemas, catalogues,
        # compiled templates) and what its start builds (the middleware, here the clients'
        # handlers, WhiteNoise's file index, the bench URLconf's reverse maps; here also each
        # page's first requests), then `gc.freeze()`: the collector never walks them again.
        # Frozen before these, every full collection (one request in ten or twenty) walked
        # the ~36,000 objects they made: p95 125 ms on a p50 of 39 ms.
        warm()
        for client, url in pages.values():
            for _ in range(3):
                client.get(url)
                client.get(FLOOR)
        gc.collect()
        gc.freeze()
        try:
            return {
                name: _time_page(client, url, iterations) for name, (client, url) in pages.items()
            }
        finally:
            gc.unfreeze()


def measure(assessments: int = 10_000, subjects: int = 50_000, iterations: int = 200) -> dict:
    """Every figure of this benchmark on the current database (migrated)."""
    from django.db import connection

    return {
        "database": connection.vendor,
        "nproc": os.cpu_count(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "recompute": measure_recompute(assessments),
        "rank": measure_rank(subjects),
        "pages": measure_pages(iterations),
    }


POSTGRES_URL = os.environ.get(
    "BENCH_GRIDS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/reti_bench_grids"
)


def each_backend(args) -> None:
    """This benchmark on SQLite and/or PostgreSQL, each in its own process and database;
    figures in var/bench/<backend>-grids.json."""
    import subprocess
    import sys

    from bench.__main__ import ensure_postgres_database

    backends = {"sqlite": f"sqlite:///{DEFAULT_DB}"}
    if args.backend in ("postgres", "both") and ensure_postgres_database(POSTGRES_URL):
        backends["postgres"] = POSTGRES_URL
    if args.backend == "postgres":
        backends.pop("sqlite")
    DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
    for name, url in backends.items():
        print(f"== grids, {name} ==", flush=True)
        env = {**os.environ, "DATABASE_URL": url, "RETI_LOCAL": "1", "DEBUG": "0"}
        command = [
            sys.executable,
            "-m",
            "bench.grids",
            "--out",
            str(DEFAULT_DB.parent / f"{name}-grids.json"),
        ]
        command += ["--assessments", str(args.assessments), "--subjects", str(args.subjects)]
        command += ["--iterations", str(args.iterations)]
        subprocess.run(command, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.grids")
    parser.add_argument("--assessments", type=int, default=10_000)
    parser.add_argument("--subjects", type=int, default=50_000)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--out", type=Path, help="also write the figures as JSON")
    parser.add_argument(
        "--backend",
        choices=["sqlite", "postgres", "both"],
        help="run on these databases, each in a child process (default: DATABASE_URL)",
    )
    args = parser.parse_args()
    if args.backend:
        each_backend(args)
        return
    _setup()
    figures = measure(args.assessments, args.subjects, args.iterations)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
