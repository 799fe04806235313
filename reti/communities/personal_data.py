"""What communities hold about a person, and what erasing it does (reti.accounts.rights).

Erasing removes their memberships and the text of their messages (in the audit trail too):
a message stays in its thread as "removed at the author's request", so the replies of others
keep their place. The titles of discussions they opened stay, under the pseudonym: others
wrote in them.
"""

from django.utils.html import escape
from django.utils.translation import gettext_noop

from reti.accounts.rights import Outcome, iso
from reti.lib import audit

from .models import Member, Post, Thread

REMOVED = "Messaggio rimosso su richiesta dell’autore."


def collect(user) -> dict[str, list[dict]]:
    return {
        "communities.memberships": [
            {
                "community": str(m.community),
                "role": m.role,
                "notify": m.notify,
                "joined_at": iso(m.joined_at),
            }
            for m in Member.objects.filter(user=user).select_related("community")
        ],
        "communities.threads": [
            {"community": str(t.community), "title": t.title, "created_at": iso(t.created_at)}
            for t in Thread.objects.filter(author=user).select_related("community")
        ],
        "communities.posts": [
            {
                "thread": p.thread.title,
                "body": p.body,
                "hidden": p.hidden,
                "created_at": iso(p.created_at),
            }
            for p in Post.objects.filter(author=user).select_related("thread")
        ],
    }


def erase(user) -> list[Outcome]:
    members = 0
    for member in Member.objects.filter(user=user):
        audit.delete(member, None, gettext_noop("cancellazione dei dati personali"))
        members += 1
    Post.history.filter(author_id=user.pk).update(body=REMOVED)
    posts = Post.objects.filter(author=user).update(
        body=REMOVED, body_html=f"<p>{escape(REMOVED)}</p>"
    )
    threads = Thread.objects.filter(author=user).count()
    return [
        Outcome(gettext_noop("Partecipazione alle comunità"), members),
        Outcome(gettext_noop("Testo dei messaggi"), posts),
        Outcome(
            gettext_noop("Titoli delle discussioni aperte"),
            threads,
            kept=True,
            reason=gettext_noop(
                "Altre persone hanno scritto in queste discussioni: il titolo resta, sotto lo"
                " pseudonimo."
            ),
        ),
    ]
