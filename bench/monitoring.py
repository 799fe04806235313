"""`python -m bench.monitoring [--rows N]`: the monitoring analytics over a synthetic snapshot.

In one run, over the same Parquet snapshot (10 million participant records by default, written
once into var/bench/monitoring-<rows>/ by reti.monitoring.synthetic), the same work three ways,
each starting from the files on disk and ending with every common indicator for every region
by gender:
- the engine, cold and counting: opening the snapshot with the cube counted in one pass over
  the records, then summing the cube by region and gender (the same work as the floor);
- the cube persisted as the refresh does it (`persist_cube`, once), then the engine cold as a
  worker opens a refreshed snapshot: the persisted cube read, then summed; then, warm, the
  same answer from the open cube;
- the same in plain pandas (reti.monitoring.tests.reference, the reference);
- the same in hand-written DuckDB SQL straight over the Parquet files (the floor);
- that the three agree on every count;
- a dashboard filter change: p50/p95 of random filters (region, period, instrument, target
  group, gender) answered from the cube.
Wall and CPU seconds (process time, all threads) of each; DuckDB uses every core.
"""

import argparse
import os
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENTS = ("sovvenzione_globale", "ordinary_call", "direct_award", "other")
GROUPS = ("penal_execution", "youth", "migrants", "women", "disability")

