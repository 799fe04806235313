"""The common indicators, each defined once as a SQL condition over the snapshot's tables.

A participant indicator is the number of prepared participant records (alias `p`: a record
with its intervention's columns and the shared rules as booleans, PREPARED_SQL) for which its
condition holds, within the programming period it belongs to.
An entity indicator counts rows of `entities` (alias `e`) or distinct interventions. The
conditions are plain SQL (CASE, BETWEEN, IS NULL, date + INTERVAL 'n' DAY/MONTH) that Spark
and Trino accept through sqlglot; tests transpile every one.

Sources:
- ESF+ (2021-2027): Regulation (EU) 2021/1057, Annex I, points 1.1-1.2 (participants), 2
  (entities) and 3 (results), codes EECO/EECR as used in SFC2021.
- ESF (2014-2020): Regulation (EU) No 1304/2013, Annex I, points 1-2 (outputs) and 3-4
  (immediate and longer-term results), codes CO/CR as used in SFC2014. CO12-CO14 (jobless and
  single-adult households) are not computed: the snapshot carries no household data.

The engine's rules, where the Annex leaves the detail to the Commission's guidance:
- A result upon leaving counts only when observed from the exit day to 28 days after it.
- A result six months after leaving counts only when observed on or after exit + 6 months and
  before exit + 7 months (month arithmetic clips to the month's last day).
- Job searching (EECR01, CR01) counts inactive-at-entry participants who are not also employed
  upon leaving (the two results are exclusive); employment upon leaving (EECR04, CR04) counts
  participants not employed at entry; improved situation (EECR06, CR07) counts participants
  employed at entry.
- Disadvantaged (CR05, CR09): counted under CO15, CO16, CO17 or CO18. CO17 (other
  disadvantaged) includes people in penal execution and victims of trafficking.
- Age bands are on age at entry: below 18, 18 to 29, 55 and above (ESF+); below 25, above 54
  (ESF). ISCED bands: 0-2, 3-4, 5-8 (ESF+); 1-2, 3-4, 5-8 (ESF, as the Annex words it).
"""

from dataclasses import dataclass

ESF_PLUS = "2021-2027"
ESF = "2014-2020"
SOURCE_ESF_PLUS = "Reg. (EU) 2021/1057, Annex I"
SOURCE_ESF = "Reg. (EU) No 1304/2013, Annex I"

# The rules shared by several indicators, computed once per record in the prepared view.
FOUR_WEEKS_RULE = (
    "p.exit_date IS NOT NULL AND p.leaving_observed_on >= p.exit_date"
    " AND p.leaving_observed_on <= p.exit_date + INTERVAL '28' DAY"
)
SIX_MONTHS_RULE = (
    "p.exit_date IS NOT NULL AND p.followup_observed_on >= p.exit_date + INTERVAL '6' MONTH"
    " AND p.followup_observed_on < p.exit_date + INTERVAL '7' MONTH"
)
# The records view: one row per participant record with the rules shared by several
# indicators as booleans (status flags, the two windows). Indicators are conditions over it.
RECORD_COLUMNS = (
    "p.record_id, p.intervention_id, p.gender, p.age_at_entry, p.isced,"
    " p.long_term_unemployed, p.inactive_not_in_education, p.disability,"
    " p.third_country_national, p.foreign_background, p.minority, p.homeless, p.rural_area,"
    " p.penal_execution, p.trafficking_victim, p.other_disadvantaged,"
    " p.leaving_job_searching, p.leaving_in_education, p.leaving_qualification,"
    " p.leaving_employed, p.followup_employed, p.followup_improved,"
)
RECORD_RULES = (
    " p.status_at_entry = 'unemployed' AS unemployed,"
    " p.status_at_entry = 'inactive' AS inactive,"
    " p.status_at_entry = 'employed' AS employed,"
    f" COALESCE({FOUR_WEEKS_RULE}, FALSE) AS left_4w,"
    f" COALESCE({SIX_MONTHS_RULE}, FALSE) AS left_6m"
)
RECORDS_SQL = f"SELECT {RECORD_COLUMNS}{RECORD_RULES} FROM participants p"
# The prepared view: each record with its intervention's columns (alias p as well).
PREPARED_SQL = (
    f"SELECT {RECORD_COLUMNS}"
    " i.region_code, i.macro_area, i.period_code, i.instrument, i.project_id,"
    f"{RECORD_RULES}"
    " FROM participants p JOIN interventions i ON i.intervention_id = p.intervention_id"
)
FOUR_WEEKS = "p.left_4w"
SIX_MONTHS = "p.left_6m"
UNEMPLOYED = "p.unemployed"
INACTIVE = "p.inactive"
EMPLOYED = "p.employed"
MIGRANT_OR_MINORITY = "(p.third_country_national OR p.foreign_background OR p.minority)"
OTHER_DISADVANTAGED = "(p.other_disadvantaged OR p.penal_execution OR p.trafficking_victim)"
DISADVANTAGED = f"({MIGRANT_OR_MINORITY} OR p.disability OR {OTHER_DISADVANTAGED} OR p.homeless)"
JOB_SEARCHING = "p.leaving_job_searching AND NOT COALESCE(p.leaving_employed, FALSE)"


