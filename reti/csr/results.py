"""What a CSR result says to the company: areas, strengths, gaps, the change since last time.

Pure: plain dicts in (a grids engine result as stored, `Result.as_dict`), plain dicts out, no
Django. The page, the PDF, the JSON download and the anonymous mode read the same functions.

- an area's *share* is its points over its maximum, 0-100 (None when it does not apply);
- a *strength* is an applicable area at or above STRONG percent; a *gap* one below WEAK, or
  one the engine flagged under its threshold; a failed minimum requirement is always a gap;
- the comparison pairs each area with the previous assessment's share and the difference.
"""

from decimal import ROUND_HALF_UP, Decimal

STRONG = Decimal(70)
WEAK = Decimal(40)
REQUIREMENTS = "REQ"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def share(points, maximum) -> Decimal | None:
    """Points as a percentage of the maximum, to one decimal (half up); None if undefined."""
    points, maximum = _decimal(points), _decimal(maximum)
    if points is None or maximum is None or maximum <= 0:
        return None
    value = max(Decimal(0), min(Decimal(100), points * 100 / maximum))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _entries(result: dict) -> dict[str, dict]:
    return {entry["node"]: entry for entry in result.get("trace", []) if "node" in entry}


def areas(result: dict, labels: dict[str, str], codes: list[str]) -> list[dict]:
    """One row per area code in `codes`: code, label, applicable, points, max, share."""
    entries = _entries(result)
    rows = []
    for code in codes:
        entry = entries.get(code, {})
        applicable = bool(entry) and entry.get("applicable", True)
        rows.append(
            {
                "code": code,
                "label": labels.get(code, code),
                "applicable": applicable,
                "points": entry.get("points") if applicable else None,
                "max": entry.get("max_points") if applicable else None,
                "share": share(entry.get("points"), entry.get("max_points"))
                if applicable
                else None,
            }
        )
    return rows


def failed_requirements(result: dict, requirement_codes: list[str]) -> list[str]:
    """The minimum requirements (gates) that apply and are not met."""
    entries = _entries(result)
    return [
        code
        for code in requirement_codes
        if entries.get(code, {}).get("applicable", True)
        and entries.get(code, {}).get("outcome") == "failed"
    ]


def strengths_and_gaps(rows: list[dict], flags=()) -> tuple[list[dict], list[dict]]:
    """(strengths, gaps) among the area rows; flagged areas are gaps whatever their share."""
    flagged = {
        flag.split(":", 1)[1] for flag in flags or () if flag.startswith("threshold_flagged:")
    }
    strengths, gaps = [], []
    for row in rows:
        if not row["applicable"] or row["share"] is None:
            continue
        if row["code"] in flagged or row["share"] < WEAK:
            gaps.append(row)
        elif row["share"] >= STRONG:
            strengths.append(row)
    strengths.sort(key=lambda r: (-r["share"], r["code"]))
    gaps.sort(key=lambda r: (r["share"], r["code"]))
    return strengths, gaps


def compare(current: list[dict], previous: list[dict]) -> list[dict]:
    """Each current area row with `previous` (share) and `change` (difference) added."""
    before = {row["code"]: row["share"] for row in previous}
    rows = []
    for row in current:
        old = before.get(row["code"])
        change = row["share"] - old if row["share"] is not None and old is not None else None
        rows.append({**row, "previous": old, "change": change})
    return rows
