"""Who may see and change monitoring data: the one place these rules live.

- Interventions (what, who, where, when, budget, targets) are public, like the registry.
- Participant-level data (records, import batches and their reports, exports) are readable
  only by the editors and admins of the intervention's owning organisation (its authorised
  users) and by auditors. A viewer of the owning organisation, another region, a network's
  secretariat, staff without the auditor permission and anonymous visitors are refused.
- An auditor (revisore) holds the permission `monitoring.audit_participants`, usually
  through the group "Revisori" (`reti` back office, Groups); superusers hold every permission.
  Auditors read and export every organisation's participant data; they do not upload.
- Uploads and intervention changes: editors and admins of the owning organisation, and staff
  with the model permissions (staff create interventions).
- Indicator definitions: staff with the model permissions (programme-specific indicators).
- Dashboards with unsuppressed aggregates: anyone who may read some participant data
  (`can_view_dashboards`), over the interventions whose participant data they read
  (`readable_intervention_ids`: their own organisations'; auditors all); everything else,
  other organisations' figures included, only through the public pages' disclosure control
  (analytics/disclosure.py).
- Erasing a person from every intervention: superusers, or staff holding
  `monitoring.delete_participantrecord` (data-protection officer).
"""

from reti.accounts.models import Membership

from .models import Intervention

EDIT_ROLES = (Membership.Role.EDITOR, Membership.Role.ADMIN)
AUDITOR_PERMISSION = "monitoring.audit_participants"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_auditor(user) -> bool:
    """Whether `user` reads every organisation's participant data (auditor or superuser)."""
    return _active(user) and user.has_perm(AUDITOR_PERMISSION)


def authorised_organisation_ids(user) -> set[int]:
    """The organisations whose participant data `user` handles as their editor or admin."""
    if not _active(user):
        return set()
    cache = getattr(user, "_reti_monitoring_orgs", None)
    if cache is None:
        cache = set(
            Membership.objects.filter(user=user, role__in=EDIT_ROLES).values_list(
                "organisation_id", flat=True
            )
        )
        user._reti_monitoring_orgs = cache
    return cache


def can_view_participants(user, intervention: Intervention) -> bool:
    """Whether `user` may read the intervention's participant-level data."""
    if is_auditor(user):
        return True
    return intervention.organisation_id in authorised_organisation_ids(user)


def can_export_participants(user, intervention: Intervention) -> bool:
    """Exports of participant-level data follow the same rule as reads (and are logged)."""
    return can_view_participants(user, intervention)


def participant_interventions(user):
    """The interventions whose participant data `user` may read (a queryset)."""
    if is_auditor(user):
        return Intervention.objects.all()
    return Intervention.objects.filter(organisation_id__in=authorised_organisation_ids(user))


def readable_intervention_ids(user) -> set[int] | None:
    """Ids of the interventions whose participant data `user` reads; None means all of them."""
    if is_auditor(user):
        return None
    orgs = authorised_organisation_ids(user)
    if not orgs:
        return set()
    return set(Intervention.objects.filter(organisation_id__in=orgs).values_list("pk", flat=True))


def can_view_dashboards(user) -> bool:
    """Whether `user` sees the dashboards unsuppressed: an auditor or an authorised user."""
    return is_auditor(user) or bool(authorised_organisation_ids(user))


def can_upload(user, intervention: Intervention) -> bool:
    """Whether `user` may upload participant records for the intervention."""
    if not _active(user):
        return False
    if intervention.organisation_id in authorised_organisation_ids(user):
        return True
    return user.is_superuser


def can_edit_intervention(user, intervention: Intervention | None) -> bool:
    """Staff create and change interventions; the owner's editors change theirs."""
    if not _active(user):
        return False
    if intervention is None or intervention.pk is None:
        return user.has_perm("monitoring.add_intervention")
    if intervention.organisation_id in authorised_organisation_ids(user):
        return True
    return user.has_perm("monitoring.change_intervention")


def can_edit_indicators(user) -> bool:
    """Indicator definitions are kept by staff (programme-specific ones added in the admin)."""
    return _active(user) and user.has_perm("monitoring.change_indicatordefinition")


def can_erase_person(user) -> bool:
    """Erasing a person everywhere (data-protection request) is a superuser's or DPO's act."""
    return _active(user) and user.has_perm("monitoring.delete_participantrecord")
