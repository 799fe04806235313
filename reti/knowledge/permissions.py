"""Who may do what with good practices and transfers: the one place these rules live.

- authors are the editors (or admins) of a practice's lead organisation: they create drafts,
  edit them while they are drafts or sent back, attach files and submit;
- the secretariat of the practice's network (editors of the organisation holding the
  network's current secretariat role, see reti.registry.permissions) validates a submitted
  practice with a comment or sends it back with reasons, publishes and archives it;
- staff do everything;
- a published practice is public; any other state is seen by its authors, its network's
  secretariat and staff only;
- a transfer of a published practice is recorded by an editor of the adopting organisation,
  the practice's authors or its network's secretariat, or staff.
"""

from django.db.models import Q

from reti.registry.permissions import (
    editable_organisation_ids,
    is_registry_staff,
    secretariat_network_ids,
)

from .models import GoodPractice, Transfer

State = GoodPractice.State


def is_author(user, practice: GoodPractice) -> bool:
    return practice.lead_organisation_id in editable_organisation_ids(user)


def is_secretariat(user, practice: GoodPractice) -> bool:
    return practice.network_id is not None and practice.network_id in secretariat_network_ids(user)


def visible_practices_q(user) -> Q:
    """A filter for the practices `user` may see."""
    if is_registry_staff(user):
        return Q()
    public = Q(state=State.PUBLISHED)
    orgs = editable_organisation_ids(user)
    if not orgs:
        return public
    return (
        public | Q(lead_organisation_id__in=orgs) | Q(network_id__in=secretariat_network_ids(user))
    )


def can_view(user, practice: GoodPractice) -> bool:
    if practice.state == State.PUBLISHED or is_registry_staff(user):
        return True
    return is_author(user, practice) or is_secretariat(user, practice)


def can_create(user, lead) -> bool:
    """Staff create practices for any organisation; an editor for the one they edit."""
    if is_registry_staff(user):
        return True
    return lead is not None and lead.pk in editable_organisation_ids(user)


def can_edit(user, practice: GoodPractice) -> bool:
    """Authors edit drafts and sent-back practices; staff edit anything not archived."""
    if is_registry_staff(user):
        return practice.state != State.ARCHIVED
    return practice.is_editable and is_author(user, practice)


def can_submit(user, practice: GoodPractice) -> bool:
    return practice.is_editable and (is_registry_staff(user) or is_author(user, practice))


def can_review(user, practice: GoodPractice) -> bool:
    """Validate with a comment, or send back with reasons: the network's secretariat."""
    return practice.state == State.SUBMITTED and (
        is_registry_staff(user) or is_secretariat(user, practice)
    )


def can_send_back(user, practice: GoodPractice) -> bool:
    return practice.state in (State.SUBMITTED, State.VALIDATED) and (
        is_registry_staff(user) or is_secretariat(user, practice)
    )


def can_publish(user, practice: GoodPractice) -> bool:
    return practice.state == State.VALIDATED and (
        is_registry_staff(user) or is_secretariat(user, practice)
    )


def can_archive(user, practice: GoodPractice) -> bool:
    return practice.state == State.PUBLISHED and (
        is_registry_staff(user) or is_secretariat(user, practice)
    )


def reviewable_practices_q(user) -> Q | None:
    """The practices waiting for `user` as secretariat (None: the user reviews nothing)."""
    waiting = Q(state__in=[State.SUBMITTED, State.VALIDATED])
    if is_registry_staff(user):
        return waiting
    networks = secretariat_network_ids(user)
    if not networks:
        return None
    return waiting & Q(network_id__in=networks)


def can_record_transfer(user, practice: GoodPractice, adopting_organisation) -> bool:
    if practice.state not in (State.PUBLISHED, State.ARCHIVED):
        return False
    if is_registry_staff(user):
        return True
    if adopting_organisation is not None and adopting_organisation.pk in editable_organisation_ids(
        user
    ):
        return True
    return is_author(user, practice) or is_secretariat(user, practice)


def can_edit_transfer(user, transfer: Transfer) -> bool:
    return can_record_transfer(user, transfer.practice, transfer.adopting_organisation)


def may_record_some_transfer(user, practice: GoodPractice) -> bool:
    """Whether to offer the transfer form: the user records one for at least one organisation."""
    if practice.state != State.PUBLISHED:
        return False
    return is_registry_staff(user) or bool(editable_organisation_ids(user))
