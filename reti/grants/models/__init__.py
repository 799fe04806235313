"""The grants app's records: the instrument and its calls, applicants' claims, applications,
admissibility and the stored ranking runs."""

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
from .evaluation import Admissibility, Appeal, RankingEntry, RankingRun

__all__ = [
    "Admissibility",
    "Appeal",
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
    "RankingEntry",
    "RankingRun",
    "Receipt",
    "RepresentationClaim",
    "RequiredAttachment",
]
