"""The grants app's records: the instrument and its calls, applicants' claims, applications."""

from .applications import (
    Application,
    ApplicationAttachment,
    ApplicationPartner,
    BudgetItem,
    IndicatorTarget,
    ProtocolCounter,
    Receipt,
)
from .calls import (
    Call,
    CallAmendment,
    CallFAQ,
    CallLine,
    CostCategory,
    GlobalGrant,
    Programme,
    Quota,
    RequiredAttachment,
)
from .claims import RepresentationClaim

__all__ = [
    "Application",
    "ApplicationAttachment",
    "ApplicationPartner",
    "BudgetItem",
    "Call",
    "CallAmendment",
    "CallFAQ",
    "CallLine",
    "CostCategory",
    "GlobalGrant",
    "IndicatorTarget",
    "Programme",
    "ProtocolCounter",
    "Quota",
    "Receipt",
    "RepresentationClaim",
    "RequiredAttachment",
]
