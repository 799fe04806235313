"""`make load`: gunicorn with production settings on PostgreSQL, under 50 connections.

Run as `python -m bench.load [--seconds 60] [--page-seconds 20] [--connections 50]` with
BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/reti_bench). It

1. gives that database the national demo data, once (`python -m bench.prepare`, as
   `make bench` does; `--no-prepare` uses the database as it is);
2. starts gunicorn (`--workers`, default 2 × cores + 1) with **production settings**: no
   DEBUG, no RETI_LOCAL, a throw-away SECRET_KEY, ALLOWED_HOSTS 127.0.0.1, the shared cache in
   Redis (RETI_CACHE_URL, default redis://127.0.0.1:6379/0, under a key prefix of its own),
   BEHIND_TLS_PROXY=true; every request carries `X-Forwarded-Proto: https`, as from the TLS
   proxy in front of it in production, so the HTTPS redirect does not answer instead;
3. checks that every URL answers 200, requests each twice to warm the caches, then runs wrk:
   each page alone for `--page-seconds`, then all of them in turn for `--seconds`, each with
   `--connections` open connections (a Lua script picks the next URL and reports p50, p95,
   p99 and the errors: refused or broken connections, timeouts after 30 s, any status other
   than 2xx/3xx).

The figures go to var/bench/load.json and, as a Markdown table, to standard output (for
docs/benchmarks.md). wrk shares the machine's cores with gunicorn and PostgreSQL: on a
2-core machine the figures are a floor. The pages' targets (docs/benchmarks.md) are for one
request at a time; under 50 connections on 2 cores a request also waits its turn, so the
latencies here say how the site degrades, not whether a page meets its target.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.request import Request, urlopen

from .portal_load import free_port

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/reti_bench")
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
# p95 targets of docs/benchmarks.md for one request at a time, in ms.
TARGETS = {"home": 50, "network": 50, "search": 100, "api list": 50, "indicators": 300}

LUA = r"""
paths = {%(paths)s}
counter = 0
threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  statuses = {}
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {
    ["X-Forwarded-Proto"] = "https", ["Accept-Encoding"] = "gzip"})
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do
      merged[code] = (merged[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(merged) do
    table.insert(parts, string.format('"%%d": %%d', code, n))
  end
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "duration_us": %%d, "connect": %%d, ' ..
    '"read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, ' ..
    '"p95_us": %%d, "p99_us": %%d, "max_us": %%d, "statuses": {%%s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
end
"""


def production_environment(database_url: str, cache_url: str) -> dict[str, str]:
    """The documented production variables (docs/configuration.md), for loopback."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "RETI_LOCAL"} and not k.startswith("SECURE_")
    }
    environ.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        # The bench data's key: pages only read pseudonyms, so any key of the right length
        # serves, but the demo's own keeps the database consistent with its snapshot.
        RETI_PSEUDONYM_KEY=(ROOT / "var" / "pseudonym_key").read_text().strip()
        if (ROOT / "var" / "pseudonym_key").exists()
        else secrets.token_urlsafe(50),
        DEFAULT_FROM_EMAIL="Reti <noreply@reti.example.org>",
        RETI_SITE_URL="https://reti.example.org",
        RETI_CACHE_URL=cache_url,
        RETI_PUBLISHER_IPA="reti_bench",
        RETI_OPENDATA_EMAIL="opendata@reti.example.org",
        RETI_CACHE_PREFIX=f"reti-load-{os.getpid()}",
        BEHIND_TLS_PROXY="true",
        RETI_MONITORING_SNAPSHOT_DIR=str(BENCH_DIR / "postgres-monitoring"),
        RETI_VAR_DIR=str(ROOT / "var"),
    )
    return environ


def urls(database_url: str) -> dict[str, str]:
    """One path a page type, with records of the benchmark database."""
    environ = {**os.environ, "DATABASE_URL": database_url, "RETI_LOCAL": "1"}
    script = (
        "import django, json; django.setup()\n"
        "from django.db.models import Count\n"
        "from reti.registry.models import Network\n"
        "print(Network.objects.annotate(n=Count('roles')).order_by('-n')"
        ".values_list('slug', flat=True).first())"
    )
    slug = subprocess.run(
        [sys.executable, "-c", script],
        env={**environ, "DJANGO_SETTINGS_MODULE": "reti.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return {
        "home": "/it/",
        "network": f"/it/reti/{slug}/",
        "search": "/it/cerca/?q=inclusione",
        "api list": "/api/v1/networks?limit=50",
        "indicators": "/it/monitoraggio/indicatori/",
    }


def start_server(environ: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "reti.wsgi", "--workers", str(workers), "--preload",
        "--timeout", "120", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=environ)
    for _ in range(200):
        try:
            urlopen(Request(f"http://127.0.0.1:{port}/it/", headers=PROXY_HEADERS), timeout=5)
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("gunicorn stopped: see its output above") from None
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not answer")


def check_and_warm(base: str, paths: dict[str, str]) -> None:
    for label, path in paths.items():
        for _ in range(2):
            with urlopen(Request(base + path, headers=PROXY_HEADERS), timeout=600) as answer:
                if answer.status != 200 or answer.url != base + path:
                    raise RuntimeError(f"{label} ({path}) answered {answer.status} {answer.url}")


def run_wrk(base: str, paths: list[str], seconds: int, connections: int) -> dict:
    lua = LUA % {"paths": ", ".join(json.dumps(path) for path in paths)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua)
        script.flush()
        command = [
            "wrk", f"-t{min(4, connections)}", f"-c{connections}", f"-d{seconds}s",
            "--timeout", "30s", "-s", script.name, base + paths[0],
        ]  # fmt: skip
        output = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    raw = json.loads(line.removeprefix("RESULT "))
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": raw["requests"],
        "requests_per_second": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "errors": errors,
        "errors_by_kind": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
        "statuses": dict(sorted(raw["statuses"].items())),
    }


