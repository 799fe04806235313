"""CSR benchmark at scale: `python -m bench.csr [--assessments N] [--iterations N]`.

One figure (issue 19, "Benchmark"): the benchmark of one company against `--assessments`
(100,000) submitted self-assessments, i.e. `reti.csr.benchmark.benchmark(company)`, the
call the result page makes. The data are made once on the database DATABASE_URL names
(default: SQLite in var/bench/csr.sqlite3, migrated on first use; `make bench` runs it on
SQLite and PostgreSQL): that many synthetic companies, each with a submitted self-assessment
and its precomputed benchmark row, spread over the 22 ATECO sections and four size classes
with a skew (section C and G and the small class take more), so the largest group holds
several thousand companies. Then `--iterations` (200) calls for random companies, and as
many for a company of the largest group, after a warm-up: p50/p95 wall time and CPU.
Target p95 <= 200 ms. `measure()` works on a migrated database; a test runs it small
(reti/csr/tests/test_bench.py).
"""

import argparse
import json
import os
import random
import time
from decimal import Decimal
from pathlib import Path

from bench.grids import percentile

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench" / "csr.sqlite3"
POSTGRES_URL = os.environ.get(
    "BENCH_CSR_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reti_bench_csr"
)
TARGET_P95_MS = 200.0
BATCH = 5000
SECTIONS = "ABCDEFGHIJKLMNOPQRSTUV"
SECTION_WEIGHTS = [5 if s in "CG" else 2 if s in "FIKN" else 1 for s in SECTIONS]
SIZES = ("micro", "small", "medium", "large")
SIZE_WEIGHTS = (3, 4, 2, 1)
SERIAL_BASE = 200_000


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


