"""What makes analysis fast must not change it: the memoising attribute ruler and lemmatizer give the stock
components' output token for token, and the default process pool gives the results of one process."""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

import spacy

from trucewatch import pipeline
from trucewatch.analyze import analyze_many, load_nlp, plan_processes, usable_cpus
from trucewatch.analyze.components import MemoAttributeRuler, MemoLemmatizer
from trucewatch.records import to_dict
from trucewatch.settings import Settings
from trucewatch.store import open_store

from analyze_helpers import article

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
from golden import golden_cases  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-corpus"
MODEL = Settings().spacy_model


def _tokens(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_, t.is_sent_start)
            for t in doc]


def test_the_memoising_components_replace_the_stock_ones_under_their_names():
    nlp = load_nlp(MODEL)
    assert isinstance(nlp.get_pipe("attribute_ruler"), MemoAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), MemoLemmatizer)
    assert nlp.get_pipe("attribute_ruler").fast and nlp.get_pipe("lemmatizer").fast
    assert load_nlp(MODEL).pipe_names == nlp.pipe_names  # idempotent: wrapping twice changes nothing
    stock = spacy.load(MODEL)
    assert [n for n in nlp.pipe_names if not n.startswith("trucewatch_")] == stock.pipe_names


def test_memoised_tags_lemmas_and_parses_equal_the_stock_model_token_for_token():
    texts = [art.text for _, art, _ in golden_cases()]
    # Odd cases for the ruler's two-token patterns and space tokens: "gonna", "ain't", "let's", runs of spaces.
    texts.append("We ain't gonna stop, let's go.  Gotta   see it.\n\n\"I'd say no,\" she said; they're   done.")
    fast = load_nlp(MODEL)
    stock = spacy.load(MODEL)
    stock.add_pipe("trucewatch_line_breaks", before="parser")
    for _ in range(2):  # the second round reads every result from the memo
        got = [_tokens(d) for d in fast.pipe(texts, batch_size=8)]
        want = [_tokens(d) for d in stock.pipe(texts, batch_size=8)]
        assert len(got) == len(want) > 10
        for g, w, text in zip(got, want, texts):
            assert g == w, text[:80]


def test_processes_default_to_the_usable_cpus_and_one_batch_stays_in_this_process():
    settings = Settings.from_env(env={})
    assert settings.processes == 0
    if hasattr(os, "sched_getaffinity"):
        assert usable_cpus() == len(os.sched_getaffinity(0))
    assert plan_processes(settings) == usable_cpus()
    assert plan_processes(settings, total=10_000) == usable_cpus()
    assert plan_processes(settings, total=settings.batch_size) == 1  # one batch: starting a pool costs more
    assert plan_processes(settings, 3, total=10_000) == 3
    assert plan_processes(settings.replace(processes=1), total=10_000) == 1


def _children_while_running(arts, settings, **kw) -> tuple[int, list]:
    """How many worker processes this process had started while the first result came back, and the results."""
    before = len(multiprocessing.active_children())
    results = analyze_many(arts, settings, **kw)
    first = next(results)
    alive = len(multiprocessing.active_children()) - before
    return alive, [first, *results]


def test_a_small_run_is_analyzed_in_process_and_a_larger_one_by_worker_processes():
    arts = [article(f"Police said {i + 2} people were hurt in a blast in Mombasa on Monday.", article_id=f"s{i}")
            for i in range(4)]
    small = Settings.from_env(env={}, batch_size=4)
    alive, in_process = _children_while_running(arts, small, processes=2)
    assert alive == 0
    alive, pooled = _children_while_running(arts, small.replace(batch_size=1), processes=2)
    assert alive >= 1
    assert pooled == in_process and len(pooled) == 4


def test_analyze_with_default_processes_stores_the_same_analyses_as_one_process(tmp_path):
    def run(name: str, **kw) -> list[dict]:
        settings = Settings.from_env(env={}, db=str(tmp_path / f"{name}.db"), batch_size=3, **kw)
        with open_store(settings) as store:
            pipeline.ingest([str(SAMPLE)], settings, store)
            report = pipeline.analyze(settings, store)
            assert report.analyzed == store.count("article") > 3 * 3  # more than one batch per worker
            return [to_dict(a) for a in store.iter_analyses()]

    assert plan_processes(Settings.from_env(env={}, batch_size=3), total=14) == usable_cpus()  # 2 on the test machine
    assert run("default") == run("single", processes=1)