# The floor: what a DuckDB user would write by hand for the same counts, over the raw files.
W4 = (
    "p.exit_date IS NOT NULL AND p.leaving_observed_on BETWEEN p.exit_date"
    " AND p.exit_date + INTERVAL 28 DAY"
)
W6 = (
    "p.exit_date IS NOT NULL AND p.followup_observed_on >= p.exit_date + INTERVAL 6 MONTH"
    " AND p.followup_observed_on < p.exit_date + INTERVAL 7 MONTH"
)
FLOOR_SQL = f"""
WITH r AS (
  SELECT *, coalesce({W4}, false) AS w4, coalesce({W6}, false) AS w6,
         p.third_country_national OR p.foreign_background OR p.minority AS migrant,
         p.other_disadvantaged OR p.penal_execution OR p.trafficking_victim AS other
  FROM read_parquet('{{dir}}/participants.parquet') p
),
p AS (
  SELECT r.*, i.region_code, i.period_code = '2021-2027' AS plus
  FROM r JOIN read_parquet('{{dir}}/interventions.parquet') i USING (intervention_id)
)
SELECT region_code AS region, gender,
  count_if(plus) AS EECO01,
  count_if(plus AND status_at_entry = 'unemployed') AS EECO02,
  count_if(plus AND status_at_entry = 'unemployed' AND long_term_unemployed) AS EECO03,
  count_if(plus AND status_at_entry = 'inactive') AS EECO04,
  count_if(plus AND status_at_entry = 'employed') AS EECO05,
  count_if(plus AND age_at_entry < 18) AS EECO06,
  count_if(plus AND age_at_entry BETWEEN 18 AND 29) AS EECO07,
  count_if(plus AND age_at_entry >= 55) AS EECO08,
  count_if(plus AND isced BETWEEN 0 AND 2) AS EECO09,
  count_if(plus AND isced BETWEEN 3 AND 4) AS EECO10,
  count_if(plus AND isced BETWEEN 5 AND 8) AS EECO11,
  count_if(plus AND disability) AS EECO12,
  count_if(plus AND third_country_national) AS EECO13,
  count_if(plus AND foreign_background) AS EECO14,
  count_if(plus AND minority) AS EECO15,
  count_if(plus AND homeless) AS EECO16,
  count_if(plus AND rural_area) AS EECO17,
  count_if(plus AND status_at_entry = 'inactive' AND w4 AND leaving_job_searching
           AND NOT coalesce(leaving_employed, false)) AS EECR01,
  count_if(plus AND w4 AND leaving_in_education) AS EECR02,
  count_if(plus AND w4 AND leaving_qualification) AS EECR03,
  count_if(plus AND status_at_entry <> 'employed' AND w4 AND leaving_employed) AS EECR04,
  count_if(plus AND w6 AND followup_employed) AS EECR05,
  count_if(plus AND status_at_entry = 'employed' AND w6 AND followup_improved) AS EECR06,
  count_if(NOT plus AND status_at_entry = 'unemployed') AS CO01,
  count_if(NOT plus AND status_at_entry = 'unemployed' AND long_term_unemployed) AS CO02,
  count_if(NOT plus AND status_at_entry = 'inactive') AS CO03,
  count_if(NOT plus AND status_at_entry = 'inactive' AND inactive_not_in_education) AS CO04,
  count_if(NOT plus AND status_at_entry = 'employed') AS CO05,
  count_if(NOT plus AND age_at_entry < 25) AS CO06,
  count_if(NOT plus AND age_at_entry > 54) AS CO07,
  count_if(NOT plus AND age_at_entry > 54 AND (status_at_entry = 'unemployed'
           OR (status_at_entry = 'inactive' AND inactive_not_in_education))) AS CO08,
  count_if(NOT plus AND isced BETWEEN 1 AND 2) AS CO09,
  count_if(NOT plus AND isced BETWEEN 3 AND 4) AS CO10,
  count_if(NOT plus AND isced BETWEEN 5 AND 8) AS CO11,
  count_if(NOT plus AND migrant) AS CO15,
  count_if(NOT plus AND disability) AS CO16,
  count_if(NOT plus AND other) AS CO17,
  count_if(NOT plus AND homeless) AS CO18,
  count_if(NOT plus AND rural_area) AS CO19,
  count_if(NOT plus AND status_at_entry = 'inactive' AND w4 AND leaving_job_searching
           AND NOT coalesce(leaving_employed, false)) AS CR01,
  count_if(NOT plus AND w4 AND leaving_in_education) AS CR02,
  count_if(NOT plus AND w4 AND leaving_qualification) AS CR03,
  count_if(NOT plus AND status_at_entry <> 'employed' AND w4 AND leaving_employed) AS CR04,
  count_if(NOT plus AND (migrant OR disability OR other OR homeless) AND w4
           AND (leaving_job_searching OR leaving_in_education OR leaving_qualification
                OR leaving_employed)) AS CR05,
  count_if(NOT plus AND w6 AND followup_employed) AS CR06,
  count_if(NOT plus AND status_at_entry = 'employed' AND w6 AND followup_improved) AS CR07,
  count_if(NOT plus AND age_at_entry > 54 AND w6 AND followup_employed) AS CR08,
  count_if(NOT plus AND (migrant OR disability OR other OR homeless) AND w6
           AND followup_employed) AS CR09
FROM p GROUP BY region_code, gender ORDER BY region_code, gender
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reti.settings")
    os.environ.setdefault("RETI_LOCAL", "1")
    import django

    django.setup()


def _timed(function, repeat: int = 1):
    """(best wall seconds of `repeat` runs, CPU seconds of that run, last result)."""
    best, cpu, result = float("inf"), 0.0, None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        wall = time.perf_counter() - start
        if wall < best:
            best, cpu = wall, time.process_time() - start_cpu
    return best, cpu, result


def run(rows: int = 10_000_000, seed: int = 2026, repeat: int = 2, filters: int = 200) -> dict:
    """Every figure of this benchmark (writes the snapshot when it is not there yet)."""
    _setup()
    import duckdb

    from reti.monitoring import synthetic
    from reti.monitoring.analytics import engine
    from reti.monitoring.analytics.definitions import PARTICIPANT_INDICATORS
    from reti.monitoring.analytics.snapshot import Snapshot, persist_cube
    from reti.monitoring.tests import reference

    directory = ROOT / "var" / "bench" / f"monitoring-{rows}"
    figures = {"rows": rows, "load_average_at_start": os.getloadavg()}
    if not (directory / "participants.parquet").exists():
        figures["generate_s"], _cpu, _ = _timed(
            lambda: synthetic.write_snapshot(directory, None, rows, seed)
        )
    opened = []

    def cold(persisted: bool):
        """From the files: open the snapshot (the cube counted or read), then sum it."""
        snapshot = Snapshot(directory, persisted=persisted)
        assert (snapshot.cube_file is not None) == persisted
        opened.append(snapshot)
        return engine.compute(snapshot, ("region", "gender"))

    figures["engine_s"], figures["engine_cpu_s"], got = _timed(lambda: cold(False), repeat)
    figures["persist_cube_s"], figures["persist_cube_cpu_s"], _ = _timed(
        lambda: persist_cube(directory)
    )
    figures["engine_persisted_s"], figures["engine_persisted_cpu_s"], got_persisted = _timed(
        lambda: cold(True), repeat
    )
    snapshot = opened[-1]
    for other in opened[:-1]:
        other.close()
    figures["warm_s"], figures["warm_cpu_s"], _ = _timed(
        lambda: engine.compute(snapshot, ("region", "gender")), 5
    )
    floor_sql = FLOOR_SQL.replace("{dir}", str(directory))
    columns: list[str] = []

    def floor():
        con = duckdb.connect()  # a fresh connection: nothing cached from an earlier run
        con.execute("SET enable_progress_bar = false")
        result = con.execute(floor_sql)
        columns[:] = [d[0] for d in result.description]
        rows_ = result.fetchall()
        con.close()
        return rows_

    figures["floor_s"], figures["floor_cpu_s"], floor_rows_list = _timed(floor, repeat)
    figures["pandas_s"], figures["pandas_cpu_s"], expected = _timed(
        lambda: reference.indicators_by_region_and_gender(directory)
    )
    codes = [i.code for i in PARTICIPANT_INDICATORS]
    floor_rows = {(r[0], r[1]): dict(zip(columns, r, strict=True)) for r in floor_rows_list}
    mismatches = int(got != got_persisted)
    for row in got:
        key = (row["region"], row["gender"])
        for code in codes:
            mismatches += row[code] != expected.loc[key, code]
            mismatches += row[code] != floor_rows[key][code]
    figures["groups"] = len(got)
    figures["mismatches"] = mismatches
    figures["pandas_over_engine"] = figures["pandas_s"] / figures["engine_s"]
    figures["engine_over_floor"] = figures["engine_s"] / figures["floor_s"]
    figures["pandas_over_engine_cpu"] = figures["pandas_cpu_s"] / figures["engine_cpu_s"]
    figures["engine_over_floor_cpu"] = figures["engine_cpu_s"] / figures["floor_cpu_s"]

    rng = random.Random(seed)
    regions = sorted({r["region"] for r in got})
    timings = []
    for _ in range(filters):
        choice = {
            "region": [rng.choice(regions)],
            "period": [rng.choice(["2014-2020", "2021-2027"])],
            "instrument": [rng.choice(INSTRUMENTS)],
            "target_group": [rng.choice(GROUPS)],
            "gender": [rng.choice(["female", "male"])],
        }
        chosen = {k: v for k, v in choice.items() if rng.random() < 0.5}
        start = time.perf_counter()
        engine.compute(snapshot, ("gender",), chosen)
        engine.compute(snapshot, ("region",), chosen)
        timings.append(time.perf_counter() - start)
    figures["filter_p50_ms"] = 1000 * percentile(timings, 0.5)
    figures["filter_p95_ms"] = 1000 * percentile(timings, 0.95)
    figures["machine"] = f"nproc {os.cpu_count()}, load average {os.getloadavg()}"
    snapshot.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.monitoring")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    figures = run(args.rows, repeat=args.repeat)
    print(f"started: {started}")
    for key, value in figures.items():
        print(f"{key}: {round(value, 3) if isinstance(value, float) else value}")


if __name__ == "__main__":
    main()
