from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.lib.models import translated


class Community(models.Model):
    """A community of practice (comunità di pratica) of a network or on a theme."""

    slug = models.SlugField(_("identificativo"), max_length=80, unique=True)
    name_it = models.CharField(_("nome (italiano)"), max_length=200)
    name_en = models.CharField(_("nome (inglese)"), max_length=200, blank=True)
    description_it = models.TextField(_("descrizione (italiano)"), blank=True)
    description_en = models.TextField(_("descrizione (inglese)"), blank=True)
    network = models.ForeignKey(
        "registry.Network",
        verbose_name=_("rete"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communities",
    )
    theme = models.ForeignKey(
        "registry.Theme",
        verbose_name=_("tema"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communities",
    )
    is_public = models.BooleanField(
        _("pubblica"),
        default=False,
        help_text=_("Una comunità pubblica si legge senza esserne membri; si scrive da membri."),
    )
    synthetic = models.BooleanField(_("dato sintetico"), default=False, db_index=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_it", "id"]
        verbose_name = _("comunità di pratica")
        verbose_name_plural = _("comunità di pratica")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:detail", args=[self.slug])

    @property
    def name(self):
        return translated(self, "name")

    @property
    def description(self):
        return translated(self, "description")


class Member(models.Model):
    """A user's membership of a community; moderators hide posts and lock threads."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Membro")
        MODERATOR = "moderator", _("Moderazione")

    community = models.ForeignKey(
        Community, verbose_name=_("comunità"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="community_memberships",
    )
    role = models.CharField(_("ruolo"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    notify = models.BooleanField(_("avvisi via e-mail dei nuovi messaggi"), default=True)
    joined_at = models.DateTimeField(_("entrato il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["community_id", "user_id"]
        verbose_name = _("membro")
        verbose_name_plural = _("membri")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="community_member_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.community}"


class Thread(models.Model):
    """A discussion in a community: its first post opens it, replies follow."""

    community = models.ForeignKey(
        Community, verbose_name=_("comunità"), on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(_("titolo"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked = models.BooleanField(_("chiusa"), default=False)
    created_at = models.DateTimeField(_("aperta il"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("ultimo messaggio"), db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-last_post_at", "-id"]
        verbose_name = _("discussione")
        verbose_name_plural = _("discussioni")
        indexes = [models.Index(fields=["community", "-last_post_at"], name="thread_recent_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("communities:thread", args=[self.pk])


class Post(models.Model):
    """A message: Markdown as written, and its HTML rendered once and sanitised (nh3)."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("discussione"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("testo (Markdown)"), max_length=20_000)
    body_html = models.TextField(_("testo (HTML ripulito)"), editable=False)
    hidden = models.BooleanField(_("nascosto dalla moderazione"), default=False)
    hidden_reason = models.CharField(_("motivo"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("scritto il"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        ordering = ["thread_id", "created_at", "id"]
        verbose_name = _("messaggio")
        verbose_name_plural = _("messaggi")

    def __str__(self):
        return self.body[:60]
