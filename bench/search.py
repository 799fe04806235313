"""`python -m bench.search [--runs N] [--explain]`: the search pages and API call alone.

Requests each search URL of bench/endpoints.py, a few more queries and the API search with
Django's test client against DATABASE_URL, after a warm-up request each, and prints p50/p95
of wall-clock and CPU time (this process's, and the PostgreSQL backend's when the server runs
on this machine, in clock ticks of 10 ms), the database's share and the load average;
`--explain` adds the EXPLAIN (ANALYZE, BUFFERS) of each URL's slowest query (docs/search.md
records the figures).
"""

import argparse
import os
import time
from urllib.parse import urlencode

import django

from .measure import QueryTimer, percentile

EXTRA = (
    ("portal:search", "povertà"),
    ("portal:search", "progetto"),
    ("portal:search", "rete servizi"),
    ("portal:search", "formazione lavoro giovani"),
    ("portal:search", "coop"),
    ("portal:search", "Toscana"),
    ("portal:search", "inclusione sociale", "project"),
)
API = (("inclusione sociale",), ("cooperativa sociale Città",), ("coop",))


def urls() -> list[str]:
    from django.urls import reverse

    from .endpoints import ENDPOINTS

    found = [
        f"{reverse(e.names[0])}?{urlencode(e.query)}"
        for e in ENDPOINTS
        if e.group == "search" and e.names[0] == "portal:search"
    ]
    for name, q, *kind in EXTRA:
        query = {"q": q, **({"kind": kind[0]} if kind else {})}
        found.append(f"{reverse(name)}?{urlencode(query)}")
    found += [f"/api/v1/search?{urlencode({'q': q})}" for (q,) in API]
    return found


def server_cpu(pid: int | None) -> float:
    """CPU milliseconds of the PostgreSQL backend so far (a server on this machine), or 0."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", default="", help="the URLs that contain this")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from reti.registry.search import engine

    client = Client()
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    print(f"load average before: {os.getloadavg()}")
    rows, plans = [], []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for url in [url for url in urls() if args.only in url]:
            assert client.get(url).status_code == 200, url
            walls, cpus, dbs, servers, slowest = [], [], [], [], (0.0, "", None)
            for _ in range(args.runs):
                queries = QueryTimer()
                with connection.execute_wrapper(queries):
                    server = server_cpu(pid)
                    cpu, started = time.process_time(), time.perf_counter()
                    client.get(url)
                    walls.append((time.perf_counter() - started) * 1000)
                    cpus.append((time.process_time() - cpu) * 1000)
                    servers.append(server_cpu(pid) - server)
                dbs.append(queries.seconds * 1000)
                slowest = max(slowest, queries.slowest, key=lambda s: s[0])
            rows.append((url, walls, cpus, dbs))
            print(
                f"{url}: wall p50 {percentile(walls, 0.5):.1f} p95 {percentile(walls, 0.95):.1f}"
                f" | cpu p50 {percentile(cpus, 0.5):.1f} p95 {percentile(cpus, 0.95):.1f}"
                f" | db p50 {percentile(dbs, 0.5):.1f}"
                f" | server cpu p50 {percentile(servers, 0.5):.0f}"
                f" p95 {percentile(servers, 0.95):.0f} ms",
                flush=True,
            )
            if args.explain and slowest[1]:
                # As the search plans it (PostgreSQL: on the full-text index only).
                with engine().searching(), connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[1], slowest[2])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                plans.append(f"-- {url} ({slowest[0] * 1000:.1f} ms)\n{slowest[1]}\n{plan}")
    every = [w for _, walls, _, _ in rows for w in walls]
    print(f"all: wall p50 {percentile(every, 0.5):.1f} p95 {percentile(every, 0.95):.1f} ms")
    print(f"load average after: {os.getloadavg()}")
    for plan in plans:
        print("\n" + plan)


if __name__ == "__main__":
    main()
