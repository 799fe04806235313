"""The portal's main menu entries that modules contribute.

Each app may declare `portal_nav` on its AppConfig: a sequence of (URL name, label) pairs,
shown in INSTALLED_APPS order after the registry's own entries.
"""

from functools import cache

from django.apps import apps


@cache
def _entries() -> tuple[tuple[str, str], ...]:
    return tuple(
        entry for config in apps.get_app_configs() for entry in getattr(config, "portal_nav", ())
    )


def portal_nav(request) -> dict:
    """Template context processor: `portal_nav`, the modules' menu entries."""
    return {"portal_nav": _entries()}
