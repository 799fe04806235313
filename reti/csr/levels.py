"""The level a validated CSR result earns (base, advanced, excellent), from data.

The thresholds are read from catalogue/levels.yaml (by grid code); `level_for` is pure: a
total and whether the minimum requirements are met in, a level code or "" out.
"""

from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parent / "catalogue" / "levels.yaml"
GRID = "csr-self-assessment"


@cache
def rules(grid: str = GRID) -> dict:
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))[grid]
    levels = sorted(
        ({**level, "minimum": Decimal(str(level["minimum"]))} for level in data["levels"]),
        key=lambda level: level["minimum"],
    )
    return {"validity_years": int(data["validity_years"]), "levels": levels}


def level_for(total: Decimal, admissible: bool, grid: str = GRID) -> str:
    """The highest level whose minimum `total` reaches; "" below the lowest or if not
    admissible (a minimum requirement failed)."""
    if not admissible:
        return ""
    found = ""
    for level in rules(grid)["levels"]:
        if total >= level["minimum"]:
            found = level["code"]
    return found


def label(code: str, language: str = "it", grid: str = GRID) -> str:
    for level in rules(grid)["levels"]:
        if level["code"] == code:
            return level["label"].get(language) or level["label"]["it"]
    return code


def validity_years(grid: str = GRID) -> int:
    return rules(grid)["validity_years"]
