"""The one cache: an answer is kept until a scope it reads is bumped, and a bump waits for the
commit. Run on local memory and, when it answers, on Redis (production's backend)."""

import socket
import uuid

import pytest
from django.db import transaction
from django.template import Context, Template
from django.test import override_settings
from django.utils.safestring import SafeString, mark_safe

from reti.lib import cache

REDIS = ("127.0.0.1", 6379)


def _redis_answers() -> bool:
    try:
        socket.create_connection(REDIS, timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["locmem", "redis"])
def backend(request, db):
    """The cache the helper talks to; Redis under a key prefix of this test's own."""
    if request.param == "locmem":
        yield
        return
    if not _redis_answers():
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"reti-test-{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{REDIS[0]}:{REDIS[1]}/0",
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        yield
        import redis

        client = redis.Redis(*REDIS)
        for name in client.scan_iter(f"{prefix}:*"):
            client.delete(name)


class Counter:
    """A computation that says how often it ran."""

    def __init__(self, value="answer"):
        self.value = value
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.value


def test_an_answer_is_computed_once_and_then_read(backend):
    compute = Counter()
    assert cache.cached("networks", ("record", 1), compute) == "answer"
    assert cache.cached("networks", ("record", 1), compute) == "answer"
    assert compute.calls == 1


def test_an_empty_answer_is_kept_like_any_other(backend):
    for value in (None, 0, [], ""):
        compute = Counter(value)
        cache.cached("networks", ("empty", repr(value)), compute)
        assert cache.cached("networks", ("empty", repr(value)), compute) == value
        assert compute.calls == 1


def test_a_template_s_html_comes_back_safe_so_no_view_marks_it(backend):
    # The organisation and network pages keep their rendered record in the cache and put it
    # in the page as it comes back: escaped twice, it would show its tags as text.
    compute = Counter({"record": mark_safe("<b>record</b>")})
    cache.cached("networks", ("html", 1), compute)
    kept = cache.cached("networks", ("html", 1), compute)["record"]
    assert compute.calls == 1
    assert isinstance(kept, SafeString)
    assert Template("{{ record }}").render(Context({"record": kept})) == "<b>record</b>"


def test_parts_keep_answers_apart(backend):
    italian, english = Counter("Reti"), Counter("Networks")
    assert cache.cached("networks", ("title", "it"), italian) == "Reti"
    assert cache.cached("networks", ("title", "en"), english) == "Networks"


def test_a_bump_outside_a_transaction_takes_effect_at_once(backend):
    compute = Counter()
    cache.cached("networks", ("record", 1), compute)
    cache.bump("networks")
    cache.cached("networks", ("record", 1), compute)
    assert compute.calls == 2


def test_a_bump_leaves_other_scopes_alone_and_reaches_every_entry_reading_it(backend):
    networks, both, events = Counter(), Counter(), Counter()
    for _ in range(2):
        cache.bump("territories")
        cache.cached("networks", ("a",), networks)
        cache.cached(("networks", "territories"), ("b",), both)
        cache.cached("events", ("c",), events)
    assert (networks.calls, both.calls, events.calls) == (1, 2, 1)


def test_bump_everything_reaches_every_scope(backend):
    networks, events = Counter(), Counter()
    cache.cached("networks", ("a",), networks)
    cache.cached("events", ("b",), events)
    cache.bump_everything()
    cache.cached("networks", ("a",), networks)
    cache.cached("events", ("b",), events)
    assert (networks.calls, events.calls) == (2, 2)


def test_a_change_is_seen_by_others_once_committed_and_not_stored_before(
    backend, django_capture_on_commit_callbacks
):
    """Another process reads the old answer until the commit; the changing transaction
    computes afresh and stores nothing a rollback could leave behind."""
    compute = Counter("before")
    cache.cached("networks", ("record", 1), compute)
    with django_capture_on_commit_callbacks(execute=True) as hooks, transaction.atomic():
        cache.bump("networks")
        cache.bump("networks")
        other_process_key = cache.key("networks", ("record", 1))
        compute.value = "during"
        assert cache.cached("networks", ("record", 1), compute) == "during"
        assert cache.cached("networks", ("record", 1), compute) == "during"
        # Entries of the scopes it did not change are stored as usual.
        untouched = Counter()
        cache.cached("events", ("c",), untouched)
        cache.cached("events", ("c",), untouched)
        assert untouched.calls == 1
    assert len(hooks) == 1, "one bump per scope and transaction"
    assert cache.key("networks", ("record", 1)) != other_process_key
    compute.value = "after"
    assert cache.cached("networks", ("record", 1), compute) == "after"
    assert cache.cached("networks", ("record", 1), compute) == "after"
    assert compute.calls == 4


def test_a_rolled_back_change_bumps_nothing(backend, django_capture_on_commit_callbacks):
    compute = Counter("kept")
    cache.cached("networks", ("record", 1), compute)
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as hooks, pytest.raises(RuntimeError), transaction.atomic():
        cache.bump("networks")
        compute.value = "rolled back"
        cache.cached("networks", ("record", 1), compute)
        raise RuntimeError
    assert hooks == []
    assert cache.cached("networks", ("record", 1), compute) == "kept"


def test_a_savepoint_rolled_back_takes_its_bump_with_it(
    backend, django_capture_on_commit_callbacks
):
    compute = Counter()
    with django_capture_on_commit_callbacks(execute=True) as hooks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            cache.bump("networks")
            raise RuntimeError
        # Nothing of the scope changed in this transaction any more: stored as usual.
        cache.cached("networks", ("record", 1), compute)
        cache.cached("networks", ("record", 1), compute)
        assert compute.calls == 1
        cache.bump("networks")
        cache.bump("networks")
    assert len(hooks) == 1


def test_an_evicted_version_loses_its_entries_never_serves_them_stale(backend):
    from django.core.cache import cache as django_cache

    compute = Counter()
    cache.cached("networks", ("record", 1), compute)
    django_cache.delete("reti:version:networks")
    cache.cached("networks", ("record", 1), compute)
    assert compute.calls == 2


def test_a_ttl_ends_an_answer_that_depends_on_the_clock(backend):
    compute = Counter()
    cache.cached("events", ("feed",), compute, ttl=0)
    cache.cached("events", ("feed",), compute, ttl=0)
    assert compute.calls == 2


def test_long_parts_make_a_short_key(backend):
    long = "x" * 1000
    assert len(cache.key("knowledge", ("similar", long))) <= cache.MAX_KEY + 80
    compute = Counter()
    cache.cached("knowledge", ("similar", long), compute)
    cache.cached("knowledge", ("similar", long), compute)
    assert compute.calls == 1
    assert cache.cached("knowledge", ("similar", long + "y"), Counter("other")) == "other"


def test_hits_count_each_use_within_the_window_apart_by_parts(backend):
    mine, other = ("sign-up", uuid.uuid4().hex), ("sign-up", uuid.uuid4().hex)
    assert [cache.hits(mine, 60) for _ in range(3)] == [1, 2, 3]
    assert cache.hits(other, 60) == 1
    # A bump of every scope does not reset a count: limits are not cached answers.
    cache.bump_everything()
    assert cache.hits(mine, 60) == 4
