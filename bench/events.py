"""Events benchmark: an event's page and a network's iCalendar feed, at national scale.

`python -m bench.events [--iterations N] [--generate]` prints p50/p95 of both against the
database of DATABASE_URL (RETI_LOCAL=1); `--generate` first loads the national synthetic
events (100k) over the registry data already there. The lead's `python -m bench` may call
`measure_events()` and read its dict. Targets (issue 4): event page p95 <= 50 ms, a network's
feed <= 200 ms.
"""

import argparse
import json
import os
import random
import time


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def measure_events(iterations: int = 50, seed: int = 1) -> dict:
    """p50/p95 (ms) of event pages and of the busiest networks' iCalendar feeds (built, cached)."""
    from django.core.cache import cache
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

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
        _timed(client, reverse("events:detail", args=[ids[0]]))  # warm caches and imports
        pages = [_timed(client, reverse("events:detail", args=[pk])) for pk in ids]
        feeds, cached = [], []
        for slug in slugs:
            cache.clear()  # the first poll builds the feed; the next ones read it back
            feeds.append(_timed(client, reverse("events:network_feed", args=[slug])))
            cached.append(_timed(client, reverse("events:network_feed", args=[slug])))
        per_feed = Event.objects.filter(network__slug=slugs[0]).count()
    return {
        "events": Event.objects.count(),
        "event_page_ms": {
            "p50": _percentile(pages, 0.5),
            "p95": _percentile(pages, 0.95),
            "n": len(pages),
        },
        "network_feed_ms": {
            "p50": _percentile(feeds, 0.5),
            "p95": _percentile(feeds, 0.95),
            "max": max(feeds),
            "n": len(feeds),
            "events_of_busiest_network": per_feed,
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
