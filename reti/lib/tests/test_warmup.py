"""A web process warms itself before its first request (reti/warmup.py)."""

from django.template import engines
from django.urls import get_resolver
from django.utils import translation

from reti import warmup


def test_every_template_of_reti_is_compiled_at_start():
    names = warmup.project_templates()
    assert "portal/base.html" in names and len(names) > 50
    done = warmup.warm()
    assert done["templates"] == len(names) and done["languages"] == 2
    loader = engines["django"].engine.template_loaders[0]
    if hasattr(loader, "get_template_cache"):  # the cached loader (DEBUG off)
        assert {"portal/base.html", "portal/home.html"} <= set(loader.get_template_cache)


def test_the_url_maps_of_both_languages_are_built_at_start():
    warmup.warm()
    resolver = get_resolver()
    for code in ("it", "en"):
        with translation.override(code):
            assert code in resolver._reverse_dict
            for _prefix, namespace in resolver.namespace_dict.values():
                assert code in namespace._reverse_dict


def test_the_served_process_freezes_what_it_started_with():
    """Full collections must not walk the started process's objects on every request."""
    import os
    import subprocess
    import sys

    script = "import gc, reti.wsgi\nprint(gc.get_freeze_count(), len(gc.get_objects()))\n"
    env = os.environ | {"RETI_LOCAL": "1"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    frozen, walked = int(out[0]), int(out[1])
    assert frozen > 100_000
    assert walked < frozen / 20  # what a full collection still walks
