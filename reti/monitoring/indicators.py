"""Loading the indicator definitions of data/indicators.yaml (`reti load-indicators`).

Codes are the keys: a second run changes nothing; an entry changed in the file updates its
record, with an audit-trail entry. Programme-specific indicators added in the back office are
left alone.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from reti.lib import audit
from reti.registry.models import ProgrammingPeriod
from reti.registry.reference import ensure_reference_data

from .models import IndicatorDefinition

DEFAULT_PATH = Path(settings.BASE_DIR) / "data" / "indicators.yaml"
FIELDS = (
    "name_it",
    "name_en",
    "definition_it",
    "definition_en",
    "subject",
    "kind",
    "unit",
    "breakdowns",
    "sql_key",
)
KEYS = {"code", "period", "source", *FIELDS}
REASON = "load-indicators (data/indicators.yaml)"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _values(entry: dict, periods: dict) -> dict:
    code = entry.get("code", "?")
    unknown = set(entry) - KEYS
    if unknown:
        raise ValueError(f"indicator {code}: unknown keys {sorted(unknown)}")
    missing = [k for k in ("code", "period", "source", *FIELDS) if k not in entry]
    if missing:
        raise ValueError(f"indicator {code}: missing {missing}")
    if entry["period"] not in periods:
        raise ValueError(f"indicator {code}: unknown programming period {entry['period']!r}")
    source = entry["source"]
    values = {field: entry[field] for field in FIELDS}
    values.update(
        period_id=periods[entry["period"]],
        common=True,
        source_regulation=source["regulation"],
        source_annex=str(source["annex"]),
        source_point=source["point"],
    )
    return values


@transaction.atomic
def load_indicators(path: Path | str = DEFAULT_PATH) -> LoadReport:
    """Create or update the common indicators declared in `path`; returns what changed."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["indicators"]
    ensure_reference_data()
    periods = dict(ProgrammingPeriod.objects.values_list("code", "pk"))
    existing = {i.code: i for i in IndicatorDefinition.objects.all()}
    report = LoadReport()
    for entry in entries:
        values = _values(entry, periods)
        indicator = existing.get(entry["code"]) or IndicatorDefinition(code=entry["code"])
        changed = indicator.pk is None or any(
            getattr(indicator, field) != value for field, value in values.items()
        )
        if not changed:
            report.unchanged += 1
            continue
        for field, value in values.items():
            setattr(indicator, field, value)
        try:
            indicator.full_clean()
        except ValidationError as exc:
            raise ValueError(f"indicator {entry['code']}: {exc.messages}") from None
        if indicator.pk is None:
            report.created += 1
        else:
            report.updated += 1
        audit.stamp(indicator, None, REASON)
        indicator.save()
    return report
