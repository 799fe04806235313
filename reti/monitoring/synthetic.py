"""Synthetic participant records with realistic distributions and a planted instrument effect.

Everything here is invented and marked `synthetic`; no real person is behind any row.

`generate_participants` yields the participants table of the snapshot (MONITORING-SCHEMA.md)
as column chunks of numpy arrays, vectorised, so the national scale (10 million records) takes
a minute or two. Columns that may be NULL are numpy masked arrays (masked = NULL), except the
dates, where NULL is NaT. `write_snapshot` writes a whole Parquet snapshot (interventions,
their networks, target groups, targets, entities and participants) for tests and benchmarks.

The planted effect: a participant's probability of being employed six months after leaving is

    p = 0.26 + employability(x) + region and period shifts + PLANTED_EFFECT * treated

where treated means the intervention's instrument is `sovvenzione_globale`, and
employability(x) depends on age, gender, ISCED level and disadvantages only. Sovvenzione
Globale interventions recruit more educated, younger and less disadvantaged people (selection
on observables), so a naive comparison overstates the effect and a propensity model on those
covariates recovers it. Employment at entry follows the same employability with the same
region and period shifts, so a difference-in-differences on (entry, six months) recovers it too.
"""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np

from .analytics.regions import regions

TREATED_INSTRUMENT = "sovvenzione_globale"
PLANTED_EFFECT = 0.08
INSTRUMENTS = ("sovvenzione_globale", "ordinary_call", "direct_award", "other")
TARGET_GROUPS = (
    "penal_execution",
    "trafficking_victims",
    "disability",
    "youth",
    "long_term_unemployed",
    "migrants",
    "homeless",
    "women",
    "other",
)
DISADVANTAGES = (
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
    "rural_area",
    "penal_execution",
    "trafficking_victim",
    "other_disadvantaged",
)
LEAVING_RESULTS = (
    "leaving_job_searching",
    "leaving_in_education",
    "leaving_qualification",
    "leaving_employed",
)
# Base prevalence of each disadvantage, and the one a target group raises to most participants.
BASE_RATE = {
    "disability": 0.05,
    "third_country_national": 0.07,
    "foreign_background": 0.10,
    "minority": 0.02,
    "homeless": 0.015,
    "rural_area": 0.18,
    "penal_execution": 0.02,
    "trafficking_victim": 0.004,
    "other_disadvantaged": 0.08,
}
GROUP_RAISES = {
    "penal_execution": ("penal_execution", 0.92),
    "trafficking_victims": ("trafficking_victim", 0.9),
    "disability": ("disability", 0.9),
    "migrants": ("third_country_national", 0.7),
    "homeless": ("homeless", 0.85),
}
# ISCED 2011 levels 0-8 by macro-area (adults in active labour policies are less educated).
ISCED_P = {
    "nord": [0.01, 0.04, 0.33, 0.40, 0.03, 0.02, 0.10, 0.06, 0.01],
    "centro": [0.01, 0.05, 0.34, 0.39, 0.03, 0.02, 0.09, 0.06, 0.01],
    "mezzogiorno": [0.02, 0.08, 0.38, 0.36, 0.02, 0.01, 0.08, 0.04, 0.005],
}
GENDERS = np.array(["female", "male", "non_binary"])
STATUSES = np.array(["unemployed", "inactive", "employed"])
DEFAULT_AS_OF = date(2026, 10, 31)


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    """datetime64[D] dates plus whole months, the day clipped to the target month's last day."""
    month = days.astype("datetime64[M]")
    day = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    return target.astype("datetime64[D]") + np.minimum(day, length - 1)


def _person_keys(numbers: np.ndarray, seed: int) -> np.ndarray:
    """64 hex digits per person number (splitmix64 words): a stand-in for the HMAC of a tax code."""
    lut = np.array([f"{i:02x}" for i in range(256)], dtype="S2")
    words = np.empty((len(numbers), 4), dtype=np.uint64)
    state = numbers.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(seed)
    for k in range(4):
        state = state + np.uint64(0x9E3779B97F4A7C15)
        z = state
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        words[:, k] = z ^ (z >> np.uint64(31))
    octets = words.view(np.uint8).reshape(len(numbers), 32)
    return lut[octets].view("S64").ravel().astype("U64")


