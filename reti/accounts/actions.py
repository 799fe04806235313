"""Use cases of accounts: self-registration (registrazione autonoma), joining an organisation,
consents and the erasure of one's data.

Sign-up makes an inactive account and mails a signed link that expires after
`RETI_SIGNUP_LINK_HOURS`; opening it and typing the password chosen at sign-up activates the
account, so a link alone (a mail scanner, a forwarded message) activates nothing, and an
address nobody owns never becomes an active account. Whether the address already had an
account, the page that follows says the same: the owner of an active account is told by
e-mail that someone used their address; an unconfirmed one takes the new details and a new
link, and every older link stops working (the link carries a digest of the password).

Join requests are announced by e-mail to those who decide them, and move from pending to
approved (which creates the membership) or refused (with a reason), each change audited
(`reti.lib.audit`) with the request's row locked, so a request is decided once; the requester
learns the decision by e-mail in the language they asked in.
E-mails leave after the transaction commits, and a mail server that is down does not undo it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.lib import audit, cache

from . import consents, emails, permissions, rights
from .models import Consent, Erasure, JoinRequest, Membership, SignUp

SIGN_UP_SALT = "reti.accounts.sign-up"
# Confirmation e-mails one address receives per hour, whoever asks: no mail bombing.
MAILS_PER_ADDRESS_PER_HOUR = 3
# Audit reasons, stored in Italian and translated when shown (reti.lib.audit).
JOIN_REQUESTED = gettext_noop("Richiesta di adesione")
JOIN_APPROVED = gettext_noop("Richiesta di adesione approvata")
JOIN_REFUSED = gettext_noop("Richiesta di adesione rifiutata")
MEMBERSHIP_FROM_REQUEST = gettext_noop("Appartenenza da richiesta di adesione approvata")


class SignUpLinkInvalid(Exception):
    """A sign-up link that was tampered with, already used, replaced, or `expired`."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _after_commit(func, *args) -> None:
    def send():
        func(*args)

    send.__qualname__ = func.__qualname__  # named in the log when it fails
    transaction.on_commit(send, robust=True)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _link_key(user) -> str:
    # Changes when the password, the address or the activation change: older links die.
    material = f"{user.pk}|{user.password}|{user.email}|{user.is_active}"
    return salted_hmac(SIGN_UP_SALT, material).hexdigest()[:32]


def sign_up_token(user) -> str:
    """The signed, timestamped token of `user`'s confirmation link."""
    return signing.dumps({"u": user.pk, "k": _link_key(user)}, salt=SIGN_UP_SALT)


def user_for_sign_up_token(token: str):
    """The inactive, unconfirmed account a link confirms; `SignUpLinkInvalid` otherwise."""
    try:
        payload = signing.loads(
            token, salt=SIGN_UP_SALT, max_age=settings.RETI_SIGNUP_LINK_HOURS * 3600
        )
    except signing.SignatureExpired:
        raise SignUpLinkInvalid(expired=True) from None
    except signing.BadSignature:
        raise SignUpLinkInvalid from None
    user = (
        get_user_model()
        .objects.filter(pk=payload.get("u"), is_active=False, sign_up__confirmed_at__isnull=True)
        .first()
    )
    if user is None or not constant_time_compare(_link_key(user), str(payload.get("k"))):
        raise SignUpLinkInvalid
    return user


def _may_mail(address: str) -> bool:
    """One more sign-up e-mail to `address` this hour; whether it is within the limit."""
    return cache.hits(("sign-up-mail", address.lower()), 3600) <= MAILS_PER_ADDRESS_PER_HOUR


def _send_link(user, language: str) -> None:
    if _may_mail(user.email):
        _after_commit(emails.send_sign_up_link, user.pk, language)


def _account_for(email: str):
    User = get_user_model()
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()


@transaction.atomic
def sign_up(*, email: str, first_name: str, last_name: str, password: str, language: str) -> None:
    """Register a new account, inactive until its address is confirmed; says nothing back.

    The caller has validated the password (Django's validators) and the privacy acceptance.
    """
    email = normalise_email(email)
    now = timezone.now()
    existing = _account_for(email)
    if existing is not None:
        unconfirmed = (
            not existing.is_active
            and SignUp.objects.filter(user=existing, confirmed_at__isnull=True).exists()
        )
        if not unconfirmed:
            # An active account (or one staff deactivated): its owner is told, nothing changes.
            # The password is hashed all the same, so the answer takes as long as a new one's.
            make_password(password)
            if existing.is_active and existing.email and _may_mail(existing.email):
                _after_commit(emails.send_already_registered, existing.pk, language)
            return
        user = get_user_model().objects.select_for_update().get(pk=existing.pk)
        user.first_name, user.last_name = first_name, last_name
        user.set_password(password)
        user.save(update_fields=["first_name", "last_name", "password"])
        SignUp.objects.filter(user=user).update(language=language, privacy_accepted_at=now)
    else:
        user = get_user_model()(
            username=email, email=email, first_name=first_name, last_name=last_name
        )
        user.is_active = False
        user.set_password(password)
        user.full_clean()
        user.save()
        SignUp.objects.create(user=user, language=language, privacy_accepted_at=now)
    _send_link(user, language)


@transaction.atomic
def resend_sign_up_link(email: str, language: str) -> None:
    """Mail a new link to an account still waiting for confirmation; nothing for any other."""
    existing = _account_for(normalise_email(email))
    if existing is None or existing.is_active:
        return
    sign_up_record = SignUp.objects.filter(user=existing, confirmed_at__isnull=True).first()
    if sign_up_record is not None:
        _send_link(existing, language or sign_up_record.language)


