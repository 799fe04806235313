"""Indicator names in Italian and English, from the data engineer's data/indicators.yaml."""

import functools

import yaml
from django.conf import settings
from django.utils.translation import get_language

from .definitions import BY_CODE


@functools.cache
def _names() -> dict[str, tuple[str, str]]:
    path = settings.BASE_DIR / "data" / "indicators.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        data = {}
    return {
        i["code"]: (i.get("name_it") or "", i.get("name_en") or "")
        for i in data.get("indicators", [])
    }


def indicator_name(code: str) -> str:
    """The indicator's name in the active language (English from definitions.py as fallback)."""
    italian, english = _names().get(code, ("", ""))
    fallback = BY_CODE[code].name_en if code in BY_CODE else code
    if (get_language() or "it").startswith("en"):
        return english or fallback
    return italian or english or fallback
