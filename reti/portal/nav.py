"""The portal's main menu: the registry's entries, then those modules contribute.

Each app may declare `portal_nav` on its AppConfig: a sequence of (URL name, label) pairs, or
(URL name, label, group) where group is a key of GROUPS, shown in INSTALLED_APPS order after
the registry's own entries. Entries of a group share one drop-down in the menu bar, placed
where the group's first entry would be, so the bar holds a line at desktop widths however
many modules there are. The entry whose address the current page's path starts with is the
active one, and so is its group.
"""

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The drop-downs of the menu bar: key, label.
GROUPS = {
    "explore": _("Esplora"),
    "exchange": _("Scambio di conoscenze"),
}
REGISTRY_NAV = (
    ("portal:network_list", _("Reti")),
    ("portal:project_list", _("Progetti")),
    ("portal:organisation_list", _("Organizzazioni")),
    ("portal:territory_map", _("Territori")),
    ("portal:timeline", _("Cronologia"), "explore"),
    ("portal:graph", _("Rete delle reti"), "explore"),
)


@dataclass
class Entry:
    url: str
    label: str
    active: bool = False
    current: bool = False


@dataclass
class Group:
    key: str
    label: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(entry.active for entry in self.entries)


@cache
def _entries() -> tuple[tuple[str, str, str], ...]:
    """(URL name, label, group key or "") of every entry, registry first."""
    modules = (
        entry for config in apps.get_app_configs() for entry in getattr(config, "portal_nav", ())
    )
    entries = tuple(map(_full, (*REGISTRY_NAV, *modules)))
    unknown = {group for _name, _label, group in entries if group and group not in GROUPS}
    if unknown:
        raise ValueError(f"Unknown menu groups: {', '.join(sorted(unknown))}")
    return entries


def _full(entry: tuple) -> tuple[str, str, str]:
    name, label, *group = entry
    return name, label, group[0] if group else ""


@cache
def _urls(language: str) -> tuple[tuple[str, str, str, str], ...]:
    """(URL name, address, label, group) of each entry, in one language."""
    return tuple((name, reverse(name), label, group) for name, label, group in _entries())


def menu(path: str, language: str) -> tuple[list, str]:
    """The menu bar for a page at `path`: Entry and Group items in order; the active name."""
    entries = _urls(language)
    matching = [(len(url), name) for name, url, _label, _group in entries if path.startswith(url)]
    active = max(matching)[1] if matching else ""
    items: list = []
    groups: dict[str, Group] = {}
    for name, url, label, key in entries:
        entry = Entry(url, str(label), name == active, path == url)
        if not key:
            items.append(entry)
            continue
        if key not in groups:
            groups[key] = Group(key, str(GROUPS[key]))
            items.append(groups[key])
        groups[key].entries.append(entry)
    return items, active


def portal_nav(request) -> dict:
    """Template context processor: the menu (`portal_nav`: Entry and Group items) and whether
    the page is the home page (`portal_nav_home`)."""
    path = getattr(request, "path", "")
    language = get_language() or "it"
    home = reverse("portal:home")
    items, _active = menu(path, language)
    return {"portal_nav": items, "portal_nav_home": path == home}
