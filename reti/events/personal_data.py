"""What events hold about a person, and what erasing it does (reti.accounts.rights).

A registration made while signed in is theirs. Erasing blanks the name, e-mail and
affiliation written on it (in the audit trail too) and withdraws the consent to the public
list of participants; the registration itself stays, anonymised, because an event's
attendance figures are reported to the programme that funds it.
"""

from django.utils.translation import gettext_noop

from reti.accounts.rights import Outcome, iso

from .models import Registration

ERASED_NAME = "—"


def collect(user) -> dict[str, list[dict]]:
    return {
        "events.registrations": [
            {
                "event": str(r.event),
                "event_start": iso(r.event.start),
                "name": r.name,
                "email": r.email,
                "affiliation": r.affiliation,
                "language": r.language,
                "status": r.status,
                "public_consent": r.public_consent,
                "attended": r.attended,
                "created_at": iso(r.created_at),
                "cancelled_at": iso(r.cancelled_at),
            }
            for r in Registration.objects.filter(user=user).select_related("event")
        ]
    }


def erase(user) -> list[Outcome]:
    registrations = Registration.objects.filter(user=user)
    Registration.history.filter(user_id=user.pk).update(
        name=ERASED_NAME, email="", affiliation="", public_consent=False
    )
    count = registrations.update(name=ERASED_NAME, email="", affiliation="", public_consent=False)
    return [
        Outcome(
            gettext_noop("Iscrizioni agli eventi (anonimizzate)"),
            count,
            kept=True,
            reason=gettext_noop(
                "Le presenze agli eventi sono rendicontate al programma che li finanzia:"
                " l’iscrizione resta senza nome, e-mail ed ente."
            ),
        )
    ]
