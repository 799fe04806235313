"""Use cases of the grants app, one module per stage of a call's life.

Every change goes through an action: it checks `reti.grants.permissions`, locks the row it
changes, validates with `full_clean()` and saves with its audit entry. Stages:

- `applications`: the instrument and its calls, representation claims, applications,
  submission with its receipt, withdrawal.
- `evaluation`: admissibility (with the soccorso istruttorio), the committee, ranking runs,
  appeals, publication.
- `management`: from the funding decision to the closed grant.

Callers import from here (`from reti.grants import actions; actions.submit_application(...)`).
"""

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

__all__ = [
    "add_admitted",
    "add_attachment",
    "amend_call",
    "claim_organisation",
    "create_application",
    "current_run",
    "decide_appeal",
    "delete_call_part",
    "free_money",
    "lodge_appeal",
    "open_committee",
    "protocol_number",
    "publish_call",
    "publish_faq",
    "publish_run",
    "refuse_claim",
    "remove_attachment",
    "run_ranking",
    "save_application",
    "save_call",
    "save_call_part",
    "save_instrument",
    "submit_application",
    "verify_claim",
    "withdraw_application",
]
