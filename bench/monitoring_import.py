"""Import of a large participant file: wall time and peak memory.

    python -m bench.monitoring_import [--rows 1000000] [--database-url URL]

The CSV (invented people, valid codici fiscali) is generated in a temporary directory; the
import runs in a child process on a fresh SQLite database there (or on DATABASE_URL /
--database-url, whose monitoring tables it fills), so the child's peak RSS is the import's.
Targets (issue 5): 1 million rows in at most 60 s, peak RSS at most 1 GB. `run()` returns the
figures for `python -m bench`.
"""

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MONTHS = "ABCDEHLMPRST"


def write_csv(path: Path, rows: int) -> None:
    """`rows` participants of one intervention, each a different invented person."""
    from stdnum.it import codicefiscale

    sys.path.insert(0, str(ROOT))
    from reti.monitoring.importing.spec import NAMES

    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(NAMES)
        for n in range(rows):
            letters = "".join(LETTERS[(n // 26**i) % 26] for i in range(6))
            body = f"{letters}{50 + n % 50:02d}{MONTHS[n % 12]}{1 + n % 28:02d}Z{n % 1000:03d}"
            code = body + codicefiscale.calc_check_digit(body)
            left = n % 5 != 0
            values = {
                "codice_fiscale": code,
                "genere": "F" if n % 2 else "M",
                "eta_ingresso": str(18 + n % 50),
                "data_ingresso": f"{1 + n % 28:02d}/{1 + n % 12:02d}/2023",
                "data_uscita": f"{1 + n % 28:02d}/{1 + n % 12:02d}/2024" if left else "",
                "condizione_ingresso": ("disoccupato", "inattivo", "occupato")[n % 3],
                "disoccupato_lunga_durata": "si" if n % 3 == 0 and n % 2 else "no",
                "isced": str(n % 9),
                "esecuzione_penale": "si" if n % 17 == 0 else "no",
                "disabilita": "si" if n % 13 == 0 else "no",
                "data_rilevazione_uscita": (
                    f"{1 + n % 28:02d}/{1 + n % 12:02d}/2024" if left else ""
                ),
                "uscita_occupato": ("si" if n % 4 == 0 else "no") if left else "",
            }
            writer.writerow([values.get(name, "") for name in NAMES])


def child(path: Path) -> None:
    """In a fresh process: set up an intervention, import `path`, print the figures."""
    import shutil

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    django.setup()
    from datetime import date

    from django.core.management import call_command

    from reti.monitoring import snapshot
    from reti.monitoring.importing.files import imports_dir
    from reti.monitoring.importing.run import import_batch
    from reti.monitoring.models import ImportBatch, Intervention
    from reti.registry.models import Organisation, ProgrammingPeriod, Territory

    call_command("migrate", verbosity=0)
    region, _ = Territory.objects.get_or_create(
        code="09", defaults={"level": "region", "name_it": "Toscana"}
    )
    period, _ = ProgrammingPeriod.objects.get_or_create(
        code="2021-2027", defaults={"start_year": 2021, "end_year": 2027}
    )
    owner = Organisation.objects.create(name_it="Ente (benchmark)", kind="region", synthetic=True)
    intervention = Intervention.objects.create(
        code=f"BENCH-{time.time_ns()}",
        title_it="Benchmark",
        organisation=owner,
        region=region,
        period=period,
        instrument="ordinary_call",
        start_date=date(2023, 1, 1),
        end_date=date(2025, 12, 31),
        synthetic=True,
    )
    stored = imports_dir() / "bench.upload"
    shutil.copyfile(path, stored)
    batch = ImportBatch.objects.create(
        intervention=intervention,
        file_name=path.name,
        file_size=path.stat().st_size,
        sha256=f"bench-{time.time_ns()}",
        mode="replace",
        stored_file=str(stored),
    )
    started, started_cpu = time.perf_counter(), time.process_time()
    batch = import_batch(batch.pk)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    refresh_started = time.perf_counter()
    snapshot.refresh()
    refresh_seconds = time.perf_counter() - refresh_started
    print(
        json.dumps(
            {
                "status": batch.status,
                "rows": batch.rows_created,
                "import_seconds": round(seconds, 1),
                "import_cpu_seconds": round(cpu, 1),  # this process's threads, not the server's
                "snapshot_seconds": round(refresh_seconds, 1),
                "database": django.db.connection.vendor,
            }
        )
    )


def run(rows: int = 1_000_000, database_url: str | None = None) -> dict:
    """Generate the file, import it in a child process; returns the figures."""
    with tempfile.TemporaryDirectory(prefix="reti-bench-import-") as tmp:
        path = Path(tmp) / "partecipanti.csv"
        started = time.perf_counter()
        write_csv(path, rows)
        generated = time.perf_counter() - started
        env = {**os.environ, "RETI_LOCAL": "1", "RETI_VAR_DIR": tmp}
        if database_url:
            env["DATABASE_URL"] = database_url
        result = subprocess.run(
            [sys.executable, "-m", "bench.monitoring_import", "--child", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        figures.update(
            file_mb=round(path.stat().st_size / 1e6, 1),
            generate_seconds=round(generated, 1),
            peak_rss_mb=round(peak_kb / 1024),
            targets={"import_seconds": 60, "peak_rss_mb": 1024},
            load_average=os.getloadavg(),
            nproc=os.cpu_count(),
        )
    figures["met"] = figures["import_seconds"] <= 60 and figures["peak_rss_mb"] <= 1024
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.monitoring_import")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print(json.dumps(run(args.rows, args.database_url), indent=2))


if __name__ == "__main__":
    main()
