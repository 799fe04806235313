"""What monitoring holds about a person who handles participant data (reti.accounts.rights).

Not the participants: they are pseudonymous records an organisation loads, erased through
`monitoring.delete_participantrecord` (docs/monitoring.md). For a user of Reti: the files
they uploaded and their accesses to participant data. Nothing is erased: the access log is
the accountability record the law asks for participant data (GDPR art. 5(2), 32); after
erasure it points to the pseudonym, not the person.
"""

from django.utils.translation import gettext_noop

from reti.accounts.rights import Outcome, iso

from .models import ImportBatch, ParticipantAccessLog

REASON = gettext_noop(
    "Il registro di chi ha caricato o letto dati dei partecipanti è conservato per"
    " rispondere del loro trattamento (GDPR, artt. 5 e 32): resta legato allo pseudonimo."
)


def collect(user) -> dict[str, list[dict]]:
    return {
        "monitoring.uploads": [
            {
                "intervention": str(b.intervention),
                "file_name": b.file_name,
                "uploaded_at": iso(b.uploaded_at),
                "status": b.status,
                "rows_read": b.rows_read,
            }
            for b in ImportBatch.objects.filter(uploaded_by=user).select_related("intervention")
        ],
        "monitoring.participant_data_access": [
            {
                "at": iso(a.at),
                "action": a.action,
                "intervention": str(a.intervention) if a.intervention_id else None,
                "what": a.what,
                "record_count": a.record_count,
                "channel": a.channel,
            }
            for a in ParticipantAccessLog.objects.filter(user=user).select_related("intervention")
        ],
    }


def erase(user) -> list[Outcome]:
    uploads = ImportBatch.objects.filter(uploaded_by=user).count()
    accesses = ParticipantAccessLog.objects.filter(user=user).count()
    return [
        Outcome(gettext_noop("File di partecipanti caricati"), uploads, kept=True, reason=REASON),
        Outcome(
            gettext_noop("Accessi ai dati dei partecipanti"), accesses, kept=True, reason=REASON
        ),
    ]