def cut_connections_later(database_url: str, after: float, record: dict) -> threading.Thread:
    """After `after` seconds, terminate every connection to the database but this one: what a
    PostgreSQL restart or failover does to the web workers' connections."""
    import psycopg

    def cut():
        time.sleep(after)
        with psycopg.connect(database_url, autocommit=True) as admin:
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        record["connections_terminated"] = len(rows)
        record["at_second"] = after

    thread = threading.Thread(target=cut, daemon=True)
    thread.start()
    return thread


def forget_cache(cache_url: str, prefix: str) -> None:
    """Delete the run's own cache entries: the next run starts cold, Redis stays clean."""
    import redis

    client = redis.Redis.from_url(cache_url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def markdown(data: dict) -> str:
    head = (
        f"`make load`, {data['date']}, gunicorn {data['workers']} workers, "
        f"{data['connections']} connections, `nproc` {data['cores']}, load average before "
        f"{data['load_before']}:\n\n"
        "| run | s | requests/s | p50 ms | p95 ms | p99 ms | errors | statuses "
        "| p95 target (alone) |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = [
        f"| {row['run']} | {row['seconds']} | {row['requests_per_second']} | {row['p50_ms']} | "
        f"{row['p95_ms']} | {row['p99_ms']} | {row['errors']} | "
        + ", ".join(f"{code}: {n}" for code, n in row["statuses"].items())
        + f" | {row['target'] or '—'} |"
        for row in data["runs"]
    ]
    return head + "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--seconds", type=int, default=60, help="the mixed run")
    parser.add_argument("--page-seconds", type=int, default=20, help="each page alone; 0 skips")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--database-url", default=POSTGRES_URL)
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--no-prepare", action="store_true", help="use the database as it is")
    parser.add_argument(
        "--fault",
        action="store_true",
        help="halfway through the mixed run, terminate every connection to the database; "
        "then a recovery run of --page-seconds (10 at least) must have no error",
    )
    parser.add_argument("--output", default=str(BENCH_DIR / "load.json"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `bash .ci/install-debian-package wrk` (make load does).")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if not args.no_prepare:
        from .__main__ import ensure_postgres_database

        if not ensure_postgres_database(args.database_url):
            sys.exit("PostgreSQL is unreachable.")
        environ = {**os.environ, "DATABASE_URL": args.database_url, "RETI_LOCAL": "1"}
        environ["RETI_MONITORING_SNAPSHOT_DIR"] = str(BENCH_DIR / "postgres-monitoring")
        subprocess.run(
            [sys.executable, "-m", "bench.prepare", str(BENCH_DIR / "postgres-load.json")],
            env=environ,
            check=True,
        )
    paths = urls(args.database_url)
    environ = production_environment(args.database_url, args.cache_url)
    subprocess.run(
        [sys.executable, "-m", "reti.cli", "collectstatic", "--no-input", "-v0"],
        env=environ,
        check=True,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    data = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "workers": args.workers,
        "connections": args.connections,
        "cores": os.cpu_count(),
        "load_before": " / ".join(f"{n:.1f}" for n in os.getloadavg()),
        "runs": [],
    }
    server = start_server(environ, port, args.workers)
    try:
        check_and_warm(base, paths)
        plan = [(label, [path], args.page_seconds) for label, path in paths.items()]
        plan = [run for run in plan if run[2] > 0]
        plan.append(("all five in turn", list(paths.values()), args.seconds))
        if args.fault:
            plan[-1] = ("all five, connections cut halfway", plan[-1][1], args.seconds)
            plan.append(("all five, after the cut", plan[-1][1], max(10, args.page_seconds)))
        for label, run_paths, seconds in plan:
            cut = {}
            if "cut halfway" in label:
                cutter = cut_connections_later(args.database_url, seconds / 2, cut)
            result = run_wrk(base, run_paths, seconds, args.connections)
            if "cut halfway" in label:
                cutter.join()
                result["fault"] = cut
            target = TARGETS.get(label)
            data["runs"].append(
                {"run": label, "paths": run_paths, "seconds": seconds, "target": target, **result}
            )
            print(
                f"- {label}: {result['requests_per_second']} requests/s, p50 {result['p50_ms']}"
                f" ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, "
                f"{result['errors']} errors",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        forget_cache(args.cache_url, environ["RETI_CACHE_PREFIX"])
    Path(args.output).write_text(json.dumps(data, indent=2))
    print()
    print(markdown(data))
    # During the cut, a request may answer 503 (Retry-After); anything else is a failure.
    failed = sum(
        n
        for run in data["runs"]
        for code, n in run["statuses"].items()
        if not code.startswith(("2", "3")) and not ("fault" in run and code == "503")
    ) + sum(
        count
        for run in data["runs"]
        for kind, count in run["errors_by_kind"].items()
        if kind != "status"
    )
    if failed:
        sys.exit(f"{failed} requests failed: see {args.output}")


if __name__ == "__main__":
    main()
