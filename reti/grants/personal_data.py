"""What grants hold about a person, and what erasing it does (reti.accounts.rights).

Their claims to represent an organisation and the applications they started. Nothing is
erased: an application, its claim and its payments are the record of a procedure for public
funds, kept for the programme's retention period (Reg. (EU) 2021/1060, art. 82) and under the
archives' law; after erasure they point to the pseudonym, not the person.
"""

from django.utils.translation import gettext_noop

from reti.accounts.rights import Outcome, iso

from .models import Application, RepresentationClaim

REASON = gettext_noop(
    "Le domande di contributo e i pagamenti sono atti di un procedimento su fondi pubblici,"
    " da conservare per il periodo stabilito dal programma (Reg. UE 2021/1060, art. 82):"
    " restano legati allo pseudonimo."
)


def _claims(user):
    return RepresentationClaim.objects.filter(user=user).select_related("organisation")


def _applications(user):
    return Application.objects.filter(created_by=user).select_related("call", "organisation")


def collect(user) -> dict[str, list[dict]]:
    return {
        "grants.representation_claims": [
            {
                "organisation": str(c.organisation),
                "tax_code": c.tax_code,
                "legal_representative": c.legal_representative,
                "status": c.status,
                "created_at": iso(c.created_at),
                "decided_at": iso(c.decided_at),
            }
            for c in _claims(user)
        ],
        "grants.applications": [
            {
                "call": str(a.call),
                "organisation": str(a.organisation),
                "title": a.title,
                "status": a.status,
                "created_at": iso(a.created_at),
                "submitted_at": iso(a.submitted_at),
                "withdrawn_at": iso(a.withdrawn_at),
            }
            for a in _applications(user)
        ],
    }


def erase(user) -> list[Outcome]:
    return [
        Outcome(
            gettext_noop("Richieste di rappresentare un’organizzazione"),
            _claims(user).count(),
            kept=True,
            reason=REASON,
        ),
        Outcome(
            gettext_noop("Domande di contributo"),
            _applications(user).count(),
            kept=True,
            reason=REASON,
        ),
    ]
