"""Who may do what with grids, committees and assessments: the one place these rules live.

- published and retired grid versions are public (retired ones explain old results); drafts
  are seen by staff only; staff load, publish and retire versions;
- a committee is seen by its members; its chair assigns subjects, overrides a detected
  conflict with a reason and reopens a submitted assessment; its chair or secretary records
  the committee's consensus; staff do everything a chair does;
- an evaluator scores only the subjects assigned to them, and not while they declare a
  conflict on the subject;
- blind evaluation: an evaluator sees their own assessment; another evaluator's assessment
  of the same subject only once every evaluator assigned that subject has submitted; the
  chair and the secretary see submitted assessments of their committee; drafts are their
  evaluator's alone (and staff's);
- the committee's ranking (graduatoria: its consensus results in order) is read by its
  members (chair, secretary, evaluators) and staff;
- the chair (or staff) publishes the committee's results; from then on the owner of a
  subject (an editor of the organisation assessed, or of the subject's lead organisation or
  applicant) sees the committee's consensus sheet of that subject, and no other assessment;
  nobody else outside the committee sees it;
- a self-assessment of an organisation is made by an editor of it (or staff) and seen by its
  evaluator and by staff;
- outsiders and anonymous visitors see published grids and nothing else;
- an app that opens committees for its own records may name more managers of them
  (`grid_committee_managers` on its AppConfig, reti.lib.extensions): a manager sees the
  committee and oversees it, assigns, overrides a detected conflict with a reason, reopens an
  assessment and publishes the results, as the chair does; the consensus stays the chair's
  and the secretary's. Grids knows nothing of those apps: it asks their predicates.
"""

from functools import cache

from django.apps import apps
from django.db.models import Q
from django.utils.module_loading import import_string

from reti.accounts.permissions import editable_organisation_ids, is_registry_staff

from .models import Assessment, Assignment, Committee, CommitteeMember, GridTemplate

Role = CommitteeMember.Role
Status = GridTemplate.Status


def can_view_template(user, template: GridTemplate) -> bool:
    return template.status != Status.DRAFT or is_registry_staff(user)


def visible_templates_q(user) -> Q:
    if is_registry_staff(user):
        return Q()
    return Q(status__in=[Status.PUBLISHED, Status.RETIRED])


def can_manage_templates(user) -> bool:
    """Load, publish and retire grid versions."""
    return is_registry_staff(user)


def committee_role(user, committee: Committee) -> str | None:
    if not (user and user.is_authenticated):
        return None
    # Read once per request: the roles are noted on the request's user, as the registry notes
    # the user's editable organisations.
    roles = getattr(user, "_reti_grid_roles", None)
    if roles is None:
        roles = dict(CommitteeMember.objects.filter(user=user).values_list("committee_id", "role"))
        user._reti_grid_roles = roles
    return roles.get(committee.pk)


def is_chair(user, committee: Committee) -> bool:
    return committee_role(user, committee) == Role.CHAIR


def is_secretary(user, committee: Committee) -> bool:
    return committee_role(user, committee) == Role.SECRETARY


@cache
def _manager_predicates() -> tuple:
    return tuple(
        import_string(config.grid_committee_managers)
        for config in apps.get_app_configs()
        if getattr(config, "grid_committee_managers", "")
    )


def is_declared_manager(user, committee: Committee) -> bool:
    """A manager an app declares for the committees it opens (e.g. a call's officers)."""
    if not (user and user.is_authenticated):
        return False
    return any(manages(user, committee) for manages in _manager_predicates())


def can_view_committee(user, committee: Committee) -> bool:
    return (
        is_registry_staff(user)
        or committee_role(user, committee) is not None
        or is_declared_manager(user, committee)
    )


def can_manage_committee(user, committee: Committee) -> bool:
    """Assign subjects, override a detected conflict with a reason, reopen an assessment."""
    return (
        is_registry_staff(user) or is_chair(user, committee) or is_declared_manager(user, committee)
    )


def can_record_consensus(user, committee: Committee) -> bool:
    return is_registry_staff(user) or committee_role(user, committee) in (
        Role.CHAIR,
        Role.SECRETARY,
    )


