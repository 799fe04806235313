"""Give the benchmark database the national demo data, once; time the load.

Run as `python -m bench.prepare` with DATABASE_URL set. When the demo Source says the last
run was national, the data are reused and the recorded load time is kept.
"""

import json
import os
import sys
import time
from pathlib import Path

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    django.setup()
    from django.core.management import call_command, get_commands

    from reti.registry.demo import SOURCE_KEY
    from reti.registry.models import Source

    record = Path(sys.argv[1])
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    note = Source.objects.filter(key=SOURCE_KEY).values_list("note", flat=True).first() or ""
    if "scala national" in note and record.exists():
        print(f"National demo data present ({record.name}): reused.", flush=True)
        _ensure_snapshot()
        return
    commands = get_commands()
    for name in ("load_territories", "load_presentation", "load_indicators"):
        if name in commands:
            call_command(name, verbosity=1)
    load = os.getloadavg()
    started, cpu = time.monotonic(), time.process_time()
    call_command("demo", scale="national", seed=1)
    seconds = time.monotonic() - started
    record.write_text(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                # CPU time of this process (both threads): the wall time's share of the CPU
                # says how busy the machine was with other work.
                "cpu_seconds": round(time.process_time() - cpu, 1),
                "date": time.strftime("%Y-%m-%d %H:%M %Z"),
                "load_average_before": [round(x, 2) for x in load],
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
                "note": Source.objects.get(key=SOURCE_KEY).note,
            },
            indent=2,
        )
    )


def _ensure_snapshot() -> None:
    """The monitoring snapshot of this database (its own directory, set by bench): written
    from the tables when missing, e.g. after the snapshot's format changed."""
    from django.conf import settings

    from reti.monitoring.snapshot import refresh

    if not (settings.MONITORING_SNAPSHOT_DIR / "participants.parquet").exists():
        started = time.monotonic()
        refresh()
        print(f"Monitoring snapshot written in {time.monotonic() - started:.1f} s.", flush=True)


if __name__ == "__main__":
    main()
