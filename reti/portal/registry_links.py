"""Links between the portal's pages that other pages may not provide yet."""

from django.urls import NoReverseMatch, reverse

from .history import history_url


def organisation_url(organisation) -> str:
    """The organisation's public page, or its history page while the portal has none."""
    try:
        return reverse("portal:organisation_detail", args=[organisation.pk])
    except NoReverseMatch:
        return history_url(organisation) or ""
