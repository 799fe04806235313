"""Use cases of SPID and CIE sign-in: recognise the person, link or create the account, unlink.

A verified identity is recognised by its fiscal code (`TINIT-…`), whichever scheme brought it:
the account already linked to that code signs in (and gains the other scheme's link if it is
new); a user already signed in with a password links the identity to their own account;
anyone else gets a new account named by the fiscal code, with no password. The link row is
locked (`select_for_update`) so two first sign-ins of the same person make one account.
"""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.lib import audit

from . import permissions
from .models import LinkedIdentity

LINKED = gettext_noop("Identità digitale collegata")
REMOVED = gettext_noop("Identità digitale scollegata")
_FISCAL = re.compile(r"^TIN[A-Z]{2}-[A-Z0-9]{6,30}$")


class IdentityRefused(Exception):
    """An identity that cannot sign in here; the message says why, for the person."""


def normalise_fiscal_number(value: str) -> str:
    """`TINIT-` and the code in capitals; a bare Italian codice fiscale gains the prefix."""
    value = (value or "").strip().upper().replace(" ", "")
    if re.fullmatch(r"[A-Z0-9]{16}|[0-9]{11}", value):
        value = f"TINIT-{value}"
    if not _FISCAL.match(value):
        raise ValidationError(
            {"fiscal_number": _("Codice fiscale non valido: %(value)s") % {"value": value}}
        )
    return value


@transaction.atomic
def sign_in_identity(identity, current_user=None):
    """The account `identity` (a verified saml.Identity) signs in to; (user, created)."""
    fiscal = normalise_fiscal_number(identity.fiscal_number)
    links = list(LinkedIdentity.objects.select_for_update().filter(fiscal_number=fiscal))
    signed_in = current_user if current_user is not None and current_user.is_authenticated else None
    created = False
    if links:
        user = links[0].user
        if signed_in is not None and signed_in.pk != user.pk:
            raise IdentityRefused(
                _(
                    "Questa identità è già collegata a un altro account di Reti: esci e accedi "
                    "con SPID o CIE per usarlo."
                )
            )
    elif signed_in is not None:
        user = signed_in
    else:
        user = _new_account(fiscal, identity)
        created = True
    if not user.is_active:
        raise IdentityRefused(_("L’account collegato a questa identità è disattivato."))
    link = next((link for link in links if link.kind == identity.provider), None)
    now = timezone.now()
    if link is None:
        link = LinkedIdentity(
            user=user, kind=identity.provider, fiscal_number=fiscal, idp=identity.idp
        )
        link.last_used_at = now
        try:
            with transaction.atomic():
                audit.save(link, user, LINKED)
        except IntegrityError:
            raise IdentityRefused(
                _("Questa identità è appena stata collegata: riprova l’accesso.")
            ) from None
    else:
        LinkedIdentity.objects.filter(pk=link.pk).update(last_used_at=now, idp=identity.idp)
    return user, created


def _new_account(fiscal: str, identity):
    User = get_user_model()
    username = fiscal.lower()
    if User.objects.filter(username__iexact=username).exists():
        raise IdentityRefused(
            _(
                "Esiste già un account con questo nome utente: accedi con la password e collega "
                "l’identità dall’area personale."
            )
        )
    user = User(
        username=username,
        first_name=identity.name[:150],
        last_name=identity.family_name[:150],
        email=identity.email[:254],
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def remove_identity(user, pk: int) -> None:
    """Unlink one of `user`'s identities; never the last way into an account with no password."""
    link = LinkedIdentity.objects.select_for_update().filter(pk=pk).first()
    if link is None or not permissions.can_remove_identity(user, link):
        raise PermissionDenied
    others = LinkedIdentity.objects.filter(user=user).exclude(pk=link.pk).exists()
    if not others and not user.has_usable_password():
        raise ValidationError(
            _(
                "È il solo modo di accedere al tuo account: prima imposta una password "
                "(recupero password) e poi scollega l’identità."
            )
        )
    audit.delete(link, user, REMOVED)
