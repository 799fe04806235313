"""Time each endpoint beside the bare view, in-process, warm; count its queries.

Run as `python -m bench.measure OUT.json [--iterations N] [--explain FILE]` with DATABASE_URL
set. Requests go through Django's test client, so every middleware runs; the bare view's time
is the floor (middleware, URL resolution, the client itself), taken in the same loop. Queries
are counted and timed by an execute wrapper on every timed request.
"""

import argparse
import json
import os
import random
import re
import time
from urllib.parse import urlencode

import django


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def draw_samples():
    from django.db.models import Count, Max, Min

    from reti.events.models import Event
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
    networks = sample(Network, 200)
    slugs = dict(Network.objects.filter(pk__in=networks).values_list("pk", "slug"))
    samples = Samples(
        sample(Project, 500),
        sample(Organisation, 500),
        networks,
        [slugs[pk] for pk in networks],
        busiest[0],
        practices=_published_practices(rng),
        events=sample(Event, 500),
    )
    return samples, busiest


def _published_practices(rng, size: int = 500) -> list[int]:
    """Published good practices (the only ones the public sees), drawn with the seed."""
    from reti.knowledge.models import GoodPractice

    published = list(
        GoodPractice.objects.filter(state=GoodPractice.State.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng.shuffle(published)
    return published[:size]


def bench_superuser():
    """The account back-office pages are requested with; it exists only in bench databases."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench-superuser", defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def resolve(endpoint):
    from django.urls import NoReverseMatch, reverse

    for name in endpoint.names:
        try:
            reverse(name, args=endpoint.args(_ANY) if endpoint.group == "detail" else [])
        except NoReverseMatch:
            continue
        return name
    return None


def url_for(endpoint, name, samples) -> str:
    from django.urls import reverse

    url = reverse(name, args=endpoint.args(samples))
    return f"{url}?{urlencode(endpoint.query)}" if endpoint.query else url


def first_view_pass(client, urls: list[str], budget: float) -> dict[str, float]:
    """Request each distinct record of a detail endpoint once before the timed loop, and
    time it: the timed requests are then warm like the rest (the records' pages are in the
    database's cache), and these times say what the first visitor of a record waits, from
    a cold cache on a machine whose page cache is small. Returns the milliseconds of each
    URL reached within `budget`. Lists have one URL: nothing here."""
    distinct = list(dict.fromkeys(urls))
    if len(distinct) < 2:
        return {}
    times, started = {}, time.monotonic()
    for url in distinct:
        times[url] = timed(client, url)
        if time.monotonic() - started > budget:
            break
    return times


def timed(client, url, timer=None) -> float:
    """Milliseconds for one request; with a QueryTimer, its queries are counted and timed."""
    from django.db import connection

    if timer is None:
        started = time.perf_counter()
        client.get(url)
        return (time.perf_counter() - started) * 1000
    fetched = _fetching[0]
    with connection.execute_wrapper(timer):
        cpu = time.thread_time()
        started = time.perf_counter()
        client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        timer.cpu = (time.thread_time() - cpu) * 1000
    timer.seconds += _fetching[0] - fetched
    return elapsed


class _AnySamples:
    """Stands for the samples when only checking that a URL name exists."""

    def __getattr__(self, name):
        return lambda: 1

    busiest_organisation = 1


_ANY = _AnySamples()
_fetching = [0.0]  # seconds SQLite spent stepping through result rows


def time_sqlite_fetches() -> None:
    """Count SQLite's row fetches as database time: sqlite3 runs most of a query while the
    rows are fetched, after execute() has returned (psycopg fetches everything in execute)."""
    import sqlite3

    from django.db.backends.sqlite3.base import SQLiteCursorWrapper

    for name in ("fetchone", "fetchmany", "fetchall"):
        original = getattr(sqlite3.Cursor, name)

        def fetch(self, *args, _original=original):
            started = time.perf_counter()
            try:
                return _original(self, *args)
            finally:
                _fetching[0] += time.perf_counter() - started

        setattr(SQLiteCursorWrapper, name, fetch)


class QueryTimer:
    """A connection execute wrapper: counts the queries of a request and times them."""

    def __init__(self):
        self.count, self.seconds, self.slowest, self.cpu = 0, 0.0, (0.0, "", None), 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.count += 1
            self.seconds += elapsed
            if elapsed > self.slowest[0] and not many:
                self.slowest = (elapsed, sql, params)


def explain(sql: str, params) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        prefix = "EXPLAIN (ANALYZE, BUFFERS) "
    else:
        prefix = "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())


def measure(args) -> dict:
    from django.db import connection
    from django.test import Client

    from .endpoints import ENDPOINTS

    if connection.vendor == "sqlite":
        time_sqlite_fetches()
    samples, busiest = draw_samples()
    anonymous, staff = Client(), Client()
    staff.force_login(bench_superuser())
    floor = "/__bench__/bare/"
    for _ in range(args.warmup):
        anonymous.get(floor)
    results, explained = [], []
    chosen = re.compile(args.only, re.I) if args.only else None
    for endpoint in ENDPOINTS:
        if chosen and not chosen.search(endpoint.label):
            continue
        client = staff if endpoint.staff else anonymous
        name = resolve(endpoint)
        row = {"label": endpoint.label, "group": endpoint.group, "name": name}
        results.append(row)
        if name is None:
            print(f"- {endpoint.label}: absent ({', '.join(endpoint.names)})", flush=True)
            continue
        row["example"] = url_for(endpoint, name, samples)
        status = client.get(row["example"]).status_code  # also warms the caches
        if status != 200:
            row["status"] = status
            print(f"- {endpoint.label}: HTTP {status} at {row['example']}", flush=True)
            continue
        for _ in range(args.warmup):
            client.get(url_for(endpoint, name, samples))
        urls = [url_for(endpoint, name, samples) for _ in range(args.iterations)]
        # Every record once, within the endpoint's budget again; the timed loop then draws
        # only records already seen (a cut pass would leave first views in it).
        first_views = first_view_pass(client, urls, args.budget)
        if first_views and len(first_views) < len(set(urls)):
            seen = list(first_views)
            urls = [seen[i % len(seen)] for i in range(len(urls))]
        own, bare, queries, database, cpu = [], [], [], [], []
        slowest = (0.0, "", None)
        started = time.monotonic()
        for i, url in enumerate(urls):
            bare.append(timed(client, floor))
            timer = QueryTimer()
            own.append(timed(client, url, timer))
            cpu.append(timer.cpu)
            queries.append(timer.count)
            database.append(timer.seconds * 1000)
            slowest = max(slowest, timer.slowest, key=lambda item: item[0])
            if i >= 20 and time.monotonic() - started > args.budget:
                break
        row |= {
            "iterations": len(own),
            "p50": percentile(own, 0.5),
            "p95": percentile(own, 0.95),
            "floor_p50": percentile(bare, 0.5),
            "floor_p95": percentile(bare, 0.95),
            "queries": max(queries),
            "database_p50": percentile(database, 0.5),
            # This thread's CPU time: what the request costs here, whatever else the machine
            # runs (on SQLite it includes the database's work, on PostgreSQL not).
            "cpu_p50": percentile(cpu, 0.5),
            "cpu_p95": percentile(cpu, 0.95),
        }
        row["ratio"] = row["p50"] / row["floor_p50"]
        if first_views:
            row["first_view_p95"] = percentile(list(first_views.values()), 0.95)
            row["first_views"] = len(first_views)
        print(
            f"- {endpoint.label}: p50 {row['p50']:.1f} ms, p95 {row['p95']:.1f} ms, "
            f"floor p50 {row['floor_p50']:.2f} ms, {row['queries']} queries "
            f"taking {row['database_p50']:.1f} ms",
            flush=True,
        )
        row["target_ms"] = endpoint.target_ms
        if args.explain and row["p95"] > endpoint.target_ms and slowest[1]:
            plan = explain(slowest[1], slowest[2])
            explained.append(
                f"## {endpoint.label} (slowest query {slowest[0] * 1000:.1f} ms)\n\n"
                f"{slowest[1]}\n{slowest[2]}\n\n{plan}\n"
            )
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
    parser.add_argument("--only", help="measure only the endpoints whose label matches this regex")
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
