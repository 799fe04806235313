"""Token authentication for the REST API: `Authorization: Bearer <key>`."""

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer

from .models import ApiToken


class ApiTokenAuth(HttpBearer):
    """Authenticates a request by an ApiToken key; the user becomes `request.auth`."""

    def authenticate(self, request, token: str):
        user = ApiToken.objects.authenticate(token)
        if user is not None:
            # Actions and the audit trail read the acting user from the request.
            request.user = user
        return user


api_token_auth = ApiTokenAuth()


def reader(request):
    """Who reads an API endpoint whose reads are public: the session's user, or the owner of a
    bearer token sent with the read (so a token also shows what its user may see)."""
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = ApiToken.objects.authenticate(header[7:].strip())
        if user is not None:
            return user
    return AnonymousUser()
