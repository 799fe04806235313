"""`python -m bench.grants_officer [--applications 5000] [--iterations 200]`: the officer's list of
a call's applications (issue 17) served as in production, over HTTP, one request at a time.

1. **Data, once**, on the database DATABASE_URL names (default: SQLite in
   var/bench/grants-officer.sqlite3, migrated and filled on first use): one call of a
   synthetic intermediate body with three lines and `--applications` submitted applications
   (each with its organisation and receipt, spread over the lines, ten provinces and their
   towns, and the applicant types), a tenth of them decided, and a document request on one
   application in twenty-five. Made in bulk; later runs find them.
2. **Server**: gunicorn (2 workers, `--preload`) with the production settings of
   bench/load.py (`production_environment`: no DEBUG, no RETI_LOCAL, the cache in Redis
   under a key prefix of the run's own, `BEHIND_TLS_PROXY`), every request carrying
   `X-Forwarded-Proto: https`; the officer's session is made in the database with the
   server's SECRET_KEY.
3. **Timing**: for each URL of `PAGES`, its first request (cold: the first the server
   answers for it) and then `--iterations` requests with urllib, one at a time: p50, p95,
   p99 and max in milliseconds, wall clock on the client (what the officer waits, loopback),
   and the server's CPU time a request (gunicorn's processes, from /proc: what a request
   costs whatever else the shared machine runs). Target: p95 <= 50 ms for every page. The
   CSV download of the whole call is timed on its own (its target is not a page's).

The figures go to var/bench/<vendor>-grants-officer.json and, as a Markdown table, to
standard output (for docs/benchmarks.md).
"""

