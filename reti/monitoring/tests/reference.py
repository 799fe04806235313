"""The same indicators written as a regional analyst would in plain pandas: the reference.

Written from the rules in definitions.py's docstring, not from its SQL, so tests and the
benchmark can check the engine against an independent computation.
"""

from pathlib import Path

import pandas as pd

from reti.monitoring.analytics.definitions import ESF, ESF_PLUS
from reti.monitoring.synthetic import PARTICIPANT_COLUMNS

PARTICIPANT_COLUMN_NAMES = [name for name, _ in PARTICIPANT_COLUMNS]


def _months(dates: pd.Series, months: int) -> pd.Series:
    return dates + pd.DateOffset(months=months)


def indicators_by_region_and_gender(directory: Path | str) -> pd.DataFrame:
    """Every participant indicator by region and gender (index: region, gender)."""
    directory = Path(directory)
    p = pd.read_parquet(
        directory / "participants.parquet",
        columns=[c for c in PARTICIPANT_COLUMN_NAMES if c not in ("person_key", "synthetic")],
    )
    i = pd.read_parquet(
        directory / "interventions.parquet",
        columns=["intervention_id", "region_code", "period_code"],
    )
    p = p.merge(i, on="intervention_id", how="inner")
    for column in ("exit_date", "leaving_observed_on", "followup_observed_on"):
        p[column] = pd.to_datetime(p[column])
    results = (
        "leaving_job_searching",
        "leaving_in_education",
        "leaving_qualification",
        "leaving_employed",
        "followup_employed",
        "followup_improved",
    )
    flag = {c: p[c].astype("boolean").fillna(False).astype(bool) for c in results}
    left = p["exit_date"].notna()
    w4 = (
        left
        & (p["leaving_observed_on"] >= p["exit_date"])
        & (p["leaving_observed_on"] <= p["exit_date"] + pd.Timedelta(days=28))
    )
    w6 = (
        left
        & (p["followup_observed_on"] >= _months(p["exit_date"], 6))
        & (p["followup_observed_on"] < _months(p["exit_date"], 7))
    )
    status = p["status_at_entry"]
    une, ina, emp = status == "unemployed", status == "inactive", status == "employed"
    age, isced = p["age_at_entry"], p["isced"]
    b = {
        c: p[c].astype(bool)
        for c in (
            "long_term_unemployed",
            "inactive_not_in_education",
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
    }
    migrant = b["third_country_national"] | b["foreign_background"] | b["minority"]
    other = b["other_disadvantaged"] | b["penal_execution"] | b["trafficking_victim"]
    disadvantaged = migrant | b["disability"] | other | b["homeless"]
    job = flag["leaving_job_searching"] & ~flag["leaving_employed"]
    any_result = (
        flag["leaving_job_searching"]
        | flag["leaving_in_education"]
        | flag["leaving_qualification"]
        | flag["leaving_employed"]
    )

    def isced_between(low, high):
        return isced.between(low, high).fillna(False).astype(bool)

    plus = {
        "EECO01": pd.Series(True, index=p.index),
        "EECO02": une,
        "EECO03": une & b["long_term_unemployed"],
        "EECO04": ina,
        "EECO05": emp,
        "EECO06": age < 18,
        "EECO07": age.between(18, 29),
        "EECO08": age >= 55,
        "EECO09": isced_between(0, 2),
        "EECO10": isced_between(3, 4),
        "EECO11": isced_between(5, 8),
        "EECO12": b["disability"],
        "EECO13": b["third_country_national"],
        "EECO14": b["foreign_background"],
        "EECO15": b["minority"],
        "EECO16": b["homeless"],
        "EECO17": b["rural_area"],
        "EECR01": ina & w4 & job,
        "EECR02": w4 & flag["leaving_in_education"],
        "EECR03": w4 & flag["leaving_qualification"],
        "EECR04": ~emp & w4 & flag["leaving_employed"],
        "EECR05": w6 & flag["followup_employed"],
        "EECR06": emp & w6 & flag["followup_improved"],
    }
    old = {
        "CO01": une,
        "CO02": une & b["long_term_unemployed"],
        "CO03": ina,
        "CO04": ina & b["inactive_not_in_education"],
        "CO05": emp,
        "CO06": age < 25,
        "CO07": age > 54,
        "CO08": (age > 54) & (une | (ina & b["inactive_not_in_education"])),
        "CO09": isced_between(1, 2),
        "CO10": isced_between(3, 4),
        "CO11": isced_between(5, 8),
        "CO15": migrant,
        "CO16": b["disability"],
        "CO17": other,
        "CO18": b["homeless"],
        "CO19": b["rural_area"],
        "CR01": ina & w4 & job,
        "CR02": w4 & flag["leaving_in_education"],
        "CR03": w4 & flag["leaving_qualification"],
        "CR04": ~emp & w4 & flag["leaving_employed"],
        "CR05": disadvantaged & w4 & any_result,
        "CR06": w6 & flag["followup_employed"],
        "CR07": emp & w6 & flag["followup_improved"],
        "CR08": (age > 54) & w6 & flag["followup_employed"],
        "CR09": disadvantaged & w6 & flag["followup_employed"],
    }
    in_plus, in_old = p["period_code"] == ESF_PLUS, p["period_code"] == ESF
    counts = pd.DataFrame(
        {code: (mask & in_plus).astype("int64") for code, mask in plus.items()}
        | {code: (mask & in_old).astype("int64") for code, mask in old.items()}
    )
    counts["region"], counts["gender"] = p["region_code"], p["gender"]
    return counts.groupby(["region", "gender"], sort=True).sum()
