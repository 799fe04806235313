"""Who may do what in communities of practice: the one place these rules live.

- staff create communities anywhere; a network's secretariat creates the communities of its
  network (whoever creates one becomes its first moderator);
- a public community is read by everyone; a private one by its members (and staff);
- members write threads and replies, except in locked threads;
- moderators (members with that role), the secretariat of the community's network and staff
  hide posts, lock threads and manage members;
- any signed-in user joins a public community; a private one is joined when a moderator
  adds you.
"""

from reti.registry import permissions as registry

from .models import Community, Member, Thread


def _member(user, community: Community) -> Member | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    cache = user.__dict__.setdefault("_reti_community_members", {})
    if community.pk not in cache:
        cache[community.pk] = Member.objects.filter(community=community, user=user).first()
    return cache[community.pk]


def is_member(user, community: Community) -> bool:
    return _member(user, community) is not None


def can_moderate(user, community: Community) -> bool:
    if registry.is_registry_staff(user):
        return True
    member = _member(user, community)
    if member is not None and member.role == Member.Role.MODERATOR:
        return True
    return bool(community.network_id) and community.network_id in registry.secretariat_network_ids(
        user
    )


def can_create_community(user, network_id: int | None) -> bool:
    """Staff, or the secretariat of the network the new community belongs to."""
    if registry.is_registry_staff(user):
        return True
    return network_id is not None and network_id in registry.secretariat_network_ids(user)


def can_view(user, community: Community) -> bool:
    return community.is_public or is_member(user, community) or can_moderate(user, community)


def can_join(user, community: Community) -> bool:
    return bool(user and user.is_authenticated and user.is_active and community.is_public)


def can_post(user, community: Community) -> bool:
    return is_member(user, community)


def can_reply(user, thread: Thread) -> bool:
    return not thread.locked and can_post(user, thread.community)


def visible_communities_filter(user):
    """Keyword arguments of a Q for the communities `user` may see (None: all)."""
    if registry.is_registry_staff(user):
        return None
    if not (user and user.is_authenticated):
        return {"is_public": True}
    return {"member_of": user.pk, "networks": registry.secretariat_network_ids(user)}
