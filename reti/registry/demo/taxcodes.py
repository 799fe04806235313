"""Synthetic 11-digit tax codes (codice fiscale / partita IVA of an entity) with valid checksums.

An entity's code is a 7-digit progressive number, a 3-digit office code and a Luhn check digit.
Synthetic codes draw their progressive numbers from 4000000 up, a block the Agenzia delle
Entrate has not reached, so they pass python-stdnum's checks without naming a real entity.
"""

from stdnum import luhn

FIRST_PROGRESSIVE = 4_000_000
LAST_PROGRESSIVE = 4_999_999


def entity_code(serial: int) -> str:
    """The `serial`-th synthetic entity code (0-based): unique for each serial."""
    progressive = FIRST_PROGRESSIVE + serial
    if progressive > LAST_PROGRESSIVE:
        raise ValueError("no synthetic tax codes left in the reserved block")
    office = 1 + serial % 100
    body = f"{progressive:07d}{office:03d}"
    return body + luhn.calc_check_digit(body)
