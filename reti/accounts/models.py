import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.busy import write_unless_busy


class Membership(models.Model):
    """A user's place in an organisation, with the role that sets what they may change."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("Lettura")
        EDITOR = "editor", _("Redazione")
        ADMIN = "admin", _("Amministrazione")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organizzazione"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("ruolo"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appartenenza")
        verbose_name_plural = _("appartenenze")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"

    @property
    def can_edit(self) -> bool:
        return self.role in (self.Role.EDITOR, self.Role.ADMIN)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user, name: str) -> tuple["ApiToken", str]:
        """Create a token for `user`; returns it and the clear key, shown only once."""
        key = "reti_" + secrets.token_urlsafe(32)
        token = self.create(user=user, name=name, digest=_digest(key), prefix=key[:12])
        return token, key

    def authenticate(self, key: str):
        """The active user owning this key, or None."""
        token = (
            self.select_related("user").filter(digest=_digest(key), revoked_at__isnull=True).first()
        )
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
            # After the request's transaction, never waiting for a busy database (an import
            # holding SQLite's write lock): a missed minute is better than a failed read.
            transaction.on_commit(lambda: _record_use(token.pk, now))
        return token.user


# Token use is recorded to the minute: at most one write per token and minute.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def _record_use(token_pk: int, when) -> None:
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=when - TOKEN_USE_RESOLUTION)
    write_unless_busy(lambda: ApiToken.objects.filter(stale, pk=token_pk).update(last_used_at=when))


class ApiToken(models.Model):
    """A personal API key for writes; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("nome"), max_length=100)
    prefix = models.CharField(_("prefisso"), max_length=12, editable=False)
    digest = models.CharField(_("impronta SHA-256"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ultimo uso"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revocato il"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class SignUp(models.Model):
    """A self-registration (registrazione autonoma): an account its owner made on the portal.

    The account stays inactive until its owner opens the link mailed to the address they gave
    (`confirmed_at`); the record keeps when they accepted the privacy notice and the language
    they wrote in, which Reti's later e-mails to them use. Accounts made by staff have none.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="sign_up",
    )
    language = models.CharField(_("lingua"), max_length=8, choices=settings.LANGUAGES)
    privacy_accepted_at = models.DateTimeField(_("informativa accettata il"))
    created_at = models.DateTimeField(_("registrato il"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("indirizzo confermato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("registrazione autonoma")
        verbose_name_plural = _("registrazioni autonome")

    def __str__(self):
        return str(self.user)


class JoinRequest(models.Model):
    """A signed-in user's request to join an organisation with a role (richiesta di adesione).

    Pending until an admin of the organisation, the secretariat of a network it belongs to, or
    staff approve it (which creates the membership) or refuse it with a reason.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("In attesa")
        APPROVED = "approved", _("Approvata")
        REFUSED = "refused", _("Rifiutata")

    # What one may ask for: administration is given by those who already administer.
    ROLES = [
        (Membership.Role.VIEWER.value, Membership.Role.VIEWER.label),
        (Membership.Role.EDITOR.value, Membership.Role.EDITOR.label),
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("richiedente"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organizzazione"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    role = models.CharField(_("ruolo richiesto"), max_length=10, choices=ROLES)
    message = models.TextField(_("messaggio"), max_length=2000)
    language = models.CharField(_("lingua"), max_length=8, choices=settings.LANGUAGES)
    state = models.CharField(
        _("stato"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("chiesta il"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decisa da"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("motivo del rifiuto"), max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("richiesta di adesione")
        verbose_name_plural = _("richieste di adesione")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(state="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class SignInEvent(models.Model):
    """A successful sign-in (accesso): when, how, and from which network, for its owner's
    export and for the security of the account. The address is truncated (IPv4 to /24, IPv6
    to /48, `reti.accounts.signins.truncate`): enough to tell an office from abroad, not
    enough to point at one machine."""

    class Method(models.TextChoices):
        PASSWORD = "password", _("Password")
        SPID = "spid", _("SPID")
        OTHER = "other", _("Altro")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="sign_ins",
    )
    at = models.DateTimeField(_("data e ora"), auto_now_add=True, db_index=True)
    method = models.CharField(_("modalità"), max_length=10, choices=Method.choices)
    network = models.CharField(_("rete di provenienza"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("accesso")
        verbose_name_plural = _("accessi")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user} — {self.at:%Y-%m-%d %H:%M} ({self.get_method_display()})"


class Consent(models.Model):
    """A person's consent (consenso) to one purpose, given to one version of its text.

    `text_version` is the first 16 hex digits of the SHA-256 of the Italian text shown
    (`reti.accounts.consents`): when the text changes, earlier consents stay tied to the text
    their owner read. A withdrawal (`withdrawn_at`) ends the consent; the row stays as the
    proof of what was agreed and when. One current consent per person and purpose.
    """

    class Purpose(models.TextChoices):
        DIRECTORY = "directory", _("Rubrica dei contatti")
        PUBLIC_LISTING = "public_listing", _("Elenco pubblico")
        NEWSLETTER = "newsletter", _("Newsletter")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    purpose = models.CharField(_("finalità"), max_length=20, choices=Purpose.choices)
    text_version = models.CharField(_("versione del testo"), max_length=16)
    given_at = models.DateTimeField(_("dato il"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("revocato il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consenso")
        verbose_name_plural = _("consensi")
        ordering = ["-given_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_current",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_purpose_display()}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class Erasure(models.Model):
    """A person's request to erase their data (diritto alla cancellazione), carried out at once.

    Kept after the account is anonymised, under its pseudonym: when it was asked, and what was
    removed and what kept with the reason (`report`, as shown and mailed to the person).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.PROTECT,
        related_name="erasure",
    )
    pseudonym = models.CharField(_("pseudonimo"), max_length=40, unique=True)
    requested_at = models.DateTimeField(_("chiesta il"), auto_now_add=True)
    report = models.JSONField(_("resoconto"), default=dict)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cancellazione dei dati")
        verbose_name_plural = _("cancellazioni dei dati")

    def __str__(self):
        return self.pseudonym
