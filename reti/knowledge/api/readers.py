"""Who reads: the session's user, or the owner of a bearer token sent with a read."""

from django.contrib.auth.models import AnonymousUser

from reti.accounts.models import ApiToken


def reader(request):
    """Reads are public; a token (or a session) also shows what its user may see."""
    if request.user.is_authenticated:
        return request.user
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = ApiToken.objects.authenticate(header[7:].strip())
        if user is not None:
            return user
    return AnonymousUser()
