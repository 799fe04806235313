"""What the engine's codes say in the page's language (the engine speaks codes; gettext here).

The engine stays pure: it returns outcome codes ("not_admissible"), flags ("gate_failed:A1")
and trace entries; this module turns them into Italian or English for pages and downloads.
"""

from django.utils.translation import gettext_lazy as _

from .engine import messages as engine_messages

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


# The trace: rules, reasons, entry outcomes, inputs and flags (codes from engine/messages.py).

ENTRY_OUTCOMES = {
    "": "",
    "passed": _("superata"),
    "failed": _("non superata"),
    "unanswered": _("senza risposta"),
    "invalid": _("risposta non valida"),
    "below_threshold": _("sotto la soglia"),
    "not_applicable": _("non si applica"),
    "unscored": _("nessun punteggio"),
}

INPUTS = {
    "value": _("valore"),
    "level": _("livello"),
    "answer": _("risposta"),
    "raw": _("aggregato"),
    "deductions": _("detrazioni"),
    "bonus": _("premialità"),
}

ATTRIBUTES = {
    "size_class": _("classe dimensionale"),
    "ateco": _("codice ATECO"),
    "legal_form": _("forma giuridica"),
    "call_line": _("linea dell'avviso"),
}

_RULES = {
    "gate": _("requisito: sì lo supera; no o nessuna risposta non lo supera"),
    "leaf": _("valore × %(max)s ÷ %(scale_max)s"),
    "deduction": _("detrazione: valore × %(max)s ÷ %(scale_max)s"),
    "bonus_leaf": _("premialità: valore × %(max)s ÷ %(scale_max)s"),
    "bonus_group": _("premialità: somma dei criteri"),
    "weighted_sum": _("somma pesata"),
    "weighted_mean": _("media pesata"),
    "minimum": _("minimo"),
    "normalised": _("somma normalizzata al massimo"),
    "weighted_sum_renormalised": _("somma pesata, riproporzionata al massimo"),
}

_FLAGS = {
    "gate_failed": _("requisito non superato: %(node)s"),
    "threshold_failed": _("sotto la soglia minima: %(node)s"),
    "threshold_flagged": _("sotto la soglia (segnalazione): %(node)s"),
    "unanswered": _("senza risposta: %(node)s"),
    "invalid": _("risposta non valida: %(node)s"),
    "below_threshold": _("punteggio totale sotto la soglia"),
}


def entry_outcome_label(code: str):
    return ENTRY_OUTCOMES.get(code, code)


def input_label(name: str):
    return INPUTS.get(name, name)


def rule_text(text: str) -> str:
    """A trace's rule in the page's language."""
    read = engine_messages.read_rule(text)
    if read is None:
        return ""
    code, params = read
    if code not in _RULES:
        return params.get("text", text)
    said = _RULES[code] % params
    if params.get("cap") is not None:
        said = _("%(rule)s, fino a %(cap)s") % {"rule": said, "cap": params["cap"]}
    return said


def reason_text(text: str, labels: dict | None = None) -> str:
    """Why a node does not apply, in the page's language."""
    read = engine_messages.read_reason(text)
    if read is None:
        return ""
    code, params = read
    if code == "within":
        parent = (labels or {}).get(params["parent"], params["parent"])
        return _("dentro «%(parent)s», che non si applica") % {"parent": parent}
    if code == "not_among":
        return _("%(attribute)s «%(value)s» non è tra %(allowed)s") % {
            "attribute": ATTRIBUTES.get(params["attribute"], params["attribute"]),
            "value": params["value"],
            "allowed": params["allowed"],
        }
    return params.get("text", text)


def flag_text(flag: str, labels: dict | None = None) -> str:
    """A result's flag in the page's language, naming the node by its label."""
    code, node = engine_messages.read_flag(flag)
    message = _FLAGS.get(code)
    if message is None:
        return flag
    shown = (labels or {}).get(node, node)
    return message % {"node": shown} if node else str(message)
