"""SPID authentication levels (livelli di sicurezza) and the SAML class references naming them.

Pure: no Django. The same references serve CIE, whose identity provider answers with the
SPID ones (a CIE sign-in with the card is level 3).
"""

PREFIX = "https://www.spid.gov.it/SpidL"
LEVELS = (1, 2, 3)


def class_ref(level: int) -> str:
    """The AuthnContextClassRef asking for, or attesting, `level`."""
    if level not in LEVELS:
        raise ValueError(f"SPID levels are 1, 2 or 3, not {level!r}")
    return f"{PREFIX}{level}"


def level_of(reference: str | None) -> int | None:
    """The level a class reference attests, or None for anything that is not a SPID level."""
    if not reference or not reference.strip().startswith(PREFIX):
        return None
    digit = reference.strip()[len(PREFIX) :]
    return int(digit) if digit in {"1", "2", "3"} else None


def satisfies(attested: int | None, requested: int) -> bool:
    """Whether a sign-in at `attested` is enough for a request of `requested`."""
    return attested is not None and attested >= requested
