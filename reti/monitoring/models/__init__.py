"""Monitoring's system of record: interventions, pseudonymised participants, indicators, imports."""

from .batches import ImportBatch, ParticipantAccessLog
from .indicators import IndicatorDefinition, IndicatorTarget
from .interventions import Intervention, InterventionTargetGroup, SupportedEntity
from .participants import ParticipantRecord

__all__ = [
    "ImportBatch",
    "IndicatorDefinition",
    "IndicatorTarget",
    "Intervention",
    "InterventionTargetGroup",
    "ParticipantAccessLog",
    "ParticipantRecord",
    "SupportedEntity",
]
