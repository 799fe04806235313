"""Who may do what with linked digital identities.

- A signed-in user sees the identities linked to their own account, and only those.
- A user removes an identity from their own account; nobody removes another's (staff use the
  back office, where the trail records them).
"""


def can_remove_identity(user, identity) -> bool:
    return user.is_authenticated and identity.user_id == user.pk


def identities_q(user):
    from .models import LinkedIdentity

    return (
        LinkedIdentity.objects.filter(user=user)
        if user.is_authenticated
        else LinkedIdentity.objects.none()
    )
