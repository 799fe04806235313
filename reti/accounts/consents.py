"""The consents Reti asks for, the text shown for each, and the version of that text.

A consent is given to a text: `version(purpose)` is the first 16 hex digits of the SHA-256 of
the Italian text (the source language; the English page shows its translation), stored on
each `Consent`. Changing a text below changes its version, so consents given earlier stay tied
to what their owner read; the page then shows the purpose as not given for the new text.

Existing consent-like flags are not read through this model: an event registration's
`public_consent` (to appear in that event's public list of participants) belongs to one
registration and is asked on the registration form; it stays there.
"""

import hashlib

from django.utils.translation import gettext_noop

from .models import Consent

Purpose = Consent.Purpose

TEXTS = {
    Purpose.DIRECTORY: gettext_noop(
        "Acconsento a comparire nella rubrica dei contatti riservata agli utenti registrati"
        " di Reti, con nome, cognome, indirizzo e-mail e organizzazioni di appartenenza."
    ),
    Purpose.PUBLIC_LISTING: gettext_noop(
        "Acconsento a comparire con nome, cognome e organizzazioni di appartenenza negli"
        " elenchi pubblici del portale (ad esempio tra i referenti di una rete o di un"
        " progetto)."
    ),
    Purpose.NEWSLETTER: gettext_noop(
        "Acconsento a ricevere per e-mail la newsletter di Reti sulle attività delle reti,"
        " gli eventi e i bandi; posso revocare il consenso in ogni momento."
    ),
}


def version(purpose: str) -> str:
    """The version of the text currently shown for `purpose`."""
    return hashlib.sha256(TEXTS[purpose].encode()).hexdigest()[:16]


def current(user) -> dict[str, Consent]:
    """The current (not withdrawn) consents of `user`, by purpose."""
    return {c.purpose: c for c in Consent.objects.filter(user=user, withdrawn_at__isnull=True)}


def gives(user, purpose: str) -> bool:
    """Whether `user` currently consents to `purpose` on the text shown now."""
    return Consent.objects.filter(
        user=user, purpose=purpose, withdrawn_at__isnull=True, text_version=version(purpose)
    ).exists()