@dataclass(frozen=True)
class Indicator:
    code: str
    period: str
    kind: str  # "output", "result" or "entity"
    name_en: str
    condition: str  # over p and i; for entities, an aggregate over e
    source: str

    @property
    def per_participant(self) -> bool:
        return self.kind != "entity"


def _p(code, period, kind, name, condition):
    source = SOURCE_ESF_PLUS if period == ESF_PLUS else SOURCE_ESF
    return Indicator(code, period, kind, name, condition, source)


INDICATORS: tuple[Indicator, ...] = (
    _p("EECO01", ESF_PLUS, "output", "Total number of participants", "TRUE"),
    _p("EECO02", ESF_PLUS, "output", "Unemployed, including long-term unemployed", UNEMPLOYED),
    _p(
        "EECO03",
        ESF_PLUS,
        "output",
        "Long-term unemployed",
        f"{UNEMPLOYED} AND p.long_term_unemployed",
    ),
    _p("EECO04", ESF_PLUS, "output", "Inactive", INACTIVE),
    _p("EECO05", ESF_PLUS, "output", "Employed, including self-employed", EMPLOYED),
    _p("EECO06", ESF_PLUS, "output", "Children below 18 years of age", "p.age_at_entry < 18"),
    _p(
        "EECO07",
        ESF_PLUS,
        "output",
        "Young people between 18 and 29 years of age",
        "p.age_at_entry BETWEEN 18 AND 29",
    ),
    _p(
        "EECO08",
        ESF_PLUS,
        "output",
        "Participants of 55 years of age and above",
        "p.age_at_entry >= 55",
    ),
    _p(
        "EECO09",
        ESF_PLUS,
        "output",
        "With lower secondary education or less (ISCED 0-2)",
        "p.isced BETWEEN 0 AND 2",
    ),
    _p(
        "EECO10",
        ESF_PLUS,
        "output",
        "With upper secondary (ISCED 3) or post-secondary education (ISCED 4)",
        "p.isced BETWEEN 3 AND 4",
    ),
    _p(
        "EECO11",
        ESF_PLUS,
        "output",
        "With tertiary education (ISCED 5 to 8)",
        "p.isced BETWEEN 5 AND 8",
    ),
    _p("EECO12", ESF_PLUS, "output", "Participants with disabilities", "p.disability"),
    _p("EECO13", ESF_PLUS, "output", "Third-country nationals", "p.third_country_national"),
    _p(
        "EECO14",
        ESF_PLUS,
        "output",
        "Participants with a foreign background",
        "p.foreign_background",
    ),
    _p(
        "EECO15",
        ESF_PLUS,
        "output",
        "Minorities (including marginalised communities such as Roma)",
        "p.minority",
    ),
    _p("EECO16", ESF_PLUS, "output", "Homeless or affected by housing exclusion", "p.homeless"),
    _p("EECO17", ESF_PLUS, "output", "Participants from rural areas", "p.rural_area"),
    _p(
        "EECR01",
        ESF_PLUS,
        "result",
        "Participants engaged in job searching upon leaving",
        f"{INACTIVE} AND {FOUR_WEEKS} AND {JOB_SEARCHING}",
    ),
    _p(
        "EECR02",
        ESF_PLUS,
        "result",
        "Participants in education or training upon leaving",
        f"{FOUR_WEEKS} AND p.leaving_in_education",
    ),
    _p(
        "EECR03",
        ESF_PLUS,
        "result",
        "Participants gaining a qualification upon leaving",
        f"{FOUR_WEEKS} AND p.leaving_qualification",
    ),
    _p(
        "EECR04",
        ESF_PLUS,
        "result",
        "Participants in employment, including self-employment, upon leaving",
        f"NOT {EMPLOYED} AND {FOUR_WEEKS} AND p.leaving_employed",
    ),
    _p(
        "EECR05",
        ESF_PLUS,
        "result",
        "Participants in employment, including self-employment, six months after leaving",
        f"{SIX_MONTHS} AND p.followup_employed",
    ),
    _p(
        "EECR06",
        ESF_PLUS,
        "result",
        "Participants with an improved labour market situation six months after leaving",
        f"{EMPLOYED} AND {SIX_MONTHS} AND p.followup_improved",
    ),
    _p(
        "EECO18",
        ESF_PLUS,
        "entity",
        "Number of public administrations or public services supported",
        "SUM(CASE WHEN e.kind = 'public_administration' THEN 1 ELSE 0 END)",
    ),
    _p(
        "EECO19",
        ESF_PLUS,
        "entity",
        "Number of micro, small and medium-sized enterprises (including social economy) supported",
        "SUM(CASE WHEN e.kind IN ('sme', 'social_economy') THEN 1 ELSE 0 END)",
    ),
    _p("CO01", ESF, "output", "Unemployed, including long-term unemployed", UNEMPLOYED),
    _p("CO02", ESF, "output", "Long-term unemployed", f"{UNEMPLOYED} AND p.long_term_unemployed"),
    _p("CO03", ESF, "output", "Inactive", INACTIVE),
    _p(
        "CO04",
        ESF,
        "output",
        "Inactive, not in education or training",
        f"{INACTIVE} AND p.inactive_not_in_education",
    ),
    _p("CO05", ESF, "output", "Employed, including self-employed", EMPLOYED),
    _p("CO06", ESF, "output", "Below 25 years of age", "p.age_at_entry < 25"),
    _p("CO07", ESF, "output", "Above 54 years of age", "p.age_at_entry > 54"),
    _p(
        "CO08",
        ESF,
        "output",
        (
            "Above 54 years of age who are unemployed, including long-term unemployed, or "
            "inactive not in education or training"
        ),
        f"p.age_at_entry > 54 AND ({UNEMPLOYED} OR ({INACTIVE} AND p.inactive_not_in_education))",
    ),
    _p(
        "CO09",
        ESF,
        "output",
        "With primary (ISCED 1) or lower secondary education (ISCED 2)",
        "p.isced BETWEEN 1 AND 2",
    ),
    _p(
        "CO10",
        ESF,
        "output",
        "With upper secondary (ISCED 3) or post-secondary education (ISCED 4)",
        "p.isced BETWEEN 3 AND 4",
    ),
    _p("CO11", ESF, "output", "With tertiary education (ISCED 5 to 8)", "p.isced BETWEEN 5 AND 8"),
    _p(
        "CO15",
        ESF,
        "output",
        (
            "Migrants, participants with a foreign background, minorities (including "
            "marginalised communities such as the Roma)"
        ),
        MIGRANT_OR_MINORITY,
    ),
    _p("CO16", ESF, "output", "Participants with disabilities", "p.disability"),
    _p("CO17", ESF, "output", "Other disadvantaged", OTHER_DISADVANTAGED),
    _p("CO18", ESF, "output", "Homeless or affected by housing exclusion", "p.homeless"),
    _p("CO19", ESF, "output", "From rural areas", "p.rural_area"),
    _p(
        "CR01",
        ESF,
        "result",
        "Inactive participants engaged in job searching upon leaving",
        f"{INACTIVE} AND {FOUR_WEEKS} AND {JOB_SEARCHING}",
    ),
    _p(
        "CR02",
        ESF,
        "result",
        "Participants in education/training upon leaving",
        f"{FOUR_WEEKS} AND p.leaving_in_education",
    ),
    _p(
        "CR03",
        ESF,
        "result",
        "Participants gaining a qualification upon leaving",
        f"{FOUR_WEEKS} AND p.leaving_qualification",
    ),
    _p(
        "CR04",
        ESF,
        "result",
        "Participants in employment, including self-employment, upon leaving",
        f"NOT {EMPLOYED} AND {FOUR_WEEKS} AND p.leaving_employed",
    ),
    _p(
        "CR05",
        ESF,
        "result",
        (
            "Disadvantaged participants engaged in job searching, education/training, gaining a "
            "qualification, in employment, including self-employment, upon leaving"
        ),
        (
            f"{DISADVANTAGED} AND {FOUR_WEEKS} AND (p.leaving_job_searching OR "
            f"p.leaving_in_education OR p.leaving_qualification OR p.leaving_employed)"
        ),
    ),
    _p(
        "CR06",
        ESF,
        "result",
        "Participants in employment, including self-employment, six months after leaving",
        f"{SIX_MONTHS} AND p.followup_employed",
    ),
    _p(
        "CR07",
        ESF,
        "result",
        "Participants with an improved labour market situation six months after leaving",
        f"{EMPLOYED} AND {SIX_MONTHS} AND p.followup_improved",
    ),
    _p(
        "CR08",
        ESF,
        "result",
        (
            "Participants above 54 years of age in employment, including self-employment, six "
            "months after leaving"
        ),
        f"p.age_at_entry > 54 AND {SIX_MONTHS} AND p.followup_employed",
    ),
    _p(
        "CR09",
        ESF,
        "result",
        (
            "Disadvantaged participants in employment, including self-employment, six months "
            "after leaving"
        ),
        f"{DISADVANTAGED} AND {SIX_MONTHS} AND p.followup_employed",
    ),
    _p(
        "CO20",
        ESF,
        "entity",
        (
            "Number of projects fully or partially implemented by social partners or "
            "non-governmental organisations"
        ),
        "COUNT(DISTINCT CASE WHEN e.kind = 'ngo' THEN e.intervention_id END)",
    ),
    _p(
        "CO22",
        ESF,
        "entity",
        (
            "Number of projects targeting public administrations or public services at national, "
            "regional or local level"
        ),
        "COUNT(DISTINCT CASE WHEN e.kind = 'public_administration' THEN e.intervention_id END)",
    ),
    _p(
        "CO23",
        ESF,
        "entity",
        (
            "Number of supported micro, small and medium-sized enterprises (including "
            "cooperative enterprises and enterprises of the social economy)"
        ),
        "SUM(CASE WHEN e.kind IN ('sme', 'social_economy') THEN 1 ELSE 0 END)",
    ),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
PARTICIPANT_INDICATORS = tuple(i for i in INDICATORS if i.per_participant)
ENTITY_INDICATORS = tuple(i for i in INDICATORS if not i.per_participant)


def participant_sql(indicator: Indicator) -> str:
    """The count over prepared records (alias p) that is `indicator`, scoped to its period.

    COUNT_IF: DuckDB, Spark and Trino all have it, and DuckDB runs it several times faster
    than SUM(CASE ...) over dozens of indicators.
    """
    return (
        f"COUNT_IF(p.period_code = '{indicator.period}' AND COALESCE({indicator.condition}, FALSE))"
    )
