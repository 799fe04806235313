"""A demo hook that mails one of its synthetic people, as the grants' demo does (test_demo)."""

from django.core.mail import EmailMessage


def purge(*, report) -> int:
    return 0


def generate(scale, *, seed, report) -> dict[str, int]:
    EmailMessage("Domanda ricevuta", "…", to=["demo-bandi-1@example.org"]).send()
    return {"messaggi di prova": 1}
