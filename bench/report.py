"""The benchmark's figures as Markdown, kept between markers in docs/benchmarks.md."""

import os
import platform
from pathlib import Path

import django

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
TARGET_MS = 50.0
TARGET_KB = 500


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "os": platform.platform(),
    }


def _ms(value) -> str:
    return f"{value:.1f}" if value is not None else "—"


def _cpu(row) -> str:
    if "cpu_p50" not in row:
        return "—"
    return f"{row['cpu_p50']:.1f} / {row['cpu_p95']:.1f}"


def _table(run: dict) -> list[str]:
    lines = [
        "| endpoint | example URL | p50 ms | p95 ms | floor p50 ms | × floor (p50) | queries "
        "| in database, p50 ms | CPU p50 / p95 ms | first view p95 ms "
        "| p95 target met (50 ms; search 100 ms) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in run["results"]:
        if row.get("name") is None:
            lines.append(f"| {row['label']} | not present yet | | | | | | | | | |")
            continue
        if "p50" not in row:
            status = f"HTTP {row['status']}"
            lines.append(f"| {row['label']} | `{row['example']}` | {status} | | | | | | | | |")
            continue
        met = "yes" if row["p95"] <= row.get("target_ms", TARGET_MS) else "**no**"
        lines.append(
            f"| {row['label']} | `{row['example']}` | {_ms(row['p50'])} | {_ms(row['p95'])} "
            f"| {row['floor_p50']:.2f} | {row['ratio']:.0f}× | {row['queries']} "
            f"| {row['database_p50']:.1f} | {_cpu(row)} | {_ms(row.get('first_view_p95'))} "
            f"| {met} |"
        )
    return lines


def render(runs: dict, *, started: str, machine: dict, load, command: str) -> str:
    before, after = load
    lines = [
        START,
        f"## Latest run: {started}",
        "",
        f"Command: `{command}`. Machine: {machine['nproc']} cores (`nproc`), "
        f"{machine['memory']} memory, CPU {machine['cpu']}; Python {machine['python']}, "
        f"Django {machine['django']}, {machine['os']}. Load average "
        f"{before[0]:.2f} before, {after[0]:.2f} after (other work on the machine shows here).",
        "",
    ]
    for backend, run in runs.items():
        lines += [f"### {backend} ({run['database']})", ""]
        load = run.get("load")
        if load:
            cpu = load.get("cpu_seconds")
            lines.append(
                f"National demo load (`reti demo --scale national`): **{load['seconds']:.0f} s** "
                f"wall clock on {load['date']}"
                + (f", {cpu:.0f} s of CPU in the loading process" if cpu else "")
                + f" (load average {load['load_average_before'][0]:.2f} before)."
            )
            lines.append("")
        lines.append(
            f"Up to {run['iterations']} timed requests per endpoint, warm (a detail page's "
            "records each requested once before, that first view's p95 in its own column), "
            "each beside one of the bare view; the busiest organisation takes part in "
            f"{run['busiest_organisation_partnerships']:,} projects."
        )
        lines += ["", *_table(run), ""]
        lines += _portal_load(run.get("portal_load"))
    lines.append(END)
    return "\n".join(lines)


def _portal_load(data) -> list[str]:
    """First-load transfer in Chromium and throughput with wrk, against gunicorn."""
    if not data:
        return []
    lines = [
        "First load of each page type in Chromium with an empty cache, served by gunicorn "
        "(2 workers, DEBUG off): everything that crossed the wire, headers and compressed "
        f"bodies. Target ≤ {TARGET_KB} KB.",
        "",
        "| page | requests | KB | of which script / style / font / document | target met |",
        "|---|---:|---:|---|---|",
    ]
    for row in data["first_load"]:
        kinds = row["by_type_kb"]
        parts = " / ".join(
            str(kinds.get(k, 0)) for k in ("script", "stylesheet", "font", "document")
        )
        met = "yes" if row["kb"] <= TARGET_KB else "**no**"
        lines.append(f"| {row['page']} | {row['requests']} | {row['kb']} | {parts} | {met} |")
    lines.append("")
    if data.get("throughput"):
        lines += [
            "Throughput: wrk on loopback, 2 threads, 8 connections, 10 s a page, sharing the "
            "two cores with gunicorn's 2 workers.",
            "",
            "| page | requests/s | latency p50 | latency p99 | non-2xx |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in data["throughput"]:
            lines.append(
                f"| {row['page']} | {row['requests_per_second']:.0f} | {row['latency_p50']} "
                f"| {row['latency_p99']} | {row['non_2xx']} |"
            )
        lines.append("")
    return lines


def write(path: Path, section: str) -> None:
    """Replace the generated section of `path`, keeping the hand-written text around it."""
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    path.write_text(head + section + tail)