import argparse
import datetime
import gzip
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DEFAULT_DB = BENCH_DIR / "grants-officer.sqlite3"
CALL_CODE = "bench-sg-officer"
OFFICER = "bench-grants-officer"
TARGET_P95_MS = 50.0
# label -> query string of the list (the cursor of the deep page is added at run time)
PAGES = {
    "first page": "",
    "pending, with open requests": "outcome=pending&requests=open",
    "one province": "territory=BP1",
    "search by organisation": "q=ente+sintetico+12",
    "search by protocol": "q=000417",
    "by organisation, a deep page": "sort=organisation",
    "by amount, one line, social coops": "sort=-requested&line=L2&applicant_type=social_coop_a",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _setup(secret_key: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    os.environ["RETI_LOCAL"] = "1"
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = secret_key  # the server's: the session below must verify there
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_data(applications: int, seed: int = 17) -> dict:
    """The call, its officer and `applications` submitted applications (made once)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from reti.accounts.models import Membership
    from reti.grants.models import (
        Admissibility,
        Application,
        Call,
        CallLine,
        DocumentRequest,
        GlobalGrant,
        Programme,
        Receipt,
    )
    from reti.registry.models import Organisation, Territory

    User = get_user_model()
    officer, _ = User.objects.get_or_create(username=OFFICER)
    call = Call.objects.filter(code=CALL_CODE).first()
    if call is not None and call.applications.count() >= applications:
        return {"call": call.code, "officer": officer.pk}
    now = timezone.now()
    body, _ = Organisation.objects.get_or_create(
        name_it="Organismo intermedio sintetico (benchmark)",
        defaults={"kind": Organisation.Kind.TECHNICAL_ASSISTANCE, "synthetic": True},
    )
    Membership.objects.get_or_create(
        user=officer, organisation=body, defaults={"role": Membership.Role.EDITOR}
    )
    programme, _ = Programme.objects.get_or_create(
        code="PR-BENCH-SG",
        defaults={"title_it": "Programma sintetico (benchmark)", "managing_authority": body},
    )
    grant, _ = GlobalGrant.objects.get_or_create(
        programme=programme,
        title_it="Sovvenzione globale sintetica (benchmark)",
        defaults={
            "intermediate_body": body,
            "agreement_act": "Sintetico",
            "agreement_date": datetime.date(2026, 1, 1),
            "allocation": Decimal("100000000.00"),
            "start_date": datetime.date(2026, 1, 1),
            "end_date": datetime.date(2028, 12, 31),
        },
    )
    call, _ = Call.objects.get_or_create(
        code=CALL_CODE,
        defaults={
            "global_grant": grant,
            "title_it": "Bando sintetico di 5.000 domande (benchmark)",
            "text_it": "Sintetico.",
            "status": Call.Status.PUBLISHED,
            "opens_at": now - datetime.timedelta(days=60),
            "deadline": now - datetime.timedelta(days=1),
            "published_at": now - datetime.timedelta(days=60),
            "min_grant": Decimal("5000.00"),
            "max_grant": Decimal("50000.00"),
            "cofinancing_rate": Decimal("0.2000"),
            "synthetic": True,
        },
    )
    lines = [
        CallLine.objects.get_or_create(
            call=call, code=f"L{i}", defaults={"title_it": f"Linea {i}", "budget": 10_000_000}
        )[0]
        for i in (1, 2, 3)
    ]
    towns = []
    for p in range(1, 11):
        province, _ = Territory.objects.get_or_create(
            code=f"BP{p}",
            defaults={"level": Territory.Level.PROVINCE, "name_it": f"Provincia sintetica {p}"},
        )
        for t in range(1, 6):
            town, _ = Territory.objects.get_or_create(
                code=f"BP{p}T{t}",
                defaults={
                    "level": Territory.Level.MUNICIPALITY,
                    "name_it": f"Comune sintetico {p}-{t}",
                    "parent": province,
                },
            )
            towns.append(town)
    kinds = [
        Organisation.Kind.THIRD_SECTOR,
        Organisation.Kind.SOCIAL_COOP_A,
        Organisation.Kind.SOCIAL_COOP_B,
    ]
    rng = random.Random(seed)
    have = call.applications.count()
    for start in range(have, applications, 1000):
        stop = min(applications, start + 1000)
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name_it=f"Ente sintetico {n} (benchmark)",
                    kind=kinds[n % 3],
                    synthetic=True,
                )
                for n in range(start, stop)
            ]
        )
        made = Application.objects.bulk_create(
            [
                Application(
                    call=call,
                    line=lines[n % 3],
                    organisation=organisation,
                    created_by=officer,
                    status=Application.Status.SUBMITTED,
                    title=f"Progetto sintetico {n}",
                    requested_amount=Decimal(rng.randrange(5000, 50000)),
                    cofinancing_amount=Decimal(rng.randrange(1000, 12000)),
                    territory=towns[n % len(towns)],
                    applicant_type=organisation.kind,
                    submitted_at=call.opens_at + datetime.timedelta(minutes=n),
                    synthetic=True,
                )
                for n, organisation in zip(range(start, stop), organisations, strict=True)
            ]
        )
        Receipt.objects.bulk_create(
            [
                Receipt(
                    application=application,
                    series=CALL_CODE,
                    year=2026,
                    sequence=n + 1,
                    protocol_number=f"{CALL_CODE.upper()}/2026/{n + 1:06d}",
                    submitted_at=application.submitted_at,
                    content="{}",
                    content_sha256="0" * 64,
                )
                for n, application in zip(range(start, stop), made, strict=True)
            ]
        )
        Admissibility.objects.bulk_create(
            [
                Admissibility(
                    application=application,
                    outcome=rng.choice(["admitted", "not_admissible"]),
                    decided_by=officer,
                    decided_at=now,
                )
                for application in made[::10]
            ]
        )
        DocumentRequest.objects.bulk_create(
            [
                DocumentRequest(
                    application=application,
                    text="Inviare lo statuto firmato (sintetico).",
                    deadline=now + datetime.timedelta(days=rng.choice([-3, 10])),
                    asked_by=officer,
                    asked_at=now - datetime.timedelta(days=5),
                )
                for application in made[1::25]
            ]
        )
    return {"call": call.code, "officer": officer.pk}


def officer_session(officer_id: int) -> str:
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(pk=officer_id)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _get(url: str, session: str) -> tuple[float, int, bytes]:
    headers = {
        "X-Forwarded-Proto": "https",
        "Accept-Encoding": "gzip",
        "Cookie": f"sessionid={session}",
    }
    started = time.perf_counter()
    with urlopen(Request(url, headers=headers), timeout=120) as answer:
        body = answer.read()
        status = answer.status
        compressed = answer.headers.get("Content-Encoding") == "gzip"
    took = (time.perf_counter() - started) * 1000
    return took, status, gzip.decompress(body) if compressed else body


def _figures(values: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "p99_ms": round(percentile(values, 0.99), 1),
        "max_ms": round(max(values), 1),
    }


def deep_cursor(call_code: str) -> int:
    """The id after which the 100th page of the list by organisation starts (a deep page)."""
    from reti.grants.models import Application

    ids = list(
        Application.objects.filter(call__code=call_code)
        .order_by("organisation__name_it", "pk")
        .values_list("pk", flat=True)
    )
    return ids[min(len(ids) - 1, 25 * 100 - 1)] if len(ids) > 2500 else ids[len(ids) // 2]


def server_cpu_ms(pid: int) -> float:
    """CPU time (user + system) of gunicorn's master and workers so far, in ms: what the
    requests cost the server whatever else the shared machine runs."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rpartition(")")[2].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) * 1000 / ticks
    return total


def measure(
    base: str, session: str, call_code: str, iterations: int, server_pid: int
) -> list[dict]:
    path = f"/it/bandi/{call_code}/domande/"
    cursor = deep_cursor(call_code)
    rows = []
    for label, query in PAGES.items():
        if label.endswith("a deep page"):
            query += f"&after={cursor}"
        url = f"{base}{path}?{query}" if query else f"{base}{path}"
        first, status, body = _get(url, session)
        if status != 200 or b'<tr data-id="' not in body:
            raise RuntimeError(f"{label}: {url} answered {status} without rows")
        cpu = server_cpu_ms(server_pid)
        times = [_get(url, session)[0] for _ in range(iterations)]
        cpu = (server_cpu_ms(server_pid) - cpu) / iterations
        rows.append(
            {
                "page": label,
                "query": query,
                "first_ms": round(first, 1),
                **_figures(times),
                "server_cpu_ms": round(cpu, 1),
            }
        )
        print(f"- {label}: {rows[-1]}", flush=True)
    url = f"{base}{path}?format=csv"
    took, status, body = _get(url, session)
    rows.append(
        {
            "page": "CSV download, whole call",
            "query": "format=csv",
            "first_ms": round(took, 1),
            "bytes": len(body),
            "lines": body.count(b"\n"),
        }
    )
    return rows


def markdown(data: dict) -> str:
    head = (
        f"`python -m bench.grants_officer`, {data['date']}, {data['database']}, "
        f"{data['applications']} applications, `nproc` {data['cores']}, load average before "
        f"{data['load_before']}; {data['iterations']} requests a page after its first:\n\n"
        "| page | first ms | p50 ms | p95 ms | p99 ms | max ms | server CPU ms a request |\n"
        "|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for row in data["pages"]:
        if "p50_ms" in row:
            lines.append(
                f"| {row['page']} | {row['first_ms']} | {row['p50_ms']} | {row['p95_ms']} | "
                f"{row['p99_ms']} | {row['max_ms']} | {row['server_cpu_ms']} |"
            )
        else:
            lines.append(
                f"| {row['page']} ({row['lines'] - 1} rows, {row['bytes']:,} bytes) | "
                f"{row['first_ms']} | — | — | — | — | — |"
            )
    return head + "\n".join(lines)


def main() -> None:
    from .load import forget_cache, production_environment, start_server
    from .portal_load import free_port

    parser = argparse.ArgumentParser(prog="python -m bench.grants_officer")
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"
    os.environ["DATABASE_URL"] = database_url
    secret_key = secrets.token_urlsafe(50)
    _setup(secret_key)
    from django.db import connection

    made = make_data(args.applications)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # bulk-loaded rows: plans from real statistics
    session = officer_session(made["officer"])
    environ = production_environment(database_url, args.cache_url)
    environ["SECRET_KEY"] = secret_key
    subprocess.run(
        [sys.executable, "-m", "reti.cli", "collectstatic", "--no-input", "-v0"],
        env=environ,
        check=True,
    )
    data = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "database": f"{connection.vendor} {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else connection.vendor,
        "applications": args.applications,
        "iterations": args.iterations,
        "cores": os.cpu_count(),
        "load_before": " / ".join(f"{n:.1f}" for n in os.getloadavg()),
        "target_p95_ms": TARGET_P95_MS,
    }
    connection.close()
    port = free_port()
    server = start_server(environ, port, 2)
    try:
        data["pages"] = measure(
            f"http://127.0.0.1:{port}", session, made["call"], args.iterations, server.pid
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        forget_cache(args.cache_url, environ["RETI_CACHE_PREFIX"])
    out = BENCH_DIR / f"{connection.vendor}-grants-officer.json"
    out.write_text(json.dumps(data, indent=2))
    print()
    print(markdown(data))


if __name__ == "__main__":
    main()
