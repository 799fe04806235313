"""The grants app's records: the instrument and its calls, applicants' claims, applications,
admissibility and the stored ranking runs."""

from .admissibility import AdmissibilityCheck, DocumentRequest
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
from .evaluation import Admissibility, RankingEntry, RankingRun

__all__ = [
    "Admissibility",
    "AdmissibilityCheck",
    "Application",
    "ApplicationAttachment",
    "ApplicationPartner",
    "BudgetItem",
    "Call",
    "CallAmendment",
    "CallFAQ",
    "CallLine",
    "CostCategory",
    "DocumentRequest",
    "GlobalGrant",
    "IndicatorTarget",
    "Programme",
    "ProtocolCounter",
    "Quota",
    "RankingEntry",
    "RankingRun",
    "Receipt",
    "RepresentationClaim",
    "RequiredAttachment",
]
