"""Synthetic rows in OpenCoesione's project layout, for the shipped sample, tests and the
benchmark. None describes a real project: CUPs start with "Z" followed by "SYN", titles say
"(sintetico)", tax codes are made up (with a valid check digit)."""

import random
from collections.abc import Iterator

from stdnum import luhn

from . import layout

# A few real ISTAT codes (region, province, municipality) to place the synthetic projects.
PLACES = (
    ("09", "Toscana", "048", "Firenze", "048017", "Firenze"),
    ("09", "Toscana", "050", "Pisa", "050026", "Pisa"),
    ("12", "Lazio", "058", "Roma", "058091", "Roma"),
    ("03", "Lombardia", "015", "Milano", "015146", "Milano"),
    ("15", "Campania", "063", "Napoli", "063049", "Napoli"),
)
PROGRAMMES = (
    ("2021IT05SFPR009", "PR TOSCANA FSE+", "09", "FSE+", "3"),
    ("2021IT05SFPR012", "PR LAZIO FSE+", "12", "FSE+", "3"),
    ("2014IT05SFOP015", "POR FSE TOSCANA", "09", "FSE", "2"),
)
THEMES = ("09", "10", "08")


def tax_code(n: int) -> str:
    """An entity's codice fiscale (11 digits): serial `n`, office 099, Luhn check digit."""
    body = f"9{n % 10**6:06d}099"
    return body + luhn.calc_check_digit(body)


def rows(count: int, seed: int = 20) -> Iterator[list[str]]:
    """`count` rows (lists of cells, in layout.NAMES order)."""
    rng = random.Random(seed)
    for n in range(count):
        code, name, region, fund, cycle = PROGRAMMES[n % len(PROGRAMMES)]
        theme = THEMES[(n // len(PROGRAMMES)) % len(THEMES)]
        place = PLACES[rng.randrange(len(PLACES))]
        start_year = 2015 + rng.randrange(9)
        start = f"{start_year}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
        planned = f"{start_year + 2}{start[4:]}"
        done = rng.random() < 0.3
        funding = rng.randrange(10_000, 2_000_000)
        cents = rng.randrange(100)
        paid = funding * rng.randrange(0, 101) // 100
        beneficiary = 1 + rng.randrange(max(count // 4, 1))
        values = {
            "COD_LOCALE_PROGETTO": f"SYN{n:08d}",
            "CUP": f"ZSYN{n:011d}",
            "OC_TITOLO_PROGETTO": f"Percorsi di inclusione attiva n. {n} (sintetico)",
            "OC_SINTESI_PROGETTO": "Progetto sintetico per prove e dimostrazioni.",
            "OC_COD_CICLO": cycle,
            "OC_DESCR_CICLO": layout.CYCLES[cycle],
            "OC_COD_TEMA_SINTETICO": theme,
            "OC_TEMA_SINTETICO": layout.THEMES[theme],
            "OC_COD_FONTE": "FS2127" if cycle == "3" else "FS1420",
            "OC_DESCR_FONTE": "",
            "FONDO_COMUNITARIO": fund,
            "OC_CODICE_PROGRAMMA": code,
            "OC_DESCRIZIONE_PROGRAMMA": name,
            "COD_REGIONE": place[0],
            "DEN_REGIONE": place[1],
            "COD_PROVINCIA": place[2],
            "DEN_PROVINCIA": place[3],
            "COD_COMUNE": place[4],
            "DEN_COMUNE": place[5],
            "FINANZ_TOTALE_PUBBLICO": f"{funding},{cents:02d}",
            "IMPEGNI": f"{funding},{cents:02d}",
            "TOT_PAGAMENTI": f"{paid},00",
            "OC_DATA_INIZIO_PROGETTO": start,
            "OC_DATA_FINE_PROGETTO_PREVISTA": planned,
            "OC_DATA_FINE_PROGETTO_EFFETTIVA": planned if done else "",
            "OC_CODFISC_PROGRAMMATORE": tax_code(int(region)),
            "OC_DENOM_PROGRAMMATORE": f"REGIONE {'TOSCANA' if region == '09' else 'LAZIO'}"
            " (sintetico)",
            "OC_CODFISC_BENEFICIARIO": tax_code(1000 + beneficiary),
            "OC_DENOM_BENEFICIARIO": f"Cooperativa sociale sintetica {beneficiary}",
        }
        yield [values[name] for name in layout.NAMES]


def write(path, count: int, seed: int = 20) -> None:
    """The file of `count` rows, written as the export writes (the one tabular writer)."""
    from reti.lib.tabular import writers

    from .exporting import DIALECT, PROJECTS

    with open(path, "wb") as file:
        for chunk in writers.csv_chunks(PROJECTS, rows(count, seed), DIALECT):
            file.write(chunk)
