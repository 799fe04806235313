"""`python -m bench [--backend sqlite|postgres|both] [--iterations N]`: see bench/__init__.py."""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from . import report

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
SQLITE_URL = f"sqlite:///{BENCH_DIR / 'national.sqlite3'}"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/reti_bench")


def ensure_postgres_database(url: str) -> bool:
    """Create the benchmark database when missing; False when the server cannot be reached."""
    import psycopg

    base, _, name = url.rpartition("/")
    try:
        with psycopg.connect(f"{base}/template1", autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL unreachable, skipped: {exc}", file=sys.stderr)
        return False
    return True


def run_backend(backend: str, url: str, args) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "RETI_LOCAL": "1", "DEBUG": "0"}
    # Each database has its own monitoring snapshot (the analytics read it, not the tables).
    env["RETI_MONITORING_SNAPSHOT_DIR"] = str(BENCH_DIR / f"{backend}-monitoring")
    load_record = BENCH_DIR / f"{backend}-load.json"
    if args.report_only:
        return _recorded(backend, load_record)
    print(f"== {backend}: national demo data ==", flush=True)
    subprocess.run([sys.executable, "-m", "bench.prepare", str(load_record)], env=env, check=True)
    print(f"== {backend}: measuring ==", flush=True)
    out = BENCH_DIR / f"{backend}-results.json"
    command = [sys.executable, "-m", "bench.measure", str(out)]
    command += ["--iterations", str(args.iterations), "--budget", str(args.budget)]
    command += ["--explain", str(BENCH_DIR / f"{backend}-explain.txt")]
    subprocess.run(command, env=env, check=True)
    data = json.loads(out.read_text())
    if not args.no_browser:
        print(f"== {backend}: first load and throughput (gunicorn) ==", flush=True)
        served = BENCH_DIR / f"{backend}-portal-load.json"
        subprocess.run(
            [sys.executable, "-m", "bench.portal_load", str(served)], env=env, check=True
        )
        data["portal_load"] = json.loads(served.read_text())
    data["load"] = json.loads(load_record.read_text()) if load_record.exists() else None
    return data


def _recorded(backend: str, load_record: Path) -> dict:
    """The figures of the last run, as written in var/bench/."""
    data = json.loads((BENCH_DIR / f"{backend}-results.json").read_text())
    served = BENCH_DIR / f"{backend}-portal-load.json"
    if served.exists():
        data["portal_load"] = json.loads(served.read_text())
    data["load"] = json.loads(load_record.read_text()) if load_record.exists() else None
    return data


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--budget", type=float, default=40.0, help="seconds per endpoint")
    parser.add_argument("--no-write", action="store_true", help="do not update the docs")
    parser.add_argument(
        "--no-browser", action="store_true", help="skip first-load transfer and throughput"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the report from var/bench/ files"
    )
    args = parser.parse_args()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    load_before = os.getloadavg()
    runs = {}
    if args.backend in ("sqlite", "both"):
        runs["SQLite"] = run_backend("sqlite", SQLITE_URL, args)
    if args.backend in ("postgres", "both") and ensure_postgres_database(POSTGRES_URL):
        runs["PostgreSQL"] = run_backend("postgres", POSTGRES_URL, args)
    text = report.render(
        runs,
        started=started,
        machine=report.machine(),
        load=(load_before, os.getloadavg()),
        command=" ".join(["python -m bench", *sys.argv[1:]]),
    )
    print(text)
    if not args.no_write:
        report.write(ROOT / "docs" / "benchmarks.md", text)
        print("Written to docs/benchmarks.md", flush=True)


if __name__ == "__main__":
    main()
