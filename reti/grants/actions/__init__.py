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

__all__ = [
    "add_attachment",
    "amend_call",
    "answer_document_request",
    "claim_organisation",
    "create_application",
    "decide_admissibility",
    "delete_call_part",
    "protocol_number",
    "publish_call",
    "publish_faq",
    "record_checks",
    "refuse_claim",
    "remove_attachment",
    "request_document",
    "save_application",
    "save_call",
    "save_call_part",
    "save_instrument",
    "submit_application",
    "verify_claim",
    "withdraw_application",
]