def _table(interventions: list[dict], seed: int) -> dict[str, np.ndarray]:
    """Per-intervention arrays used to draw participants: dates, instrument, groups, shifts."""
    rng = np.random.default_rng([seed, 0xA11])
    codes = sorted({i["region_code"] for i in interventions})
    region_shift = dict(zip(codes, rng.normal(0, 0.03, len(codes)), strict=True))
    groups = [set(i.get("target_groups") or ()) for i in interventions]
    start = np.array([i["start_date"] for i in interventions], dtype="datetime64[D]")
    end = np.array([i["end_date"] for i in interventions], dtype="datetime64[D]")
    weight = np.array([float(i.get("budget") or 0) for i in interventions])
    if weight.sum() <= 0:
        weight = np.ones(len(interventions))
    return {
        "id": np.array([i["intervention_id"] for i in interventions], dtype=np.int64),
        "start": start,
        "end": np.maximum(end, start + 30),
        "treated": np.array([i["instrument"] == TREATED_INSTRUMENT for i in interventions]),
        "macro": np.array([i["macro_area"] for i in interventions]),
        "period_shift": np.array(
            [0.03 if i["period_code"] >= "2021" else 0.0 for i in interventions]
        ),
        "region_shift": np.array([region_shift[i["region_code"]] for i in interventions]),
        "weight": weight / weight.sum(),
        **{f"group_{g}": np.array([g in s for s in groups]) for g in TARGET_GROUPS},
    }


def generate_participants(
    interventions: list[dict],
    rows: int,
    seed: int,
    chunk: int = 500_000,
    *,
    effect: float = PLANTED_EFFECT,
    as_of: date = DEFAULT_AS_OF,
) -> Iterator[dict[str, np.ndarray]]:
    """Yield `rows` synthetic participant records in chunks of at most `chunk` rows.

    `interventions` are dicts with the interventions-table columns (intervention_id,
    region_code, macro_area, period_code, instrument, start_date, end_date, budget) and
    optionally `target_groups` (codes); participants are spread over them in proportion to
    budget. `effect` is the planted gain in the probability of employment six months after
    leaving for Sovvenzione Globale participants; `as_of` is the day the data are observed
    (later exits are still open, later observations missing). Same arguments, same rows.
    """
    if not interventions:
        raise ValueError("no interventions to attach participants to")
    table = _table(interventions, seed)
    as_of64 = np.datetime64(as_of, "D")
    done = 0
    for index, offset in enumerate(range(0, rows, chunk)):
        n = min(chunk, rows - offset)
        rng = np.random.default_rng([seed, index])
        yield _chunk(rng, table, n, offset, seed, effect, as_of64)
        done += n


