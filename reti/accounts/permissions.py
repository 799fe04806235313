"""Who a user is to Reti, from their account and memberships: the one place these rules live.

- staff (active, is_staff or superuser) manage every record and every API token;
- an editor or admin of an organisation edits for it (which records: each app's permissions);
- an editor manages their own API tokens.

The registry and the other apps build their rules on these: nothing here imports the registry.
"""

from .models import Membership

EDIT_ROLES = (Membership.Role.EDITOR, Membership.Role.ADMIN)


def is_registry_staff(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.is_staff))


def editable_organisation_ids(user) -> set[int]:
    """Ids of the organisations whose records `user` may edit as editor or admin."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cache = getattr(user, "_reti_editable_orgs", None)
    if cache is None:
        cache = set(
            Membership.objects.filter(user=user, role__in=EDIT_ROLES).values_list(
                "organisation_id", flat=True
            )
        )
        user._reti_editable_orgs = cache
    return cache


def is_editor(user) -> bool:
    """Whether the user edits anything at all (the back office opens to them)."""
    return is_registry_staff(user) or bool(editable_organisation_ids(user))


def can_manage_api_token(user, token=None) -> bool:
    """Staff manage every API token; an editor manages their own (or creates one)."""
    if is_registry_staff(user):
        return True
    return is_editor(user) and (token is None or token.user_id == user.pk)