def make_data(count: int, seed: int = 19) -> int:
    """`count` synthetic companies with a submitted assessment and a benchmark row (once)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from reti.csr import actions
    from reti.csr.models import AREAS, Company, CompanyScore, CsrAssessment
    from reti.grids.actions import load_catalogue
    from reti.grids.models import Assessment
    from reti.registry.demo.taxcodes import entity_code
    from reti.registry.models import Organisation, Territory

    have = CompanyScore.objects.filter(
        synthetic=True, company__organisation__key__startswith="bench-csr-"
    ).count()
    if have >= count:
        return have
    load_catalogue()
    grid = actions.current_grid()
    region, _ = Territory.objects.get_or_create(
        code="09", defaults={"level": "region", "name_it": "Toscana"}
    )
    kind = ContentType.objects.get_for_model(Company)
    rng = random.Random(seed)
    now = timezone.now()
    start = have
    while start < count:
        stop = min(count, start + BATCH)
        with transaction.atomic():
            orgs = Organisation.objects.bulk_create(
                Organisation(
                    name_it=f"Impresa di benchmark {n}",
                    kind="company",
                    key=f"bench-csr-{n}",
                    vat_number=entity_code(SERIAL_BASE + n),
                    synthetic=True,
                )
                for n in range(start, stop)
            )
            orgs = list(
                Organisation.objects.filter(
                    key__in=[f"bench-csr-{n}" for n in range(start, stop)]
                ).order_by("id")
            )
            groups = [
                (rng.choices(SECTIONS, SECTION_WEIGHTS)[0], rng.choices(SIZES, SIZE_WEIGHTS)[0])
                for _ in orgs
            ]
            Company.objects.bulk_create(
                Company(
                    organisation=org,
                    legal_form="srl",
                    ateco_code="62.10.00",
                    ateco_section=section,
                    employees=Decimal(10),
                    turnover=Decimal(1_000_000),
                    balance_sheet=Decimal(1_000_000),
                    size_class=size,
                    region=region,
                    seat_address="Via del benchmark",
                    synthetic=True,
                )
                for org, (section, size) in zip(orgs, groups, strict=True)
            )
            companies = list(
                Company.objects.filter(organisation__in=orgs).order_by("organisation_id")
            )
            assessments = Assessment.objects.bulk_create(
                Assessment(
                    template=grid,
                    mode="self",
                    subject_type=kind,
                    subject_id=company.pk,
                    state="submitted",
                    submitted_at=now,
                    result={"bench": True},
                    synthetic=True,
                )
                for company in companies
            )
            assessments = list(
                Assessment.objects.filter(
                    subject_type=kind, subject_id__in=[c.pk for c in companies]
                ).order_by("subject_id")
            )
            rows = CsrAssessment.objects.bulk_create(
                CsrAssessment(
                    company=company,
                    year=2026,
                    assessment=assessment,
                    state="submitted",
                    submitted_at=now,
                    synthetic=True,
                )
                for company, assessment in zip(companies, assessments, strict=True)
            )
            rows = list(CsrAssessment.objects.filter(company__in=companies).order_by("company_id"))
            scores = []
            for company, row in zip(companies, rows, strict=True):
                shares = {
                    area.lower(): Decimal(rng.randint(0, 1000)) / 10
                    for area in AREAS
                    if not (area == "A7" and company.size_class == "micro")
                }
                scores.append(
                    CompanyScore(
                        company=company,
                        csr_assessment=row,
                        ateco_section=company.ateco_section,
                        size_class=company.size_class,
                        total=Decimal(rng.randint(0, 10000)) / 100,
                        synthetic=True,
                        **shares,
                    )
                )
            CompanyScore.objects.bulk_create(scores)
        start = stop
    return count


def _time(calls) -> dict:
    walls, cpus = [], []
    for call in calls:
        cpu, wall = time.process_time(), time.perf_counter()
        call()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return {
        "calls": len(walls),
        "wall_ms": {
            "p50": round(percentile(walls, 0.5), 2),
            "p95": round(percentile(walls, 0.95), 2),
        },
        "cpu_ms": {"p50": round(percentile(cpus, 0.5), 2), "p95": round(percentile(cpus, 0.95), 2)},
    }


def measure(assessments: int = 100_000, iterations: int = 200, seed: int = 19) -> dict:
    """The benchmark call timed for random companies and for one of the largest group."""
    from django.db import connection
    from django.db.models import Count

    from reti.csr.benchmark import benchmark
    from reti.csr.models import Company, CompanyScore

    made = make_data(assessments, seed)
    rng = random.Random(seed)
    ids = list(CompanyScore.objects.values_list("company_id", flat=True))
    largest = (
        CompanyScore.objects.values("ateco_section", "size_class")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    big = Company.objects.filter(
        ateco_section=largest["ateco_section"], size_class=largest["size_class"]
    ).first()
    sample = [Company.objects.get(pk=pk) for pk in rng.sample(ids, min(iterations, len(ids)))]
    for company in sample[:5]:
        benchmark(company)  # warm-up
    shown = sum(benchmark(company).shown for company in sample)
    return {
        "backend": connection.vendor,
        "assessments": made,
        "largest_group": largest["n"],
        "random_companies": _time([lambda c=c: benchmark(c) for c in sample]),
        "largest_group_company": _time([lambda: benchmark(big)] * iterations),
        "shown_share": round(shown / max(1, len(sample)), 3),
        "target_p95_ms": TARGET_P95_MS,
    }


def each_backend(args) -> None:
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
        print(f"== csr, {name} ==", flush=True)
        env = {**os.environ, "DATABASE_URL": url, "RETI_LOCAL": "1", "DEBUG": "0"}
        command = [
            sys.executable,
            "-m",
            "bench.csr",
            "--out",
            str(DEFAULT_DB.parent / f"{name}-csr.json"),
        ]
        command += ["--assessments", str(args.assessments), "--iterations", str(args.iterations)]
        subprocess.run(command, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.csr")
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--out", type=Path, help="also write the figures as JSON")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"])
    args = parser.parse_args()
    if args.backend:
        each_backend(args)
        return
    _setup()
    text = json.dumps(measure(args.assessments, args.iterations), indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