def _chunk(rng, table, n, offset, seed, effect, as_of) -> dict[str, np.ndarray]:
    iv = rng.choice(len(table["id"]), size=n, p=table["weight"])
    treated = table["treated"][iv]

    def group(code):
        return table[f"group_{code}"][iv]

    u = rng.random((n, 24), dtype=np.float32)

    # Gender: women-targeted interventions and trafficking victims are mostly women.
    p_female = np.where(group("women") | group("trafficking_victims"), 0.93, 0.48)
    p_female = np.where(group("penal_execution"), 0.08, p_female)
    gender = np.where(u[:, 0] < p_female, 0, np.where(u[:, 1] < 0.01, 2, 1))

    # Age at entry: youth interventions 15-29, others around 38; Sovvenzione Globale younger.
    age = rng.normal(38 - 4 * treated, 12, n)
    age = np.where(group("youth"), rng.uniform(15, 30, n), age)
    age = np.clip(np.rint(age), 15, 75).astype(np.int16)
    age = np.where(u[:, 2] < 0.015, rng.integers(14, 18, n), age).astype(np.int16)

    # ISCED by macro-area, one step higher for a third of Sovvenzione Globale participants.
    isced = np.zeros(n, dtype=np.int16)
    for macro, probabilities in ISCED_P.items():
        where = table["macro"][iv] == macro
        p = np.array(probabilities) / sum(probabilities)
        isced[where] = rng.choice(9, size=int(where.sum()), p=p)
    isced = np.where(treated & (u[:, 3] < 0.35), np.minimum(isced + 2, 8), isced).astype(np.int16)
    isced_missing = u[:, 4] < 0.02

    # Disadvantages: base rates, raised by the intervention's target groups, lower under SG.
    dis = {}
    for k, (name, base) in enumerate(BASE_RATE.items()):
        p = np.full(n, base) * np.where(treated, 0.6, 1.0)
        for code, (raised, rate) in GROUP_RAISES.items():
            if raised == name:
                p = np.where(group(code), rate, p)
        dis[name] = u[:, 5 + k] < p
    dis["foreign_background"] |= dis["third_country_national"] & (u[:, 14] < 0.8)
    dis["third_country_national"] |= dis["trafficking_victim"] & (u[:, 14] < 0.85)

    # Employability: the only channel through which covariates move employment.
    prime = ((age >= 25) & (age <= 50)).astype(np.float32)
    employability = (
        0.05 * prime
        + 0.012 * np.where(isced_missing, 3, isced)
        - 0.03 * (gender == 0)
        - 0.05 * dis["disability"]
        - 0.06 * dis["penal_execution"]
        - 0.05 * dis["homeless"]
        - 0.03 * dis["third_country_national"]
        - 0.02 * dis["other_disadvantaged"]
        + table["region_shift"][iv]
        + table["period_shift"][iv]
    )
    employability = np.clip(employability, -0.09, 0.30)

    # Exactly one status at entry; long-term unemployment only for the unemployed, inactive not
    # in education only for the inactive.
    employed_entry = u[:, 15] < 0.10 + employability
    young = age < 25
    ltu_target = group("long_term_unemployed")
    inactive = ~employed_entry & (u[:, 16] < np.where(young, 0.55, 0.28)) & ~ltu_target
    status = np.where(employed_entry, 2, np.where(inactive, 1, 0))
    ltu = (status == 0) & (u[:, 17] < np.where(ltu_target, 0.95, 0.3 + 0.004 * (age - 18)))
    not_in_education = (status == 1) & (u[:, 18] < np.where(young, 0.45, 0.85))

    # Dates: entry inside the intervention, stays of about four months, exits after `as_of` open.
    span = (table["end"][iv] - table["start"][iv]).astype(np.int64)
    entry = table["start"][iv] + (u[:, 19] * np.maximum(span - 14, 1)).astype(np.int64)
    entry = np.minimum(entry, as_of - 1)
    stay = np.clip(rng.exponential(120, n), 7, 720).astype(np.int64)
    exit_ = np.minimum(entry + stay, table["end"][iv])
    still_in = exit_ > as_of
    exit_ = np.where(still_in, np.datetime64("NaT"), exit_)

    # Upon leaving: observed for 85% of leavers, 10 to 40 days after exit for some (late, so
    # not counted by the four-week rule).
    leaving_lag = np.where(u[:, 20] < 0.8, rng.integers(0, 29, n), rng.integers(29, 60, n))
    leaving_on = exit_ + leaving_lag
    leaving_seen = ~still_in & (u[:, 21] < 0.85) & (leaving_on <= as_of)
    r = rng.random((n, 4), dtype=np.float32)
    leaving_employed = r[:, 0] < 0.14 + employability + 0.6 * effect * treated
    leaving_job = ~leaving_employed & (status != 2) & (r[:, 1] < 0.55)
    leaving_education = r[:, 2] < np.where(young, 0.25, 0.08)
    leaving_qualification = r[:, 3] < 0.35 + 0.02 * np.where(isced_missing, 3, isced)

    # Six months after leaving: observed for 70% of leavers, most inside the month window.
    follow_on = add_months(np.where(still_in, entry, exit_), 6) + np.where(
        u[:, 22] < 0.85, rng.integers(0, 28, n), rng.integers(-20, 60, n)
    )
    follow_seen = ~still_in & (u[:, 23] < 0.7) & (follow_on <= as_of)
    follow_p = 0.26 + employability + effect * treated
    follow_employed = rng.random(n, dtype=np.float32) < follow_p
    improved = follow_employed & (status != 2) | (
        (status == 2) & (rng.random(n, dtype=np.float32) < 0.3)
    )

    # About 3% of records are a second intervention of a person seen earlier.
    numbers = offset + np.arange(n, dtype=np.int64)
    repeat = (u[:, 1] > 0.97) & (numbers > 1000)
    numbers = np.where(repeat, numbers - 1 - (numbers % 997), numbers)

    def masked(values, seen):
        return np.ma.MaskedArray(values, mask=~seen)

    columns = {
        "record_id": offset + 1 + np.arange(n, dtype=np.int64),
        "intervention_id": table["id"][iv],
        "person_key": _person_keys(numbers, seed),
        "gender": GENDERS[gender],
        "age_at_entry": age,
        "entry_date": entry,
        "exit_date": exit_,
        "status_at_entry": STATUSES[status],
        "long_term_unemployed": ltu,
        "inactive_not_in_education": not_in_education,
        "isced": np.ma.MaskedArray(isced, mask=isced_missing),
        **dis,
        "leaving_observed_on": np.where(leaving_seen, leaving_on, np.datetime64("NaT")),
        "leaving_job_searching": masked(leaving_job, leaving_seen),
        "leaving_in_education": masked(leaving_education, leaving_seen),
        "leaving_qualification": masked(leaving_qualification, leaving_seen),
        "leaving_employed": masked(leaving_employed, leaving_seen),
        "followup_observed_on": np.where(follow_seen, follow_on, np.datetime64("NaT")),
        "followup_employed": masked(follow_employed, follow_seen),
        "followup_improved": masked(improved, follow_seen),
        "synthetic": np.ones(n, dtype=bool),
    }
    return columns


