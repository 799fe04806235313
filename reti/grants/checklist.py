"""The admissibility checklist of an application, and what the grid's gates say of it.

Two kinds of items, in this order:

- the **gates** of the call's merit grid (`Call.grid_template`, grids engine nodes of kind
  "gate", in the grid's order) that apply to the application: applicability is the engine's
  own, read from the trace of `grids.engine.evaluate` with the application as the subject
  (`legal_form`: the applicant's type, `call_line`: the line's code). The officer judges
  each; Reti computes nothing for them;
- the **documentary checks** Reti computes from the application with `reti.grants.checks`
  (the same rules as submission): mandatory attachments present, grant requested between the
  call's minimum and maximum, co-financing at least the call's rate of the total cost, budget
  adding up and each cost category within its cap. The computed result and its detail (in
  Italian and English) are stored with the item, beside the officer's own judgement.

`failed_gates` answers the gates with the officer's results and asks the engine: a failed
gate makes the application not admissible, whatever else (the engine's law).
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.grids.engine import Answer, evaluate

from . import checks
from .models import AdmissibilityCheck, Application

GATE = AdmissibilityCheck.Source.GATE
DOCUMENT = AdmissibilityCheck.Source.DOCUMENT


@dataclass
class Item:
    code: str
    source: str
    label: dict  # language -> text
    guidance: dict = field(default_factory=dict)
    computed: bool | None = None
    detail: dict = field(default_factory=dict)


def subject(application: Application) -> dict[str, str]:
    """The application's attributes the grid's applicability rules read."""
    return {
        "legal_form": application.applicant_type or application.organisation.kind,
        "call_line": application.line.code if application.line_id else "",
    }


def _template(application: Application):
    grid = application.call.grid_template
    return grid.engine_template() if grid is not None else None


def gate_items(application: Application) -> list[Item]:
    """The grid's gates that apply to `application`, in the grid's order."""
    template = _template(application)
    if template is None:
        return []
    trace = evaluate(template, {}, subject(application)).nodes
    return [
        Item(node.code, GATE, dict(node.label), dict(node.guidance))
        for node in template.walk()
        if node.kind == "gate" and trace[node.code].applicable
    ]


# The documentary checks: code, label (Italian source), the `checks` fields they read.
DOCUMENTARY = (
    ("DOC-ATTACHMENTS", gettext_noop("Allegati obbligatori presenti"), ("attachments",)),
    (
        "DOC-GRANT",
        gettext_noop("Contributo richiesto entro il minimo e il massimo del bando"),
        ("requested_amount",),
    ),
    (
        "DOC-COFINANCING",
        gettext_noop("Cofinanziamento almeno pari alla quota minima del bando"),
        ("cofinancing_amount",),
    ),
    (
        "DOC-BUDGET",
        gettext_noop("Piano finanziario coerente ed entro i massimali delle categorie"),
        ("budget",),
    ),
)


def _documentary_problems(application: Application) -> dict[str, list[str]]:
    found = checks.money_problems(application, checks.budget_totals(application))
    attached = {a.required_id for a in application.attachments.all()}
    for required in application.call.required_attachments.filter(mandatory=True):
        if required.pk not in attached:
            found.setdefault("attachments", []).append(
                _("Manca l'allegato «%(title)s».") % {"title": required.title}
            )
    return found


def documentary_items(application: Application) -> list[Item]:
    """Reti's own checks, computed now, each with its detail in Italian and English."""
    by_language = {}
    for language in ("it", "en"):
        with translation.override(language):
            by_language[language] = _documentary_problems(application)
    items = []
    for code, label, fields in DOCUMENTARY:
        detail = {
            language: " ".join(m for f in fields for m in problems.get(f, []))
            for language, problems in by_language.items()
        }
        labels = {}
        for language in ("it", "en"):
            with translation.override(language):
                labels[language] = _(label)
        items.append(Item(code, DOCUMENT, labels, computed=not detail["it"], detail=detail))
    return items


def build(application: Application) -> list[Item]:
    """The whole checklist: the grid's gates, then Reti's documentary checks."""
    return gate_items(application) + documentary_items(application)


def as_records(admissibility, items: list[Item]) -> list[AdmissibilityCheck]:
    return [
        AdmissibilityCheck(
            admissibility=admissibility,
            code=item.code,
            source=item.source,
            position=index,
            label_it=item.label.get("it", ""),
            label_en=item.label.get("en", ""),
            guidance_it=item.guidance.get("it", ""),
            guidance_en=item.guidance.get("en", ""),
            computed=item.computed,
            detail_it=item.detail.get("it", ""),
            detail_en=item.detail.get("en", ""),
        )
        for index, item in enumerate(items)
    ]


def failed_gates(application: Application, results: dict[str, str]) -> list[str]:
    """The codes of the gates the engine fails given the officer's `results` (code -> met /
    not_met / pending); an unrecorded gate fails, as an unanswered one does in the engine."""
    template = _template(application)
    if template is None:
        return []
    answers = {
        code: Answer(results.get(code) == AdmissibilityCheck.Result.MET, "—")
        for code in (n.code for n in template.walk() if n.kind == "gate")
        if results.get(code) in (AdmissibilityCheck.Result.MET, AdmissibilityCheck.Result.NOT_MET)
    }
    trace = evaluate(template, answers, subject(application)).nodes
    gates = [node.code for node in template.walk() if node.kind == "gate"]
    return [code for code in gates if trace[code].applicable and trace[code].outcome != "passed"]
