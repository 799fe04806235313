"""Good practices at national scale: search p95, practice page p95, 20-page PDF extraction.

`python -m bench.knowledge [--practices N] [--iterations N]` prints the figures; `run()`
returns them for `python -m bench`. DATABASE_URL chooses the database (default: SQLite in
var/bench/knowledge.sqlite3, created and loaded on first use: the registry's small demo for
organisations and networks, then the knowledge demo's 50k practices, loaded in bulk).
Requests go through Django's test client, so every middleware runs; times are warm. Each
figure has its wall time and the CPU time of this process (`time.process_time`: Django, the
templates and, on SQLite, the database engine; PostgreSQL's own CPU is in its server process),
beside the bare view's (bench/urls.py: the middleware and the client alone), measured in the
same loop, so a busy machine shows as a high wall/CPU ratio rather than as slow code.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench" / "knowledge.sqlite3"
QUERIES = [
    "inserimento lavorativo", "cooperativa", "detenuti", "prisoners", "serigrafia",
    "tirocini", "valutazione occupazione", "agricoltura sociale", "migranti", "NEET",
    "povertà", "housing", "mentoring", "relazione", "inclusione sociale",
]  # fmt: skip
FLOOR = "/__bench__/bare/"  # bench/urls.py
PDF_PAGES = 20
WORDS_A_PAGE = 450


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    os.environ.setdefault("RETI_LOCAL", "1")
    os.environ.setdefault("DEBUG", "0")
    if "DATABASE_URL" not in os.environ:
        DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_DB}"
    import django

    django.setup()


def _load(practices: int) -> dict:
    """The demo data, when the database does not hold `practices` practices yet."""
    from django.core.management import call_command

    from reti.knowledge import demo
    from reti.knowledge.models import GoodPractice
    from reti.registry.demo import SCALES
    from reti.registry.demo import generate as registry_generate
    from reti.registry.models import Organisation

    call_command("migrate", verbosity=0)
    if GoodPractice.objects.filter(synthetic=True).count() >= practices:
        return {"loaded": False}
    started = time.monotonic()
    if not Organisation.objects.filter(synthetic=True).exists():
        registry_generate(SCALES["small"], seed=1)
    registry_seconds = time.monotonic() - started
    started = time.monotonic()
    counts = demo.generate(
        "national", seed=1, practices=practices, report=lambda line: print(line, flush=True)
    )
    return {
        "loaded": True,
        "registry_seconds": round(registry_seconds, 1),
        "knowledge_seconds": round(time.monotonic() - started, 1),
        "counts": counts,
    }


def _summary(values: list[float]) -> dict:
    return {
        "p50": round(statistics.median(values), 1),
        "p95": round(percentile(values, 0.95), 1),
        "max": round(max(values), 1),
    }


def _time(client, urls: list[str], iterations: int) -> dict:
    """Wall and CPU milliseconds of `iterations` requests cycling over `urls`, with the floor."""
    for url in urls[:5]:
        client.get(url)  # warm-up
    client.get(FLOOR)
    walls, cpus, floor_walls, floor_cpus = [], [], [], []
    for index in range(iterations):
        url = urls[index % len(urls)]
        cpu, started = time.process_time(), time.perf_counter()
        response = client.get(url)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        cpu, started = time.process_time(), time.perf_counter()
        client.get(FLOOR)
        floor_walls.append((time.perf_counter() - started) * 1000)
        floor_cpus.append((time.process_time() - cpu) * 1000)
    return {
        "requests": len(walls),
        "wall_ms": _summary(walls),
        "cpu_ms": _summary(cpus),
        "floor_wall_ms": _summary(floor_walls),
        "floor_cpu_ms": _summary(floor_cpus),
    }


def measure_pages(iterations: int) -> dict:
    from django.db.models import Max, Min
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils.http import urlencode

    from reti.knowledge.models import GoodPractice

    setup_test_environment()  # lets the test client's host in
    client = Client()
    listing = reverse("knowledge:practice_list")
    search_urls = [f"{listing}?{urlencode({'q': q})}" for q in QUERIES]
    published = GoodPractice.objects.filter(state="published")
    bounds = published.aggregate(low=Min("pk"), high=Max("pk"))
    rng = random.Random(5)
    wanted = {rng.randint(bounds["low"], bounds["high"]) for _ in range(400)}
    ids = list(published.filter(pk__in=wanted).values_list("pk", flat=True))[:200]
    detail_urls = [reverse("knowledge:practice_detail", args=[pk]) for pk in ids]
    with override_settings(ROOT_URLCONF="bench.urls"):
        return {
            "practices": GoodPractice.objects.count(),
            "published": published.count(),
            "search": _time(client, search_urls, iterations),
            "list_with_facets": _time(client, [listing], max(10, iterations // 5)),
            "practice_page": _time(client, detail_urls, iterations),
        }


def measure_pdf_extraction(runs: int = 5) -> dict:
    """Seconds to extract the text of a 20-page PDF with pypdf, as the background task does."""
    from reti.knowledge.extraction import extract_text
    from reti.knowledge.tests.files import minimal_pdf

    rng = random.Random(3)
    words = ["valutazione", "inserimento", "lavorativo", "cooperativa", "sociale", "tirocinio"]
    pages = []
    for number in range(PDF_PAGES):
        lines = [" ".join(rng.choice(words) for _ in range(9)) for _ in range(WORDS_A_PAGE // 9)]
        pages.append(f"Pagina {number + 1}\n" + "\n".join(lines))
    pdf = minimal_pdf(*pages)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        text = extract_text("pdf", io.BytesIO(pdf))
        times.append(time.perf_counter() - started)
    return {
        "pages": PDF_PAGES,
        "bytes": len(pdf),
        "characters": len(text),
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "target_s": 2.0,
    }


def run(practices: int = 50_000, iterations: int = 200, pages: bool = True) -> dict:
    """Every figure of this benchmark (loads the demo data when needed)."""
    _setup()
    from django.db import connection

    figures = {
        "database": connection.vendor,
        "nproc": os.cpu_count(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "pdf_extraction": measure_pdf_extraction(),
    }
    if pages:
        figures["load"] = _load(practices)
        figures |= measure_pages(iterations)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.knowledge")
    parser.add_argument("--practices", type=int, default=50_000)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--pdf-only", action="store_true", help="only the PDF extraction")
    args = parser.parse_args()
    figures = run(args.practices, args.iterations, pages=not args.pdf_only)
    for key, value in figures.items():
        print(f"{key}: {value}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
