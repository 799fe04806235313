"""`reti demo` for the knowledge module: synthetic practices, replaced on every run."""

import pytest
from django.core.management import call_command

from reti.knowledge import demo, search
from reti.knowledge.models import Attachment, GoodPractice, Transfer
from reti.registry import search as engine
from reti.registry.demo import SCALES, indexing
from reti.registry.demo import generate as registry_generate

pytestmark = pytest.mark.django_db


def test_small_demo_is_synthetic_searchable_and_replaced_on_rerun(presentation):
    registry_generate(SCALES["small"], seed=3)
    counts = demo.generate("small", seed=3)
    assert counts["buone pratiche"] == demo.PRACTICES["small"] == GoodPractice.objects.count()
    assert not GoodPractice.objects.filter(synthetic=False).exists()
    assert Attachment.objects.filter(synthetic=True, extraction_status="done").count() == 300
    assert Transfer.objects.filter(synthetic=True).exists()
    published = GoodPractice.objects.filter(state="published").count()
    assert 0 < len(search.matching_ids("relazione valutazione")) <= published
    for practice in GoodPractice.objects.all()[:50]:
        practice.full_clean()  # the bulk rows respect the model's rules

    # Rerunning through `reti demo` replaces the synthetic practices, registry data included.
    call_command("demo", scale="small", seed=3, verbosity=0)
    assert GoodPractice.objects.count() == demo.PRACTICES["small"]
    found = search.matching_ids("relazione valutazione")
    published = set(GoodPractice.objects.filter(state="published").values_list("pk", flat=True))
    assert found and set(found) <= published  # the new practices, none of the deleted ones


def test_demo_generator_leaves_the_index_to_a_rebuild_that_follows(presentation):
    registry_generate(SCALES["small"], seed=4)
    with indexing.rebuilt_afterwards():
        demo.generate("small", seed=4)
    assert search.matching_ids("relazione valutazione") == []
    engine.rebuild_index()
    assert search.matching_ids("relazione valutazione")


def test_a_demo_practices_english_text_translates_its_italian_one():
    import random
    import re

    from reti.knowledge.demo import texts

    rng = random.Random(7)
    for _ in range(200):
        italian, english = texts.paragraphs(rng, 4)
        assert re.findall(r"\d+", italian) == re.findall(r"\d+", english)
        it_sentences = [s for s in italian.split(". ") if s]
        en_sentences = [s for s in english.split(". ") if s]
        assert len(it_sentences) == len(en_sentences) == 4
        for it, en in zip(it_sentences, en_sentences, strict=True):
            k = [texts.SENTENCES_IT.index(t) for t in texts.SENTENCES_IT if _same(t, it)]
            assert k and _same(texts.SENTENCES_EN[k[0]], en)


def _same(template: str, sentence: str) -> bool:
    import re

    pattern = re.escape(template.rstrip(".")).replace(re.escape("{n}"), r"\d+")
    return re.fullmatch(pattern + r"\.?", sentence) is not None
