"""OpenCoesione import at scale: `python -m bench.opencoesione [--rows N] [--runs 2]`.

Issue 20's target: an extract of a million rows imported in <= 60 s and <= 1 GB. The file
is made once (var/bench/opencoesione-<N>.csv, reti.opencoesione.synthetic: three programmes
and three themes in turn, so the chosen programme and theme hold a ninth of the rows), then
`reti.opencoesione.importing.read` runs on the database DATABASE_URL names (default: a fresh
SQLite file, var/bench/opencoesione.sqlite3, migrated, with the territories and the
reference data). The first run creates the projects; the second reads the same file and
must change nothing (the idempotence the command promises), so it measures the matching.

Each run is a separate process, so its peak memory (ru_maxrss) is the import's own. Figures:
wall and CPU seconds, rows read per second, projects created/unchanged, peak RSS in MB.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DEFAULT_DB = BENCH_DIR / "opencoesione.sqlite3"
PROGRAMME, THEME = "2021IT05SFPR009", "09"
TARGETS = {"seconds": 60.0, "peak_mb": 1024.0}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    os.environ.setdefault("RETI_LOCAL", "1")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_DB}")
    import django

    django.setup()


def prepare(rows: int, fresh: bool) -> Path:
    """The extract (made once) and a database ready for it (fresh: the SQLite file made
    again)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / f"opencoesione-{rows}.csv"
    if fresh and os.environ["DATABASE_URL"] == f"sqlite:///{DEFAULT_DB}":
        DEFAULT_DB.unlink(missing_ok=True)
    from django.core.management import call_command

    from reti.opencoesione import synthetic
    from reti.registry.models import Territory
    from reti.registry.reference import ensure_reference_data
    from reti.registry.territories import load_territories

    call_command("migrate", verbosity=0)
    if not Territory.objects.exists():
        load_territories()
    ensure_reference_data()
    if not path.exists():
        started = time.perf_counter()
        synthetic.write(path, rows)
        print(f"made {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def measure(path: Path, programme: str = PROGRAMME, theme: str = THEME) -> dict:
    """One import of `path`, timed, in this process."""
    from reti.opencoesione import importing

    wall, cpu = time.perf_counter(), time.process_time()
    report = importing.read(path, programme, theme)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "rows": report.rows_read,
        "selected": report.selected,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "organisations_created": report.organisations_created,
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "rows_per_second": round(report.rows_read / wall) if wall else None,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a run in its own process
    args = parser.parse_args()
    _setup()
    if args.one:
        print(json.dumps(measure(Path(args.one))))
        return
    path = prepare(args.rows, fresh=True)
    from django.db import connection

    connection.close()
    results = []
    for run in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-m", "bench.opencoesione", "--one", str(path)],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ,
            cwd=ROOT,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1]) | {"run": run + 1}
        results.append(result)
        print(json.dumps(result))
    worst = {
        "seconds": max(r["seconds"] for r in results),
        "peak_mb": max(r["peak_mb"] for r in results),
    }
    verdict = all(worst[k] <= limit for k, limit in TARGETS.items())
    print(json.dumps({"vendor": connection.vendor, "worst": worst, "targets": TARGETS,
                      "met": verdict}))  # fmt: skip


if __name__ == "__main__":
    main()
