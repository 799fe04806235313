"""Token authentication for the REST API: `Authorization: Bearer <key>`."""

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