def can_oversee(user, committee: Committee) -> bool:
    """See every submitted assessment, the conflicts and the divergences of the committee."""
    return can_record_consensus(user, committee) or is_declared_manager(user, committee)


def can_publish_results(user, committee: Committee) -> bool:
    return can_manage_committee(user, committee)


def is_subject_owner(user, assessment: Assessment) -> bool:
    """An editor of one of the organisations the assessed subject stands for."""
    from .conflicts import subject_organisations

    mine = editable_organisation_ids(user)
    return bool(mine) and any(org.pk in mine for org in subject_organisations(assessment.subject))


def can_view_published_sheet(user, assessment: Assessment) -> bool:
    """The owner of the subject, once the committee published its results, reads the
    committee's consensus sheet of its own subject."""
    committee = assessment.committee
    return (
        committee is not None
        and committee.results_published
        and assessment.mode == Assessment.Mode.CONSENSUS
        and assessment.state == Assessment.State.SUBMITTED
        and is_subject_owner(user, assessment)
    )


def can_view_ranking(user, committee: Committee) -> bool:
    """The committee's members and staff: the ranking holds only consensus results."""
    return can_view_committee(user, committee)


def can_score(user, assignment: Assignment) -> bool:
    """The assigned evaluator, unless they declared a conflict on the subject."""
    if not (user and user.is_authenticated) or assignment.evaluator_id != user.pk:
        return False
    return not assignment.committee.declarations.filter(
        evaluator=user, has_conflict=True, **assignment.same_subject()
    ).exists()


def can_self_assess(user, subject) -> bool:
    """An editor of one of the subject's organisations (a company assessing itself), or staff."""
    from .conflicts import subject_organisations

    if is_registry_staff(user):
        return True
    mine = editable_organisation_ids(user)
    return any(org.pk in mine for org in subject_organisations(subject))


def can_edit_assessment(user, assessment: Assessment) -> bool:
    """Drafts are changed by their evaluator only."""
    return (
        assessment.state == Assessment.State.DRAFT
        and user.is_authenticated
        and assessment.evaluator_id == user.pk
    )


def all_submitted(committee: Committee, subject_type_id: int, subject_id: int) -> bool:
    """Whether every evaluator assigned this subject has submitted their assessment."""
    evaluators = set(
        committee.assignments.filter(
            subject_type_id=subject_type_id, subject_id=subject_id
        ).values_list("evaluator_id", flat=True)
    )
    done = set(
        committee.assessments.filter(
            subject_type_id=subject_type_id,
            subject_id=subject_id,
            state=Assessment.State.SUBMITTED,
            evaluator_id__in=evaluators,
        )
        .exclude(mode=Assessment.Mode.CONSENSUS)
        .values_list("evaluator_id", flat=True)
    )
    return bool(evaluators) and evaluators <= done


def can_view_assessment(user, assessment: Assessment) -> bool:
    if is_registry_staff(user):
        return True
    if not (user and user.is_authenticated):
        return False
    if assessment.evaluator_id == user.pk:
        return True
    committee = assessment.committee
    if committee is None or assessment.state != Assessment.State.SUBMITTED:
        return False
    if can_oversee(user, committee):
        return True
    if can_view_published_sheet(user, assessment):
        return True
    # Blind: a fellow evaluator of the subject, once every evaluator of it has submitted.
    assigned = committee.assignments.filter(evaluator=user, **assessment.same_subject()).exists()
    return assigned and all_submitted(committee, assessment.subject_type_id, assessment.subject_id)


def can_reopen(user, assessment: Assessment) -> bool:
    return (
        assessment.state == Assessment.State.SUBMITTED
        and assessment.committee is not None
        and can_manage_committee(user, assessment.committee)
    )


def can_reproject(user, assessment: Assessment) -> bool:
    """The assessment's evaluator, or the chair of its committee, or staff."""
    if is_registry_staff(user):
        return True
    if not user.is_authenticated:
        return False
    if assessment.evaluator_id == user.pk:
        return True
    return assessment.committee is not None and is_chair(user, assessment.committee)


def sits_on_a_committee(user) -> bool:
    """Whether `user` is a member of any evaluation committee: they read applications and
    score them, so they sign in with a second factor (reti.accounts.twofactor)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return CommitteeMember.objects.filter(user=user).exists()
