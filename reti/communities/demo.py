"""Synthetic communities of practice, called by `reti demo` after the registry's data exist.

Communities are marked synthetic and named "(demo)"; their members are synthetic accounts
(`demo-cdp-N`, unusable password, addresses at example.org) and their threads and replies are
generated text. A run first deletes the previous synthetic communities and those accounts, so
running twice leaves the same counts; real communities and users are never touched.
"""

import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from reti.registry.models import Network, Theme

from .markup import render_markdown
from .models import Community, Member, Post, Thread

USER_PREFIX = "demo-cdp-"
SCALES = {
    "small": {"communities": 12, "users": 60, "threads": 8, "batch": 2_000},
    "national": {"communities": 500, "users": 5_000, "threads": 20, "batch": 10_000},
}
SUBJECTS = [
    "Tirocini per persone in esecuzione penale",
    "Come rendicontare i piccoli sussidi",
    "Accoglienza delle vittime di tratta: esperienze",
    "Griglie di valutazione RSI",
    "Cooperative di tipo B e appalti riservati",
    "Indicatori comuni FSE+: dubbi",
]
REPLIES = [
    "Da noi ha funzionato un **accordo quadro** con le cooperative del territorio.",
    "Condivido la scheda che usiamo:\n\n- obiettivi\n- risorse\n- risultati attesi",
    "Suggerisco di sentire il segretariato della rete prima di procedere.",
    "Abbiamo raccolto i dati in un foglio comune; chi vuole lo può chiedere in risposta.",
]


def _delete_previous() -> int:
    """Delete synthetic communities, their rows and the demo accounts, one statement a table."""
    quote = connection.ops.quote_name
    communities = f"SELECT id FROM {quote(Community._meta.db_table)} WHERE synthetic = %s"
    threads = f"SELECT id FROM {quote(Thread._meta.db_table)} WHERE community_id IN ({communities})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(Post._meta.db_table)} WHERE thread_id IN ({threads})", [True]
        )
        for model in (Thread, Member):
            cursor.execute(
                f"DELETE FROM {quote(model._meta.db_table)} WHERE community_id IN ({communities})",
                [True],
            )
        cursor.execute(
            f"DELETE FROM {quote(Community._meta.db_table)} WHERE synthetic = %s", [True]
        )
        removed = cursor.rowcount
    get_user_model().objects.filter(username__startswith=USER_PREFIX).delete()
    return removed


def generate(scale: str, *, seed: int = 1, report=lambda line: None) -> dict[str, int]:
    """Replace the synthetic communities for `scale`; returns the counts written."""
    settings = SCALES[scale]
    started = time.monotonic()
    rng = random.Random(f"communities-{seed}")
    now = timezone.now()
    with transaction.atomic():
        report(f"Comunità sintetiche precedenti rimosse: {_delete_previous():,}")
        password = make_password(None)  # unusable: demo accounts never sign in
        users = get_user_model().objects.bulk_create(
            [
                get_user_model()(
                    username=f"{USER_PREFIX}{n}",
                    password=password,
                    email=f"{USER_PREFIX}{n}@example.org",
                    first_name="Membro",
                    last_name=f"sintetico {n}",
                )
                for n in range(1, settings["users"] + 1)
            ],
            batch_size=settings["batch"],
        )
        networks = list(Network.objects.filter(synthetic=True).order_by("id")[:1_000])
        themes = list(Theme.objects.order_by("code"))
        communities = Community.objects.bulk_create(
            [
                Community(
                    slug=f"cdp-demo-{n}",
                    name_it=f"Comunità di pratica {n} (demo)",
                    name_en=f"Community of practice {n} (demo)",
                    description_it="Comunità sintetica di dimostrazione.",
                    description_en="Synthetic demo community.",
                    network=rng.choice(networks) if networks and n % 2 else None,
                    theme=rng.choice(themes) if themes and not n % 2 else None,
                    is_public=n % 3 != 0,
                    synthetic=True,
                )
                for n in range(1, settings["communities"] + 1)
            ]
        )
        members = []
        for community in communities:
            chosen = rng.sample(users, k=min(len(users), rng.randint(5, 25)))
            members += [
                Member(
                    community=community,
                    user=user,
                    role="moderator" if i == 0 else "member",
                    notify=False,
                )
                for i, user in enumerate(chosen)
            ]
        Member.objects.bulk_create(members, batch_size=settings["batch"])
        by_community = {}
        for member in members:
            by_community.setdefault(member.community_id, []).append(member.user)
        threads = []
        for community in communities:
            for _ in range(settings["threads"]):
                author = rng.choice(by_community[community.pk])
                threads.append(
                    Thread(
                        community=community,
                        author=author,
                        title=rng.choice(SUBJECTS) + " (demo)",
                        last_post_at=now,
                        locked=rng.random() < 0.05,
                    )
                )
        Thread.objects.bulk_create(threads, batch_size=settings["batch"])
        rendered = {text: render_markdown(text) for text in REPLIES}
        posts = []
        for thread in threads:
            for _ in range(rng.randint(1, 6)):
                text = rng.choice(REPLIES)
                posts.append(
                    Post(
                        thread=thread,
                        author=rng.choice(by_community[thread.community_id]),
                        body=text,
                        body_html=rendered[text],
                    )
                )
        Post.objects.bulk_create(posts, batch_size=settings["batch"])
    report(f"Comunità sintetiche generate in {time.monotonic() - started:.1f} s.")
    return {
        "comunità di pratica": len(communities),
        "discussioni": len(threads),
        "messaggi": len(posts),
    }
