"""The portal's main menu: the registry's entries, then those modules contribute.

Each app may declare `portal_nav` on its AppConfig: a sequence of (URL name, label) pairs,
shown in INSTALLED_APPS order after the registry's own entries. The entry whose address the
current page's path starts with is the active one.
"""

import uuid
from functools import cache

from django.apps import apps
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

REGISTRY_NAV = (
    ("portal:network_list", _("Reti")),
    ("portal:project_list", _("Progetti")),
    ("portal:organisation_list", _("Organizzazioni")),
    ("portal:territory_map", _("Territori")),
    ("portal:timeline", _("Cronologia")),
    ("portal:graph", _("Rete delle reti")),
)
# Cached fragments of the header and footer carry this in their key: a restart (a new
# release, new menu entries, new static file names) never serves an older one.
FRAGMENT_VERSION = uuid.uuid4().hex[:12]


@cache
def _entries() -> tuple[tuple[str, str], ...]:
    modules = (
        entry for config in apps.get_app_configs() for entry in getattr(config, "portal_nav", ())
    )
    return (*REGISTRY_NAV, *modules)


@cache
def _urls(language: str) -> tuple[tuple[str, str, str], ...]:
    """(URL name, address, label) of each entry, in one language."""
    return tuple((name, reverse(name), label) for name, label in _entries())


def portal_nav(request) -> dict:
    """Template context processor: the menu (`portal_nav`: address, label, active, current
    page), and the key of the cached header fragment (`portal_nav_key`: version, language,
    which entry is active and whether the page is the entry's own)."""
    path = getattr(request, "path", "")
    language = get_language() or "it"
    home = reverse("portal:home")
    entries = _urls(language)
    matching = [(len(url), name) for name, url, _label in entries if path.startswith(url)]
    active = max(matching)[1] if matching else ""
    menu = [(url, label, name == active, path == url) for name, url, label in entries]
    state = "home" if path == home else f"{active}{'=' if any(m[3] for m in menu) else ''}"
    return {
        "portal_nav": menu,
        "portal_nav_home": path == home,
        "portal_nav_key": f"{FRAGMENT_VERSION}:{language}:{state}",
        "portal_fragment_version": FRAGMENT_VERSION,
    }
