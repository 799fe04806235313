"""What the identity app adds to the account page (reti.lib.extensions)."""

from django.conf import settings

from . import permissions, registry


def account_identities(request, user) -> dict | None:
    """The user's linked SPID and CIE identities; nothing while SPID and CIE are off."""
    if not settings.RETI_SAML:
        return None
    from .views import AUTH_METHOD, SAML_SESSION

    return {
        "identities": list(permissions.identities_q(user)),
        "saml_session": request.session.get(SAML_SESSION) if request else None,
        "auth_method": request.session.get(AUTH_METHOD, "") if request else "",
        "has_cie": bool(registry.providers("cie")),
    }
