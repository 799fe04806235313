"""What the grants app adds to others' pages (reti.lib.extensions)."""

from .models import Application, RepresentationClaim


def account_applications(request, user) -> dict | None:
    """The account page's links to claims and applications (every signed-in user may apply)."""
    return {
        "grant_claims": RepresentationClaim.objects.filter(user=user).count(),
        "grant_applications": Application.objects.filter(
            organisation__grant_claims__user=user,
            organisation__grant_claims__status=RepresentationClaim.Status.VERIFIED,
        ).count(),
    }
