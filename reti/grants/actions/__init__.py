"""Use cases of the grants app, one module per stage of a call's life.

Every change goes through an action: it checks `reti.grants.permissions`, locks the row it
changes, validates with `full_clean()` and saves with its audit entry. Stages:

- `applications`: the instrument and its calls, representation claims, applications,
  submission with its receipt, withdrawal.
- `admissibility`: the istruttoria di ammissibilità (checklist, decision) with the soccorso
  istruttorio (document requests and answers);
- `evaluation`: the committee, ranking runs, appeals, publication.
- `management`: from the funding decision to the closed grant.

Callers import from here (`from reti.grants import actions; actions.submit_application(...)`).
"""

from .admissibility import (
    answer_document_request,
    decide_admissibility,
    record_checks,
    request_document,
)
from .applications import (
    add_attachment,
    amend_call,
    claim_organisation,
    create_application,
    delete_call_part,
    protocol_number,
    publish_call,
    publish_faq,
    refuse_claim,
    remove_attachment,
    save_application,
    save_call,
    save_call_part,
    save_instrument,
    submit_application,
    verify_claim,
    withdraw_application,
)
from .evaluation import (
    add_admitted,
    current_run,
    decide_appeal,
    free_money,
    lodge_appeal,
    open_committee,
    publish_run,
    run_ranking,
)
from .management import (
    accept_agreement,
    add_report_document,
    approve_payment,
    category_budgets,
    close_grant,
    create_report,
    current_entry,
    decide_change,
    decide_funding,
    draw_on_the_spot_sample,
    generate_agreement,
    pay_payment,
    prepare_payment,
    record_management_cost,
    record_recovery,
    renounce,
    request_change,
    reverse_payment,
    revoke,
    save_report_items,
    submit_report,
    verify_report,
)

__all__ = [
    "accept_agreement",
    "add_admitted",
    "add_attachment",
    "add_report_document",
    "amend_call",
    "answer_document_request",
    "approve_payment",
    "category_budgets",
    "claim_organisation",
    "close_grant",
    "create_application",
    "create_report",
    "current_entry",
    "current_run",
    "decide_admissibility",
    "decide_appeal",
    "decide_change",
    "decide_funding",
    "delete_call_part",
    "draw_on_the_spot_sample",
    "free_money",
    "generate_agreement",
    "lodge_appeal",
    "open_committee",
    "pay_payment",
    "prepare_payment",
    "protocol_number",
    "publish_call",
    "publish_faq",
    "publish_run",
    "record_checks",
    "record_management_cost",
    "record_recovery",
    "refuse_claim",
    "remove_attachment",
    "renounce",
    "request_change",
    "request_document",
    "reverse_payment",
    "revoke",
    "run_ranking",
    "save_application",
    "save_call",
    "save_call_part",
    "save_instrument",
    "save_report_items",
    "submit_application",
    "submit_report",
    "verify_claim",
    "verify_report",
    "withdraw_application",
]
