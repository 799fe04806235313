"""E-mails in the recipient's language, with absolute links on the site's public address.

Each message is a template `<app>/email/<name>.<language>.txt` whose first line is the
subject. Links are built on settings.RETI_SITE_URL (required in production), never on the
request's Host: a message is often written by a task, and a forged Host must not reach a
mailbox.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

LANGUAGES = ("it", "en")


def site_url(path: str = "") -> str:
    """`path` as an absolute URL on the site's public address (settings.RETI_SITE_URL)."""
    return settings.RETI_SITE_URL.rstrip("/") + path


def language_of(language: str | None) -> str:
    """A language e-mails are written in: `language` if Reti writes it, else Italian."""
    return language if language in LANGUAGES else "it"


def render_message(folder: str, name: str, language: str, context: dict) -> tuple[str, str]:
    """The subject and body of template `<folder>/<name>.<language>.txt` (Italian when the
    language is unknown)."""
    language = language_of(language)
    with translation.override(language):
        text = render_to_string(f"{folder}/{name}.{language}.txt", context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"
