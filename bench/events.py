"""Events benchmark: the event list, an event's page and a network's feed, at national scale.

`python -m bench.events [--iterations N] [--generate]` prints p50/p95 of both against the
database of DATABASE_URL (RETI_LOCAL=1); `--generate` first loads the national synthetic
events (100k) over the registry data already there. The lead's `python -m bench` may call
`measure_events()` and read its dict. Targets (issue 4): the list (upcoming, past, and a page
reached by following "next" ten times) and an event's page p95 <= 50 ms, a network's feed
<= 200 ms. Each figure has its wall time and this process's CPU time (`time.process_time`:
Django, the templates, the feed's text and, on SQLite, the database engine), beside the bare
view's (bench/urls.py: middleware and client alone) measured in the same loop.
"""

import argparse
import json
import os
import random
import time


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


FLOOR = "/__bench__/bare/"  # bench/urls.py
CPU: dict[str, list[float]] = {}


def _timed(client, url: str, label: str = "") -> float:
    """Wall milliseconds of one request; its CPU milliseconds go to CPU[label]."""
    cpu, started = time.process_time(), time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    CPU.setdefault(label, []).append((time.process_time() - cpu) * 1000)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def _figures(values: list[float]) -> dict:
    return {"p50": round(_percentile(values, 0.5), 1), "p95": round(_percentile(values, 0.95), 1)}


def _eleventh_page(client) -> str:
    """The URL of the upcoming list's 11th page, reached through its "next" links."""
    import html
    import re

    from django.urls import reverse

    url = reverse("events:list")
    for _ in range(10):
        page = client.get(url).content.decode()
        found = re.search(r'rel="next" href="(\?[^"]+)"', page)
        if found is None:
            break
        url = reverse("events:list") + html.unescape(found.group(1))
    return url


def measure_events(iterations: int = 50, seed: int = 1) -> dict:
    """p50/p95 (ms) of event pages and of the busiest networks' iCalendar feeds (built, cached)."""
    from django.core.cache import cache
    from django.db.models import Count
    from django.test import Client, override_settings
    from django.urls import reverse
    from django.utils import translation

    from reti.events import ical
    from reti.events.models import Event
    from reti.registry.models import Network

    rng = random.Random(seed)
    client = Client(HTTP_HOST="127.0.0.1")
    with translation.override("it"):
        last = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ids = list(
            Event.objects.filter(
                pk__in=[rng.randint(1, last) for _ in range(iterations * 3)]
            ).values_list("pk", flat=True)[:iterations]
        )
        slugs = list(
            Network.objects.annotate(n=Count("events"))
            .order_by("-n")
            .values_list("slug", flat=True)[: max(iterations // 5, 3)]
        )
        CPU.clear()
        with override_settings(ROOT_URLCONF="bench.urls"):
            _timed(client, reverse("events:detail", args=[ids[0]]))  # warm caches and imports
            _timed(client, FLOOR)
            pages, floor = [], []
            for pk in ids:
                pages.append(_timed(client, reverse("events:detail", args=[pk]), "page"))
                floor.append(_timed(client, FLOOR, "floor"))
            lists = {"upcoming": [], "past": [], "page_11": []}
            deep = _eleventh_page(client)
            for _ in range(iterations):
                lists["upcoming"].append(_timed(client, reverse("events:list"), "list"))
                lists["past"].append(_timed(client, reverse("events:list") + "?when=past", "list"))
                lists["page_11"].append(_timed(client, deep, "list"))
            feeds, cached = [], []
            for slug in slugs:
                cache.clear()  # the first poll builds the feed; the next ones read it back
                feeds.append(_timed(client, reverse("events:network_feed", args=[slug]), "feed"))
                cached.append(_timed(client, reverse("events:network_feed", args=[slug]), "cached"))
        per_feed = Event.objects.filter(network__slug=slugs[0]).count()
        in_window = ical.feed_events(Event.objects.filter(network__slug=slugs[0])).count()
    return {
        "nproc": os.cpu_count(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "cpu_ms": {label: _figures(values) for label, values in CPU.items()},
        "floor_wall_ms": _figures(floor),
        "events": Event.objects.count(),
        "event_page_ms": {
            "p50": _percentile(pages, 0.5),
            "p95": _percentile(pages, 0.95),
            "n": len(pages),
        },
        "list_ms": {name: _figures(values) for name, values in lists.items()},
        "network_feed_ms": {
            "p50": _percentile(feeds, 0.5),
            "p95": _percentile(feeds, 0.95),
            "max": max(feeds),
            "n": len(feeds),
            "events_of_busiest_network": per_feed,
            "in_its_feed": in_window,
        },
        "network_feed_cached_ms": {
            "p50": _percentile(cached, 0.5),
            "p95": _percentile(cached, 0.95),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--generate", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    import django

    django.setup()
    if args.generate:
        from reti.events.demo import generate

        print(generate("national", seed=1, report=print))
    print(json.dumps(measure_events(args.iterations), indent=2))


if __name__ == "__main__":
    main()
