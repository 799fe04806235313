"""Why a SPID or CIE sign-in was refused, explained to the person trying it.

Each failure has a short code used in the logs and tests. `nr19`…`nr25` are the codes the
SPID identity providers send in the response's StatusMessage ("ErrorCode nr22") when the
person could not or would not sign in (AgID, Tabella messaggi di anomalia); the others are
Reti's own checks on the response.
"""

import re

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "nr19": _(
        "Autenticazione non riuscita per ripetuta sottomissione di credenziali errate "
        "(superato il numero di tentativi del gestore dell’identità)."
    ),
    "nr20": _("La tua identità SPID non ha credenziali del livello richiesto da questo servizio."),
    "nr21": _("Il tempo per l’autenticazione è scaduto: riprova."),
    "nr22": _("Non hai dato il consenso a inviare i tuoi dati a Reti."),
    "nr23": _("La tua identità risulta sospesa o revocata presso il gestore."),
    "nr25": _("Hai annullato l’autenticazione."),
    "status": _("Il gestore dell’identità non ha autenticato la richiesta."),
    "signature": _(
        "La firma della risposta del gestore dell’identità non è valida: la risposta è stata "
        "alterata o non viene dal gestore scelto."
    ),
    "issuer": _("La risposta non viene dal gestore dell’identità a cui è stata chiesta."),
    "audience": _("La risposta è destinata a un altro servizio, non a Reti."),
    "destination": _("La risposta è indirizzata a un altro indirizzo di Reti."),
    "recipient": _("La conferma del soggetto è indirizzata a un altro indirizzo di Reti."),
    "in_response_to": _(
        "La risposta non corrisponde a una richiesta di accesso partita da questo browser, "
        "o la richiesta è già stata usata: ricomincia l’accesso."
    ),
    "expired": _("La risposta è scaduta: ricomincia l’accesso."),
    "not_yet_valid": _("La risposta non è ancora valida: controlla l’orologio e riprova."),
    "level": _(
        "Il gestore ha autenticato con un livello di sicurezza più basso di quello richiesto."
    ),
    "replay": _("Questa risposta è già stata usata: ricomincia l’accesso."),
    "attributes": _(
        "Il gestore non ha inviato il codice fiscale, necessario per riconoscerti: "
        "acconsenti a inviarlo e riprova."
    ),
    "invalid": _("La risposta del gestore dell’identità non è valida."),
    "unknown_idp": _("Il gestore dell’identità scelto non è tra quelli configurati."),
}

_IDP_CODE = re.compile(r"ErrorCode\s+nr(\d+)", re.IGNORECASE)


class SignInRefused(Exception):
    """A response Reti does not accept; `code` is a key of MESSAGES."""

    def __init__(self, code: str, detail: str = ""):
        if code not in MESSAGES:
            raise ValueError(f"Unknown sign-in failure {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail

    @property
    def message(self):
        return MESSAGES[self.code]


def code_from_status(text: str) -> str:
    """The MESSAGES key for an identity provider's status message ("ErrorCode nr22")."""
    found = _IDP_CODE.search(text or "")
    if found and f"nr{found.group(1)}" in MESSAGES:
        return f"nr{found.group(1)}"
    return "status"
