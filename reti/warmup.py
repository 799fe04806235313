"""What a web process does once when it starts instead of on its first request.

A worker's first request used to take about a second more than the next ones: importing every
view and API schema (Django loads the URLconf lazily, and django-ninja builds the pydantic
models of ~80 operations), loading the translation catalogues, and compiling the templates it
renders. `warm()` does all of that at start: `reti/wsgi.py` calls it, so under gunicorn with
`--preload` the master does it once and every worker inherits the result; without
`--preload` each worker does it before it accepts a request. It touches no database and no
cache, so nothing is shared across the fork.
"""

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation


def project_templates() -> list[str]:
    """The names of Reti's own templates (the project's and every app's templates/ folder)."""
    base = Path(settings.BASE_DIR) / "reti"
    names = set()
    for folder in [*base.glob("templates"), *base.glob("*/templates")]:
        names |= {str(path.relative_to(folder)) for path in folder.rglob("*.html")}
    return sorted(names)


def _reverse_maps(resolver) -> None:
    resolver.reverse_dict  # noqa: B018 - reading it builds it for the active language
    for _prefix, namespace in resolver.namespace_dict.values():
        _reverse_maps(namespace)


def warm() -> dict:
    """Import the URLconf, build the reverse maps and catalogues of every language, and
    compile Reti's templates into the cached loader. Returns what it did, for the log."""
    resolver = get_resolver()
    patterns = len(resolver.url_patterns)  # imports every urls, views and API module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            _reverse_maps(resolver)  # built per language and per namespace
            translation.gettext("Reti")  # loads the language's catalogues
    engine = engines["django"]
    names = project_templates()
    for name in names:
        engine.get_template(name)
    return {"url_patterns": patterns, "languages": len(settings.LANGUAGES), "templates": len(names)}
