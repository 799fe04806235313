"""What OpenCoesione adds to `reti demo`: the synthetic sample's projects of one programme
and theme, imported as an operator would (reti.lib.extensions, `Demo`)."""

from pathlib import Path

from django.db import transaction

from . import importing
from .models import CohesionRecord, ImportRun

SAMPLE = Path(__file__).resolve().parent / "sample" / "progetti_sintetici.csv"
PROGRAMME, THEME = "2021IT05SFPR009", "09"


def generate(scale: str, *, seed: int = 1, report=lambda line: None) -> dict[str, int]:
    """Import the sample's projects (the same at every scale: it is a sample of the layout).
    Their places are ISTAT codes: without the territories (`reti load-territories`, which
    `make run` loads first) there is nothing to place them on, and the sample is left out."""
    from reti.registry.models import Territory

    if not Territory.objects.filter(level=Territory.Level.MUNICIPALITY).exists():
        report("Progetti OpenCoesione sintetici non importati: mancano i territori ISTAT")
        return {"progetti OpenCoesione": 0}
    try:
        done = importing.read(SAMPLE, PROGRAMME, THEME, synthetic=True)
    except importing.ImportRefused as refused:  # e.g. only some territories loaded
        first = refused.report.problems[0] if refused.report.problems else refused
        report(f"Progetti OpenCoesione sintetici non importati ({refused}): {first}")
        return {"progetti OpenCoesione": 0}
    report(f"Progetti OpenCoesione sintetici importati: {done.created + done.unchanged:,}")
    return {"progetti OpenCoesione": done.created}


def purge(*, report=lambda line: None) -> int:
    """Delete the OpenCoesione records of synthetic projects (the registry then deletes the
    projects and organisations themselves)."""
    with transaction.atomic():
        records = CohesionRecord.objects.filter(project__synthetic=True)
        _total, by_model = records.delete()  # with their territories
        removed = by_model.get(CohesionRecord._meta.label, 0)
        ImportRun.objects.filter(file_name=SAMPLE.name).delete()
    report(f"Schede OpenCoesione sintetiche rimosse: {removed:,}")
    return removed
