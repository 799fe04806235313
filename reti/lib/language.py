"""Which language a page speaks, and the IT/EN switch.

Italian is Reti's first language. A page's language is the prefix of its address (`/it/`,
`/en/`); an address without one (the site's root `/`) goes to the language the visitor chose
before (the language cookie the switch sets) and otherwise to Italian, whatever the browser's
Accept-Language says. The API (no prefix) still follows Accept-Language for its messages.

The switch posts the page's address; it lands on the same page in the other language even when
the browser's language differs from the page's (Django's own view resolves the address in the
browser's language and, failing, sends the visitor back where they were).
"""

from functools import cache

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def chosen_language(request) -> str:
    """The language the visitor chose before (cookie), else the first language."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in LANGUAGES else settings.LANGUAGE_CODE


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that an address without a language prefix outside the API never
    follows the browser's Accept-Language (see the module docstring)."""

    def process_request(self, request):
        super().process_request(request)
        path = request.path_info
        if translation.get_language_from_path(path) or path.startswith(_api_prefix()):
            return
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()


@cache
def _api_prefix() -> str:
    return reverse("api:openapi-json").rsplit("/", 2)[0] + "/"


@require_POST
def set_language(request):
    """Django's set_language, with the page's address resolved in the page's own language."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    page_language = translation.get_language_from_path(target) if safe else None
    with translation.override(page_language or translation.get_language()):
        return django_set_language(request)
