"""Good practices, their attachments and their transfers to other organisations and regions."""

from .attachments import Attachment
from .practices import (
    GoodPractice,
    PracticeContact,
    PracticeLink,
    PracticeResult,
    TargetGroup,
    TranslationStatus,
)
from .transfers import Transfer

__all__ = [
    "Attachment",
    "GoodPractice",
    "PracticeContact",
    "PracticeLink",
    "PracticeResult",
    "TargetGroup",
    "Transfer",
    "TranslationStatus",
]
