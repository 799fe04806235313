"""Synthetic demo data of this module, called by `reti demo` after the registry's."""


def generate(scale: str, *, seed: int, report) -> dict[str, int]:
    """Replace this module's synthetic records for `scale`; returns the counts written."""
    return {}
