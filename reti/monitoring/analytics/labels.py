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


def indicator_names(code: str) -> tuple[str, str]:
    """The indicator's name in Italian and in English (English from definitions.py as
    fallback for both)."""
    italian, english = _names().get(code, ("", ""))
    fallback = BY_CODE[code].name_en if code in BY_CODE else code
    return italian or english or fallback, english or fallback


def indicator_name(code: str) -> str:
    """The indicator's name in the active language (English from definitions.py as fallback)."""
    italian, english = _names().get(code, ("", ""))
    fallback = BY_CODE[code].name_en if code in BY_CODE else code
    if (get_language() or "it").startswith("en"):
        return english or fallback
    return italian or english or fallback


def covariate_label(name: str) -> str:
    """What a covariate of the added-value analysis means, in the page's language, instead of
    its variable name (`age_squared`, `gender_male`, `region_09`)."""
    from django.utils.translation import gettext as _

    from ..models import ParticipantRecord

    fixed = {
        "age": _("età all'ingresso"),
        "age_squared": _("età all'ingresso al quadrato (/100)"),
        "isced_level": _("livello ISCED (lineare, non nel modello)"),
        "isced_medium": _("ISCED 3-4 (secondaria superiore, post-secondaria)"),
        "isced_high": _("ISCED 5-8 (terziaria)"),
        "isced_missing": _("livello ISCED non indicato"),
        "age_x_isced_medium": _("età × ISCED 3-4"),
        "age_x_isced_high": _("età × ISCED 5-8"),
        "age_x_long_term_unemployed": _("età × disoccupato di lunga durata"),
        "age_cubed": _("età al cubo (/10.000, non nel modello)"),
        "female_x_unemployed": _("donna × disoccupata (non nel modello)"),
        "female_x_inactive": _("donna × inattiva (non nel modello)"),
        "unemployed": _("disoccupato all'ingresso"),
        "inactive": _("inattivo all'ingresso"),
        "employed_at_entry": _("occupato all'ingresso"),
    }
    if name in fixed:
        return fixed[name]
    prefix, _sep, value = name.partition("_")
    if prefix == "gender" and value in ParticipantRecord.Gender.values:
        label = ParticipantRecord.Gender(value).label
        return _("genere: %(value)s") % {"value": str(label).lower()}
    if prefix == "region" and value:
        return _("regione: %(value)s") % {"value": _region_name(value)}
    if prefix == "period" and value:
        return _("periodo di programmazione %(value)s") % {"value": value}
    try:
        return str(ParticipantRecord._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _region_name(code: str) -> str:
    """A region's or autonomous province's name by ISTAT code in the page's language."""
    from ...registry.models import Territory

    levels = [Territory.Level.REGION, Territory.Level.AUTONOMOUS_PROVINCE]
    region = Territory.objects.filter(code=code, level__in=levels).first()
    return region.name if region else code
