"""What the grants app adds to others' pages (reti.lib.extensions)."""

from . import permissions
from .models import Application, Grant, RepresentationClaim


def account_applications(request, user) -> dict | None:
    """The account page's links to claims and applications (every signed-in user may apply)."""
    return {
        "grant_claims": RepresentationClaim.objects.filter(user=user).count(),
        "grant_applications": Application.objects.filter(
            organisation__grant_claims__user=user,
            organisation__grant_claims__status=RepresentationClaim.Status.VERIFIED,
        ).count(),
        "grant_count": Grant.objects.filter(permissions.visible_grants_q(user)).distinct().count(),
    }


def project_grant(request, project) -> dict | None:
    """A project page's link to the grant that funds it (the grant is public in its essentials:
    call, CUP, amount; its page opens to those who may see it)."""
    grant = (
        Grant.objects.filter(project=project)
        .select_related("application__call", "application__organisation")
        .first()
    )
    if grant is None:
        return None
    user = getattr(request, "user", None)
    return {"grant": grant, "can_view_grant": permissions.can_view_grant(user, grant)}
