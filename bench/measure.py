"""Time each endpoint beside the bare view, in-process, warm; count its queries.

Run as `python -m bench.measure OUT.json [--iterations N] [--explain FILE]` with DATABASE_URL
set. Requests go through Django's test client, so every middleware runs; the bare view's time
is the floor (middleware, URL resolution, the client itself), taken in the same loop.
"""

import argparse
import json
import os
import random
import time
from urllib.parse import urlencode

import django

TARGET_MS = 50.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def draw_samples():
    from django.db.models import Count, Max, Min

    from reti.registry.models import Network, Organisation, Partnership, Project

    from .endpoints import Samples

    rng = random.Random(7)

    def sample(model, size):
        bounds = model.objects.filter(synthetic=True).aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            return list(model.objects.values_list("pk", flat=True)[:size])
        wanted = {rng.randint(bounds["low"], bounds["high"]) for _ in range(size * 2)}
        found = list(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        rng.shuffle(found)
        return found[:size]

    busiest = (
        Partnership.objects.values("organisation")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("organisation", "n")
        .first()
    )
    print(f"Busiest organisation: {busiest[0]} with {busiest[1]} partnerships.", flush=True)
    return Samples(
        sample(Project, 500), sample(Organisation, 500), sample(Network, 200), busiest[0]
    ), busiest


def resolve(endpoint):
    from django.urls import NoReverseMatch, reverse

    for name in endpoint.names:
        try:
            reverse(name, args=[1] if endpoint.group == "detail" else [])
        except NoReverseMatch:
            continue
        return name
    return None


def url_for(endpoint, name, samples) -> str:
    from django.urls import reverse

    url = reverse(name, args=endpoint.args(samples))
    return f"{url}?{urlencode(endpoint.query)}" if endpoint.query else url


def timed(client, url) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.status_code


def count_queries(client, endpoint, name, samples, rounds=9):
    """Most queries a request made, median time in the database (ms), the slowest SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    most, slowest, database_ms = 0, ("", 0.0), []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            client.get(url_for(endpoint, name, samples))
        most = max(most, len(captured.captured_queries))
        database_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        for query in captured.captured_queries:
            if float(query["time"]) > slowest[1]:
                slowest = (query["sql"], float(query["time"]))
    return most, percentile(database_ms, 0.5), slowest[0]


def explain(sql: str) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        prefix = "EXPLAIN (ANALYZE, BUFFERS) "
    else:
        prefix = "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())


def measure(args) -> dict:
    from django.db import connection
    from django.test import Client

    from .endpoints import ENDPOINTS

    samples, busiest = draw_samples()
    client = Client()
    floor = "/__bench__/bare/"
    for _ in range(args.warmup):
        client.get(floor)
    results, explained = [], []
    for endpoint in ENDPOINTS:
        name = resolve(endpoint)
        row = {"label": endpoint.label, "group": endpoint.group, "name": name}
        results.append(row)
        if name is None:
            print(f"- {endpoint.label}: absent ({', '.join(endpoint.names)})", flush=True)
            continue
        row["example"] = url_for(endpoint, name, samples)
        status = client.get(row["example"]).status_code
        if status != 200:
            row["status"] = status
            print(f"- {endpoint.label}: HTTP {status} at {row['example']}", flush=True)
            continue
        for _ in range(args.warmup):
            client.get(url_for(endpoint, name, samples))
        own, bare = [], []
        started = time.monotonic()
        for i in range(args.iterations):
            bare.append(timed(client, floor)[0])
            elapsed, status = timed(client, url_for(endpoint, name, samples))
            own.append(elapsed)
            if i >= 20 and time.monotonic() - started > args.budget:
                break
        row |= {
            "iterations": len(own),
            "p50": percentile(own, 0.5),
            "p95": percentile(own, 0.95),
            "floor_p50": percentile(bare, 0.5),
            "floor_p95": percentile(bare, 0.95),
        }
        row["ratio"] = row["p50"] / row["floor_p50"]
        row["queries"], row["database_p50"], slowest = count_queries(
            client, endpoint, name, samples
        )
        print(
            f"- {endpoint.label}: p50 {row['p50']:.1f} ms, p95 {row['p95']:.1f} ms, "
            f"floor p50 {row['floor_p50']:.2f} ms, {row['queries']} queries "
            f"taking {row['database_p50']:.1f} ms",
            flush=True,
        )
        if args.explain and row["p95"] > TARGET_MS and slowest:
            explained.append(f"## {endpoint.label}\n\n{slowest}\n\n{explain(slowest)}\n")
    if args.explain:
        with open(args.explain, "w") as out:
            out.write("\n".join(explained) or "Every endpoint met the target.\n")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = "PostgreSQL " + cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = "SQLite " + cursor.fetchone()[0]
    return {
        "database": version,
        "vendor": connection.vendor,
        "busiest_organisation_partnerships": busiest[1],
        "iterations": args.iterations,
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--budget", type=float, default=40.0, help="seconds per endpoint")
    parser.add_argument("--explain", help="write EXPLAIN of slow endpoints' slowest query here")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    django.setup()
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"]):
        data = measure(args)
    with open(args.out, "w") as out:
        json.dump(data, out, indent=2)


if __name__ == "__main__":
    main()
