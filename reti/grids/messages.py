"""What the engine's codes say in the page's language (the engine speaks codes; gettext here).

The engine stays pure: it returns outcome codes ("not_admissible"), flags ("gate_failed:A1")
and trace entries; this module turns them into Italian or English for pages and downloads.
"""

from django.utils.translation import gettext_lazy as _

OUTCOMES = {
    "admissible": _("ammissibile"),
    "below_threshold": _("sotto la soglia"),
    "not_admissible": _("non ammissibile"),
}

DECIDED_BY = {
    "outcome": _("esito"),
    "total": _("punteggio"),
    "submitted_at": _("data di presentazione"),
    "lot": _("sorteggio"),
    "tie": _("ex aequo"),
}


def outcome_label(code: str):
    return OUTCOMES.get(code, code)


def decided_by_label(code: str):
    if code.startswith("node:"):
        return _("punteggio di %(code)s") % {"code": code[5:]}
    return DECIDED_BY.get(code, code)


def tie_break_label(name: str):
    """A declared tie-break, in words."""
    if name.startswith("node:"):
        return _("il punteggio più alto di %(code)s") % {"code": name[5:]}
    return {
        "submitted_at": _("la presentazione più vecchia"),
        "lot": _("il sorteggio dal seme"),
    }.get(name, name)
