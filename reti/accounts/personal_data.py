"""What the accounts app holds about a person, and what erasing it does (reti.accounts.rights).

Erased: memberships, requests to join, API tokens, the second factors, the sign-in record and
the sign-up record. Kept: the consents (withdrawn, as the proof of what was agreed and when)
and the audit trail of memberships and requests, pointing to the anonymised account. The
account itself is anonymised by `reti.accounts.actions.erase_personal_data`.
"""

from django.utils import timezone
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from reti.lib import audit

from .models import ApiToken, Consent, JoinRequest, Membership, SignInEvent, SignUp
from .rights import Outcome, iso


def collect(user) -> dict[str, list[dict]]:
    sign_up = SignUp.objects.filter(user=user).first()
    return {
        "accounts.profile": [
            {
                "username": user.get_username(),
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "date_joined": iso(user.date_joined),
                "last_login": iso(user.last_login),
                "is_staff": user.is_staff,
                "self_registered": sign_up is not None,
                "privacy_accepted_at": iso(sign_up.privacy_accepted_at) if sign_up else None,
                "language": sign_up.language if sign_up else None,
            }
        ],
        "accounts.memberships": [
            {
                "organisation": str(m.organisation),
                "role": m.role,
                "created_at": iso(m.created_at),
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "accounts.join_requests": [
            {
                "organisation": str(j.organisation),
                "role": j.role,
                "message": j.message,
                "state": j.state,
                "created_at": iso(j.created_at),
                "decided_at": iso(j.decided_at),
                "reason": j.reason,
            }
            for j in JoinRequest.objects.filter(user=user).select_related("organisation")
        ],
        "accounts.consents": [
            {
                "purpose": c.purpose,
                "text_version": c.text_version,
                "given_at": iso(c.given_at),
                "withdrawn_at": iso(c.withdrawn_at),
            }
            for c in Consent.objects.filter(user=user)
        ],
        "accounts.sign_ins": [
            {"at": iso(s.at), "method": s.method, "network": s.network}
            for s in SignInEvent.objects.filter(user=user)
        ],
        "accounts.api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": iso(t.created_at),
                "last_used_at": iso(t.last_used_at),
                "revoked_at": iso(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "accounts.second_factors": [
            {"kind": "totp", "name": d.name, "confirmed": d.confirmed}
            for d in TOTPDevice.objects.filter(user=user)
        ]
        + [
            {"kind": "recovery_codes", "name": d.name, "confirmed": d.confirmed}
            for d in StaticDevice.objects.filter(user=user)
        ],
    }


def erase(user) -> list[Outcome]:
    outcomes = []
    for what, queryset in (
        (gettext_noop("Appartenenze alle organizzazioni"), Membership.objects.filter(user=user)),
        (gettext_noop("Richieste di adesione"), JoinRequest.objects.filter(user=user)),
        (gettext_noop("Token API"), ApiToken.objects.filter(user=user)),
        (gettext_noop("Storico degli accessi"), SignInEvent.objects.filter(user=user)),
        (gettext_noop("Registrazione autonoma"), SignUp.objects.filter(user=user)),
    ):
        count = 0
        for record in queryset:
            # The trail keeps who it was not: the person asked for it (no actor named).
            audit.delete(record, None, gettext_noop("cancellazione dei dati personali"))
            count += 1
        outcomes.append(Outcome(what, count))
    # The trail keeps that a request was made and decided, not what its author wrote.
    JoinRequest.history.filter(user_id=user.pk).update(message="")
    devices = TOTPDevice.objects.filter(user=user).delete()[0]
    devices += StaticDevice.objects.filter(user=user).delete()[0]
    outcomes.append(Outcome(gettext_noop("Secondi fattori di autenticazione"), devices))
    consents = Consent.objects.filter(user=user)
    for consent in consents.filter(withdrawn_at__isnull=True):
        consent.withdrawn_at = timezone.now()
        audit.stamp(consent, None, gettext_noop("cancellazione dei dati personali"))
        consent.save(update_fields=["withdrawn_at"])
    outcomes.append(
        Outcome(
            gettext_noop("Consensi (revocati)"),
            consents.count(),
            kept=True,
            reason=gettext_noop(
                "La prova di quale consenso è stato dato e quando va conservata (art. 7 GDPR);"
                " resta legata allo pseudonimo."
            ),
        )
    )
    outcomes.append(
        Outcome(
            gettext_noop("Registro delle modifiche (audit)"),
            None,
            kept=True,
            reason=gettext_noop(
                "Il registro di chi ha modificato i dati condivisi è conservato per la"
                " responsabilità delle modifiche; riporta lo pseudonimo, non il tuo nome."
            ),
        )
    )
    return outcomes