def synthetic_interventions(count: int, seed: int) -> list[dict]:
    """`count` synthetic interventions over the 21 regions, both periods and all instruments."""
    rng = np.random.default_rng([seed, 0x1E7])
    units = regions()
    # Rough weights so big regions get more interventions (not population figures).
    weight = rng.uniform(0.5, 3.0, len(units))
    weight /= weight.sum()
    out = []
    for k in range(count):
        region = units[rng.choice(len(units), p=weight)]
        period = "2014-2020" if rng.random() < 0.4 else "2021-2027"
        first = 2015 if period == "2014-2020" else 2022
        start = date(int(first + rng.integers(0, 4)), int(rng.integers(1, 13)), 1)
        end = date(min(start.year + int(rng.integers(1, 4)), 2027), start.month, 28)
        instrument = rng.choice(INSTRUMENTS, p=[0.25, 0.5, 0.15, 0.10])
        groups = sorted(set(rng.choice(TARGET_GROUPS, size=int(rng.integers(1, 3)))))
        project = int(1 + k // 3)
        out.append(
            {
                "intervention_id": k + 1,
                "code": f"SYN-{region.code}-{k + 1:05d}",
                "title": f"Intervento sintetico {k + 1}",
                "project_id": project,
                "organisation_id": int(1 + rng.integers(0, max(count // 2, 1))),
                "region_code": region.code,
                "macro_area": region.macro_area,
                "period_code": period,
                "fund_code": "ESF" if period == "2014-2020" else "ESF+",
                "instrument": str(instrument),
                "start_date": start,
                "end_date": end,
                "budget": round(float(rng.lognormal(13, 0.8)), 2),
                "synthetic": True,
                "target_groups": [str(g) for g in groups],
                "networks": [int(1 + project % 7)],
            }
        )
    return out


INTERVENTION_COLUMNS = (
    "intervention_id BIGINT, code VARCHAR, title VARCHAR, project_id BIGINT, "
    "organisation_id BIGINT, region_code VARCHAR, macro_area VARCHAR, period_code VARCHAR, "
    "fund_code VARCHAR, instrument VARCHAR, start_date DATE, end_date DATE, "
    "budget DECIMAL(14,2), synthetic BOOLEAN"
)


PARTICIPANT_COLUMNS = (
    ("record_id", "BIGINT"),
    ("intervention_id", "BIGINT"),
    ("person_key", "VARCHAR"),
    ("gender", "VARCHAR"),
    ("age_at_entry", "SMALLINT"),
    ("entry_date", "DATE"),
    ("exit_date", "DATE"),
    ("status_at_entry", "VARCHAR"),
    ("long_term_unemployed", "BOOLEAN"),
    ("inactive_not_in_education", "BOOLEAN"),
    ("isced", "SMALLINT"),
    *((name, "BOOLEAN") for name in DISADVANTAGES),
    ("leaving_observed_on", "DATE"),
    *((name, "BOOLEAN") for name in LEAVING_RESULTS),
    ("followup_observed_on", "DATE"),
    ("followup_employed", "BOOLEAN"),
    ("followup_improved", "BOOLEAN"),
    ("synthetic", "BOOLEAN"),
)
_NO_DATE = np.iinfo(np.int32).min


def _frame(columns: dict[str, np.ndarray]):
    """A pandas frame DuckDB scans fast: dates as day numbers, NULLs as negative sentinels."""
    import pandas as pd

    data = {}
    for name, values in columns.items():
        if isinstance(values, np.ma.MaskedArray):
            data[name] = np.where(np.ma.getmaskarray(values), -1, values.data).astype(np.int8)
        elif values.dtype.kind == "M":
            days = values.astype(np.int64)
            data[name] = np.where(np.isnat(values), _NO_DATE, days).astype(np.int32)
        elif values.dtype.kind == "U":
            data[name] = values.astype(object)
        else:
            data[name] = values
    return pd.DataFrame(data, copy=False)


def _typed_select(source: str) -> str:
    """SELECT of `source` (a _frame) back to the snapshot's types and NULLs."""
    out = []
    for name, kind in PARTICIPANT_COLUMNS:
        if kind == "DATE":
            out.append(
                f"CASE WHEN {name} = {_NO_DATE} THEN NULL ELSE DATE '1970-01-01' + {name} END"
            )
        elif name == "isced" or name.startswith(("leaving_", "followup_")):
            value = "NULLIF({0}, -1)" if kind == "SMALLINT" else "CAST(NULLIF({0}, -1) AS BOOLEAN)"
            out.append(value.format(name))
        else:
            out.append(name)
        out[-1] = f"CAST({out[-1]} AS {kind}) AS {name}"
    return f"SELECT {', '.join(out)} FROM {source}"


def write_snapshot(
    directory: Path | str,
    interventions: list[dict] | None,
    rows: int,
    seed: int,
    *,
    effect: float = PLANTED_EFFECT,
    chunk: int = 500_000,
) -> Path:
    """Write a complete synthetic Parquet snapshot into `directory`; returns the directory.

    `interventions` as for generate_participants (None: 400 synthetic ones per million rows,
    at least 300). Targets, networks, target groups and entities are derived from them.
    """
    import duckdb

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if interventions is None:
        interventions = synthetic_interventions(max(300, rows * 400 // 1_000_000), seed)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    names = [c.split()[0] for c in INTERVENTION_COLUMNS.split(", ")]
    _insert(
        con,
        "interventions",
        INTERVENTION_COLUMNS,
        [[i.get(n) for n in names] for i in interventions],
    )
    links = {
        "intervention_networks": ("network_id BIGINT", "networks"),
        "intervention_target_groups": ("target_group VARCHAR", "target_groups"),
    }
    for table, (column, key) in links.items():
        pairs = [[i["intervention_id"], v] for i in interventions for v in i.get(key) or ()]
        _insert(con, table, f"intervention_id BIGINT, {column}", pairs)
    rng = np.random.default_rng([seed, 0x7A6])
    kinds = ["public_administration", "sme", "social_economy", "ngo", "other"]
    share = rows / max(len(interventions), 1)
    targets, entities = [], []
    for i in interventions:
        iid, recent = i["intervention_id"], i["period_code"] >= "2021"
        targets.append([iid, "EECO02" if recent else "CO01", round(share * 0.6)])
        targets.append([iid, "EECR05" if recent else "CR06", round(share * 0.25)])
        for _ in range(int(rng.integers(0, 4))):
            entities.append([len(entities) + 1, iid, kinds[int(rng.integers(0, len(kinds)))]])
    _insert(
        con,
        "indicator_targets",
        "intervention_id BIGINT, indicator_code VARCHAR, target DOUBLE",
        targets,
    )
    _insert(con, "entities", "entity_id BIGINT, intervention_id BIGINT, kind VARCHAR", entities)
    for table in ("interventions", *links, "indicator_targets", "entities"):
        _copy(con, f"SELECT * FROM {table}", directory / f"{table}.parquet")

    parts = directory / ".participants.parts"
    parts.mkdir(exist_ok=True)
    for old in parts.glob("*.parquet"):
        old.unlink()
    for k, columns in enumerate(
        generate_participants(interventions, rows, seed, chunk, effect=effect)
    ):
        frame = _frame(columns)  # noqa: F841 (scanned by name by DuckDB)
        # Each chunk in (intervention, person) order, as `reti demo` writes it to the database
        # and the refresh (in id order) reads it back: an intervention's records arrive together.
        ordered = f"{_typed_select('frame')} ORDER BY intervention_id, person_key"
        con.execute(f"COPY ({ordered}) TO '{parts / f'{k:05d}.parquet'}' (FORMAT parquet)")
    _copy(
        con,
        f"SELECT * FROM read_parquet('{parts}/*.parquet')",
        directory / "participants.parquet",
    )
    for part in parts.glob("*.parquet"):
        part.unlink()
    parts.rmdir()
    con.close()
    return directory


def _insert(con, table: str, columns: str, rows: list[list]) -> None:
    """Create `table` with `columns` (SQL) holding `rows`, through one pandas frame."""
    import pandas as pd

    con.execute(f"CREATE TABLE {table} ({columns})")
    if rows:
        names = [c.split()[0] for c in columns.split(", ")]
        frame = pd.DataFrame(rows, columns=names)  # noqa: F841 (DuckDB scans it by name)
        con.execute(f"INSERT INTO {table} SELECT * FROM frame")


def _copy(con, query: str, target: Path) -> None:
    """Write `query` to `target` atomically (temporary name, then rename), as the snapshot does."""
    temporary = target.with_name(f".{target.name}.tmp")
    con.execute(f"COPY ({query}) TO '{temporary}' (FORMAT parquet, COMPRESSION zstd)")
    temporary.replace(target)
