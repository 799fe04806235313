"""`python -m bench.monitoring_pages [--rows N] [--on-demand]`: the monitoring pages' latency.

Writes a synthetic snapshot once into var/bench/monitoring-pages-<rows>/ (the small demo's
shape by default: 20,000 records over 50 interventions; `--rows 10000000 --interventions
2000` is the national demo's), then does what the refresh does after writing the files (the
cube, then the analyses of analytics/precomputed.py; timed: the refresh's extra work), and
requests every monitoring analytics page in-process with Django's test client (every
middleware runs, DEBUG off) on a throw-away SQLite database: anonymous visitors for the public
pages, an auditor for the dashboard and the added value. For each page: the first request in
this process (cold: the snapshot opened, the analyses read, templates compiled) and then
`--repeat` requests, p50 and p95. `--on-demand` leaves the analyses file out, as before the
refresh computed them (the pages then compute on their first request); `--pages-only` times
the pages over the cube and analyses an earlier run left.
"""

import argparse
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = (
    ("indicators", "monitoring:indicators", {}, None),
    ("indicators, one region (Toscana)", "monitoring:indicators", {"regione": "09"}, None),
    ("indicators, CSV download", "monitoring:indicators", {"formato": "csv"}, None),
    ("comparison (funnel plot)", "monitoring:comparison", {}, None),
    ("homogeneity", "monitoring:homogeneity", {}, None),
    ("dashboard (auditor)", "monitoring:dashboard", {}, "auditor"),
    ("dashboard, filtered", "monitoring:dashboard", {"regione": "09"}, "auditor"),
    ("added value (auditor)", "monitoring:added_value", {}, "auditor"),
    (
        "added value, another instrument",
        "monitoring:added_value",
        {"strumento": "direct_award"},
        "auditor",
    ),
    ("dashboard (visitor)", "monitoring:dashboard", {}, None),
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(
    rows: int,
    interventions: int,
    repeat: int,
    on_demand: bool,
    directory: Path | None = None,
    pages_only: bool = False,
    measure=None,
) -> list[dict]:
    """Prepare the snapshot and a test database, then time the pages (or `measure(repeat)`:
    bench/reports.py times its PDFs on the same set-up)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    os.environ.setdefault("RETI_LOCAL", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    from reti.monitoring import synthetic

    directory = directory or ROOT / "var" / "bench" / f"monitoring-pages-{rows}"
    if not (directory / "participants.parquet").exists():
        started = time.monotonic()
        synthetic.write_snapshot(
            directory, synthetic.synthetic_interventions(interventions, 1), rows, 1
        )
        print(f"snapshot written in {time.monotonic() - started:.1f} s", flush=True)
    from reti.monitoring.analytics import precomputed
    from reti.monitoring.analytics.snapshot import persist_cube

    if pages_only:
        print("refresh: the cube and analyses already there are read", flush=True)
    else:
        for old in directory.glob("analyses-*.json"):
            old.unlink()
        wall, cpu = time.monotonic(), time.process_time()
        persist_cube(directory)
        print(f"refresh: cube {time.monotonic() - wall:.1f} s", flush=True)
    if not on_demand and not pages_only:
        wall, cpu = time.monotonic(), time.process_time()
        precomputed.persist(directory)
        print(
            f"refresh: analyses {time.monotonic() - wall:.1f} s wall,"
            f" {time.process_time() - cpu:.1f} s CPU",
            flush=True,
        )
    settings.MONITORING_SNAPSHOT_DIR = directory
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return (measure or _measure)(repeat)


def _measure(repeat: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.test import Client
    from django.urls import reverse

    auditor = get_user_model().objects.create_user("bench-auditor", password="x")
    auditor.user_permissions.add(Permission.objects.get(codename="audit_participants"))
    clients = {None: Client(), "auditor": Client()}
    clients["auditor"].force_login(auditor)
    results = []
    for label, name, params, who in PAGES:
        client = clients[who]
        url = reverse(name)
        started = time.monotonic()
        response = client.get(url, params)
        cold = time.monotonic() - started
        assert response.status_code == 200, (label, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times = []
        for _ in range(repeat):
            started = time.monotonic()
            response = client.get(url, params)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append(time.monotonic() - started)
        result = {
            "page": label,
            "cold_ms": 1000 * cold,
            "p50_ms": 1000 * percentile(times, 0.5),
            "p95_ms": 1000 * percentile(times, 0.95),
        }
        results.append(result)
        print(
            f"{label:40} cold {result['cold_ms']:8.0f} ms   p50 {result['p50_ms']:6.1f} ms"
            f"   p95 {result['p95_ms']:6.1f} ms",
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--interventions", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--on-demand", action="store_true")
    parser.add_argument("--directory", type=Path, help="an existing snapshot to use instead")
    parser.add_argument(
        "--pages-only", action="store_true", help="time the pages over the refresh's files"
    )
    args = parser.parse_args()
    print(f"load average {os.getloadavg()}, nproc {os.cpu_count()}", flush=True)
    run(args.rows, args.interventions, args.repeat, args.on_demand, args.directory, args.pages_only)
    print(f"load average {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
