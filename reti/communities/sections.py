"""What communities add to other apps' pages (declared in apps.py, see reti.lib.extensions)."""

from .models import Member


def account_communities(request, user) -> dict:
    """The communities the user belongs to, with their role."""
    members = Member.objects.filter(user=user).select_related("community")
    return {"members": list(members.order_by("community__name_it"))}
