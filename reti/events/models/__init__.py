"""Events and what hangs from them: registrations, outputs, the peer-review follow-up."""

from .events import Event
from .outputs import EventDocument, FollowUpItem, PeerReviewPoint, ReminderSent
from .registrations import Registration

__all__ = [
    "Event",
    "EventDocument",
    "FollowUpItem",
    "PeerReviewPoint",
    "Registration",
    "ReminderSent",
]
