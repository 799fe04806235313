"""Small helpers the resource modules share."""

from django.urls import reverse
from django.utils.http import urlencode

# Detail responses embed at most this many rows of a relation that can grow without bound
# (a Region's partnerships); the rest is one paginated list away.
DETAIL_LIMIT = 25


def list_url(request, name: str, **query) -> str:
    """The absolute URL of an API list, filtered by `query`."""
    return request.build_absolute_uri(f"{reverse(f'api:{name}')}?{urlencode(query)}")
