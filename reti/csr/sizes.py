"""The size class of a company (dimensione d'impresa) by the EU SME definition.

Commission Recommendation 2003/361/EC, Annex, art. 2: a company belongs to a class when its
staff headcount (in annual work units) is *below* the ceiling and either its annual turnover
*or* its balance-sheet total is *not above* the class's ceiling:

| class  | staff (AWU) | turnover      | or balance sheet |
|--------|-------------|---------------|------------------|
| micro  | < 10        | <= EUR 2 m    | <= EUR 2 m       |
| small  | < 50        | <= EUR 10 m   | <= EUR 10 m      |
| medium | < 250       | <= EUR 50 m   | <= EUR 43 m      |
| large  | otherwise   |               |                  |

The smallest class whose ceilings hold wins. Pure: no Django, Decimals in, a code out.
"""

from decimal import Decimal

MICRO, SMALL, MEDIUM, LARGE = "micro", "small", "medium", "large"
CLASSES = (MICRO, SMALL, MEDIUM, LARGE)
MILLION = Decimal(1_000_000)
# (class, staff strictly below, turnover at most, balance sheet at most), smallest first.
CEILINGS = (
    (MICRO, Decimal(10), 2 * MILLION, 2 * MILLION),
    (SMALL, Decimal(50), 10 * MILLION, 10 * MILLION),
    (MEDIUM, Decimal(250), 50 * MILLION, 43 * MILLION),
)


def size_class(employees: Decimal, turnover: Decimal, balance_sheet: Decimal) -> str:
    """micro, small, medium or large for these figures (staff in AWU, amounts in euro)."""
    for name, staff, max_turnover, max_balance in CEILINGS:
        if employees < staff and (turnover <= max_turnover or balance_sheet <= max_balance):
            return name
    return LARGE