@transaction.atomic
def confirm_sign_up(token: str, password: str):
    """Activate the account of a valid link when `password` is the one chosen at sign-up."""
    user = user_for_sign_up_token(token)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.check_password(password):
        raise ValidationError(
            {"password": _("La password non è quella scelta al momento della registrazione.")}
        )
    user.is_active = True
    user.save(update_fields=["is_active"])
    SignUp.objects.filter(user=user).update(confirmed_at=timezone.now())
    return user


@transaction.atomic
def request_to_join(user, organisation, *, role: str, message: str, language: str) -> JoinRequest:
    """Ask to join `organisation` as viewer or editor; its admins or secretariat decide."""
    _require(
        permissions.can_request_to_join(user, organisation),
        "You are a member already or have a request pending for this organisation.",
    )
    join_request = JoinRequest(
        user=user, organisation=organisation, role=role, message=message, language=language
    )
    audit.save(join_request, user, JOIN_REQUESTED)
    _after_commit(emails.send_join_request_notice, join_request.pk)
    return join_request


def _locked(join_request: JoinRequest) -> JoinRequest:
    return (
        JoinRequest.objects.select_for_update()
        .select_related("user", "organisation")
        .get(pk=join_request.pk)
    )


@transaction.atomic
def approve_join_request(user, join_request: JoinRequest) -> JoinRequest:
    """Approve a pending request: the requester becomes a member with the role asked for."""
    join_request = _locked(join_request)
    _require(
        permissions.can_approve_join_request(user, join_request),
        "You do not decide this request, or it is decided already.",
    )
    if not Membership.objects.filter(
        user=join_request.user, organisation=join_request.organisation
    ).exists():
        membership = Membership(
            user=join_request.user, organisation=join_request.organisation, role=join_request.role
        )
        audit.save(membership, user, MEMBERSHIP_FROM_REQUEST)
    join_request.state = JoinRequest.State.APPROVED
    join_request.decided_at = timezone.now()
    join_request.decided_by = user
    audit.save(join_request, user, JOIN_APPROVED)
    _after_commit(emails.send_join_decision, join_request.pk)
    return join_request


@transaction.atomic
def refuse_join_request(user, join_request: JoinRequest, reason: str) -> JoinRequest:
    """Refuse a pending request with a reason, which the requester receives."""
    join_request = _locked(join_request)
    _require(
        permissions.can_refuse_join_request(user, join_request),
        "You do not decide this request, or it is decided already.",
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Scrivi il motivo del rifiuto: lo riceve chi ha chiesto.")}
        )
    join_request.state = JoinRequest.State.REFUSED
    join_request.reason = reason
    join_request.decided_at = timezone.now()
    join_request.decided_by = user
    audit.save(join_request, user, audit.reason(JOIN_REFUSED, reason))
    _after_commit(emails.send_join_decision, join_request.pk)
    return join_request


# -- People's rights: consents and erasure (reti.accounts.rights) --------------------------

CONSENT_GIVEN = gettext_noop("Consenso dato")
CONSENT_WITHDRAWN = gettext_noop("Consenso revocato")
DATA_ERASED = gettext_noop("Cancellazione dei dati personali")


@transaction.atomic
def give_consent(user, purpose: str) -> Consent:
    """Consent to `purpose` on the text shown now; a current consent to an older text of the
    same purpose is withdrawn first (one current consent per purpose)."""
    _require(permissions.can_manage_consent(user), "Sign in to give a consent.")
    if purpose not in consents.TEXTS:
        raise ValidationError({"purpose": _("Finalità del consenso sconosciuta.")})
    get_user_model().objects.select_for_update().get(pk=user.pk)
    existing = Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).first()
    if existing is not None:
        if existing.text_version == consents.version(purpose):
            return existing
        existing.withdrawn_at = timezone.now()
        audit.save(existing, user, CONSENT_WITHDRAWN)
    consent = Consent(user=user, purpose=purpose, text_version=consents.version(purpose))
    audit.save(consent, user, CONSENT_GIVEN)
    return consent


@transaction.atomic
def withdraw_consent(user, consent: Consent) -> Consent:
    """Withdraw a current consent of one's own; the row stays as the record of it."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    _require(permissions.can_manage_consent(user, consent), "Not your consent.")
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        audit.save(consent, user, CONSENT_WITHDRAWN)
    return consent


def pseudonym_of(user) -> str:
    """The stable pseudonym an erased account keeps: a keyed hash of its id (the monitoring
    pseudonym key), so the same account always gets the same one and nobody can reverse it."""
    digest = salted_hmac(
        "reti.accounts.erasure", str(user.pk), secret=settings.MONITORING_PSEUDONYM_KEY
    )
    return "cancellato-" + digest.hexdigest()[:12]


@transaction.atomic
def erase_personal_data(user, password: str, *, language: str = "it") -> Erasure:
    """Erase what Reti holds about `user` where the law allows, and anonymise the account.

    Confirmed by the account's password. Each app's `erase` removes or keeps its records
    (reti.accounts.rights); the account's username becomes its pseudonym, name and e-mail are
    emptied, the password unusable, the account inactive. The `Erasure` row keeps the report
    of what was removed and what was kept and why, which is shown and mailed to the person
    (to the address they had, after the commit). Audited: the erasure is a row of its own,
    and each audited record changed names the erasure as its reason.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    _require(permissions.can_erase_own_data(user), "This account may not erase itself.")
    if not user.check_password(password):
        raise ValidationError({"password": _("La password non è corretta.")})
    address = user.email
    outcomes = rights.erase_everywhere(user)
    pseudonym = pseudonym_of(user)
    user.username = pseudonym
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.save()
    erasure = Erasure(user=user, pseudonym=pseudonym, report=rights.report(outcomes))
    audit.save(erasure, user, DATA_ERASED)
    if address:
        _after_commit(emails.send_erasure_report, erasure.pk, address, language)
    return erasure
