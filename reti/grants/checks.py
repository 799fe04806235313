"""What an application must satisfy to be submitted, each problem naming its field.

`budget_totals` gives the figures the form shows as the applicant types (total cost, minimum
co-financing, what the call allows); `problems` lists, field by field, what stops the
submission: the project's texts, the line, the territory and the applicant's eligibility, the
money against the call (minimum and maximum grant, co-financing rate, caps per cost
category, partners' shares), the required attachments and the declarations. Every amount goes
through `money.quantize`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from reti.lib.money import ZERO, quantize, share

from .models import Application

TEXTS = ("summary", "objectives", "target_groups", "activities")


@dataclass(frozen=True)
class Totals:
    total: Decimal  # sum of the budget items: the project's cost
    requested: Decimal
    cofinancing: Decimal
    min_cofinancing: Decimal  # the call's rate of the total
    by_category: dict  # CostCategory -> Decimal


def budget_totals(application: Application, items=None) -> Totals:
    """The project's figures from its budget items (`items`: unsaved ones, when given)."""
    items = list(application.budget_items.select_related("category")) if items is None else items
    by_category: dict = {}
    for item in items:
        by_category[item.category] = quantize(by_category.get(item.category, ZERO) + item.amount)
    total = quantize(sum((item.amount for item in items), ZERO))
    return Totals(
        total=total,
        requested=quantize(application.requested_amount or ZERO),
        cofinancing=quantize(application.cofinancing_amount or ZERO),
        min_cofinancing=share(total, application.call.cofinancing_rate),
        by_category=by_category,
    )


def _euro(amount: Decimal) -> str:
    return f"{amount:,.2f} €".replace(",", "\u202f")


def money_problems(application: Application, totals: Totals) -> dict[str, list[str]]:
    """Amounts against the call: each problem under the field it concerns."""
    call = application.call
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    if application.requested_amount is None:
        add("requested_amount", _("Indicare il contributo richiesto."))
    elif not call.min_grant <= totals.requested <= call.max_grant:
        add(
            "requested_amount",
            _("Il contributo richiesto deve essere tra %(min)s e %(max)s.")
            % {"min": _euro(call.min_grant), "max": _euro(call.max_grant)},
        )
    if application.cofinancing_amount is None:
        add("cofinancing_amount", _("Indicare il cofinanziamento (anche 0)."))
    elif totals.cofinancing < totals.min_cofinancing:
        add(
            "cofinancing_amount",
            _("Il cofinanziamento deve essere almeno %(min)s (%(rate)s%% del costo totale).")
            % {"min": _euro(totals.min_cofinancing), "rate": f"{call.cofinancing_rate * 100:g}"},
        )
    if totals.total == ZERO:
        add("budget", _("Il piano finanziario non ha voci di spesa."))
    elif totals.requested + totals.cofinancing != totals.total:
        add(
            "budget",
            _(
                "Contributo richiesto (%(requested)s) più cofinanziamento (%(cofinancing)s) "
                "devono dare il costo totale (%(total)s)."
            )
            % {
                "requested": _euro(totals.requested),
                "cofinancing": _euro(totals.cofinancing),
                "total": _euro(totals.total),
            },
        )
    for category, amount in totals.by_category.items():
        caps = [category.cap_amount] if category.cap_amount is not None else []
        if category.cap_share is not None:
            caps.append(share(totals.total, category.cap_share))
        if caps and amount > min(caps):
            add(
                "budget",
                _("La categoria %(category)s (%(amount)s) supera il massimale di %(cap)s.")
                % {"category": category.name, "amount": _euro(amount), "cap": _euro(min(caps))},
            )
    return problems


def problems(application: Application) -> dict[str, list[str]]:
    """Everything that stops `application` from being submitted, by field; empty when none."""
    call = application.call
    found: dict[str, list[str]] = {}

    def add(field, message):
        found.setdefault(field, []).append(message)

    labels = {f.name: f.verbose_name for f in Application._meta.fields}
    for field in ("title", *TEXTS):
        if not (getattr(application, field) or "").strip():
            add(field, _("Compilare il campo «%(field)s».") % {"field": labels[field]})
    if application.line_id is None:
        add("line", _("Scegliere la linea del bando."))
    territories = list(call.eligible_territories.all())
    if territories:
        if application.territory_id is None:
            add("territory", _("Indicare il territorio di intervento."))
        elif not _within(application.territory, territories):
            add("territory", _("Il territorio di intervento non è tra quelli ammessi dal bando."))
    organisation = application.organisation
    if call.eligible_legal_forms and organisation.kind not in call.eligible_legal_forms:
        add("organisation", _("La forma giuridica del proponente non è ammessa dal bando."))
    if call.eligible_runts_sections and organisation.runts_section not in (
        call.eligible_runts_sections
    ):
        add("organisation", _("La sezione RUNTS del proponente non è ammessa dal bando."))
    totals = budget_totals(application)
    for field, messages in money_problems(application, totals).items():
        found.setdefault(field, []).extend(messages)
    shares = quantize(sum((p.share for p in application.partners.all()), ZERO))
    if shares > totals.total:
        add("partners", _("Le quote dei partner superano il costo totale del progetto."))
    attached = {a.required_id for a in application.attachments.all()}
    for required in call.required_attachments.filter(mandatory=True):
        if required.pk not in attached:
            add("attachments", _("Manca l'allegato «%(title)s».") % {"title": required.title})
    for field in Application.DECLARATIONS:
        if not getattr(application, field):
            add(field, _("Occorre rendere la dichiarazione: %(text)s.") % {"text": labels[field]})
    return found


def _within(territory, allowed) -> bool:
    """Whether `territory` is one of `allowed` or lies inside one of them."""
    allowed_ids = {t.pk for t in allowed}
    seen = 0
    while territory is not None and seen < 6:
        if territory.pk in allowed_ids:
            return True
        territory, seen = territory.parent, seen + 1
    return False
