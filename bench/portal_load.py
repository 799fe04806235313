"""The portal as a browser and a crowd see it: first-load transfer and throughput.

Run as `python -m bench.portal_load OUT.json` with DATABASE_URL set to a benchmark database
(`python -m bench` does it after timing the endpoints). It starts gunicorn with 2 workers on a
free loopback port, with DEBUG off, so pages and static files are served as in production
(whitenoise: hashed names, precompressed files, far-future caching), then:

- **first load**: Debian's Chromium (Playwright) opens each page type in a fresh context, with
  an empty cache, and adds up what crossed the wire (headers and compressed bodies) for the
  page and everything it loads: styles, scripts, fonts, images, data;
- **throughput**: wrk, on loopback, 8 connections for 10 s per page (home, a network's page,
  search); requests per second and latency. The load tool shares the two cores with the
  server, so the figure is a floor for a machine that serves only.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

TARGET_KB = 500
THROUGHPUT_SECONDS = 10
CONNECTIONS = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "0", "RETI_LOCAL": "1"}
    command = [
        sys.executable, "-m", "gunicorn", "reti.wsgi", "--workers", "2", "--preload",
        "--timeout", "120", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    for _ in range(100):
        try:
            urlopen(f"http://127.0.0.1:{port}/it/", timeout=5).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not answer")


def pages(base: str) -> dict[str, str]:
    """One URL a page type, with records of the benchmark database."""
    from django.db.models import Count

    from reti.registry.models import Network, Organisation, Project

    network = (
        Network.objects.annotate(n=Count("roles")).order_by("-n").values_list("slug", flat=True)
    ).first()
    project = Project.objects.order_by("-id").values_list("pk", flat=True).first()
    organisation = Organisation.objects.order_by("-id").values_list("pk", flat=True).first()
    return {
        "home": f"{base}/it/",
        "networks": f"{base}/it/reti/",
        "network": f"{base}/it/reti/{network}/",
        "projects (2007-2013)": f"{base}/it/progetti/?period=2007-2013",
        "project": f"{base}/it/progetti/{project}/",
        "organisations": f"{base}/it/organizzazioni/",
        "organisation": f"{base}/it/organizzazioni/{organisation}/",
        "territories (map)": f"{base}/it/territori/",
        "territory (Toscana)": f"{base}/it/territori/09/",
        "timeline": f"{base}/it/cronologia/",
        "graph": f"{base}/it/grafo/",
        "search": f"{base}/it/cerca/?q=inclusione",
    }


def warm(urls: dict[str, str]) -> None:
    """One request per page first: the server's caches (the map's figures take a minute at
    national scale) are not what a first visit's transfer measures."""
    for url in urls.values():
        for _ in range(2):
            urlopen(url, timeout=600).read()


def first_loads(urls: dict[str, str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from reti.browser_testing import CHROMIUM, CHROMIUM_ARGS

    warm(urls)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, url in urls.items():
            context = browser.new_context()
            page = context.new_page()
            finished = []
            page.on("requestfinished", lambda request, done=finished: done.append(request))
            page.goto(url, wait_until="networkidle", timeout=120_000)
            total, by_type = 0, {}
            for request in finished:
                sizes = request.sizes()
                size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
                total += size
                kind = request.resource_type
                by_type[kind] = by_type.get(kind, 0) + size
            rows.append(
                {
                    "page": label,
                    "url": url,
                    "requests": len(finished),
                    "kb": round(total / 1024, 1),
                    "by_type_kb": {k: round(v / 1024, 1) for k, v in sorted(by_type.items())},
                }
            )
            print(f"- first load, {label}: {rows[-1]['kb']} KB in {len(finished)} requests")
            context.close()
        browser.close()
    return rows


def throughput(urls: dict[str, str]) -> list[dict]:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (apt-get install wrk): throughput not measured")
        return []
    rows = []
    for label in ("home", "network", "search"):
        output = subprocess.run(
            [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{THROUGHPUT_SECONDS}s", "--latency", urls[label]],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        rows.append(
            {
                "page": label,
                "url": urls[label],
                "requests_per_second": rps,
                "latency_p50": latency.get("50"),
                "latency_p99": latency.get("99"),
                "non_2xx": int(errors.group(1)) if errors else 0,
            }
        )
        print(f"- throughput, {label}: {rps:.0f} requests/s, p50 {latency.get('50')}")
    return rows


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    import django

    django.setup()
    port = free_port()
    server = start_server(port)
    try:
        urls = pages(f"http://127.0.0.1:{port}")
        data = {"first_load": first_loads(urls)}
        if "--no-throughput" not in sys.argv:
            data["throughput"] = throughput(urls)
    finally:
        server.terminate()
        server.wait(timeout=30)
    Path(sys.argv[1]).write_text(json.dumps(data, indent=2))


if __name__ == "__main__":
    main()
