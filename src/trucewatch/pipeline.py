"""The Python API: the one module that knows the order of the stages.

::

    ingest(sources)  -> IngestReport      files, URLs, feeds, stdin  -> stored articles
    analyze()        -> AnalyzeReport     stored articles            -> stored analyses
    fuse()           -> Fusion            stored analyses            -> stored fused records
    run(sources)                          all of the above in order
    watch_round(sources)  -> RoundReport  poll sources, ingest what is new, analyze, fuse,
                                          record changes and alerts, deliver them (docs/monitoring.md)

Each function takes the :class:`~trucewatch.settings.Settings` and an open
:class:`~trucewatch.store.Store`; the CLI and the web app call these and
nothing deeper.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import IngestError
from .ingest import IngestReport, extract, internal_skip, is_url, iter_raw, make_client, needs_reference, plan_sources
from .ingest.dates import today_utc
from .records import Article, Skip
from .settings import Settings
from .store import Store

__all__ = ["IngestReport", "agree", "analyze", "fuse", "ingest", "ingest_inputs", "situation_report", "watch_round"]


def ingest(
    sources: Sequence[str],
    settings: Settings,
    store: Store,
    *,
    outlet: str | None = None,
    client=None,
    progress: Callable[[int, int, str], None] | None = None,
) -> IngestReport:
    """Read, clean and store every article in ``sources`` (paths, directories, globs, URLs, feeds, ``-``).

    Duplicates (same raw bytes or same clean text) are counted, not stored twice;
    each input that cannot be used becomes a :class:`~trucewatch.records.Skip` in
    the report and the rest of the batch goes on. ``client`` is an
    ``httpx.Client`` for URLs (one is made from the settings when needed);
    ``progress(done, total, source)`` is called after each file or URL.
    Any unexpected exception while reading, extracting or storing one input becomes a Skip
    labelled as an internal error, and the batch goes on.
    Raises :class:`~trucewatch.errors.IngestError` when ``sources`` is empty or holds an empty string.
    """
    if not sources:
        raise IngestError("No input given; name files, directories, URLs or - for stdin.")
    if any(not s.strip() for s in sources):
        # An unset shell variable ("$DIR") would otherwise mean the current directory, read recursively.
        raise IngestError("An input is an empty string (an unset shell variable?); name files, directories, URLs or -.")
    units = plan_sources(sources)
    own_client = None
    if client is None and any(isinstance(u, str) and is_url(u) for u in units):
        client = own_client = make_client(settings)
    elif client is None and any(isinstance(u, str) and not is_url(u) and u.lower().endswith((".rss", ".atom", ".xml")) for u in units):
        client = own_client = make_client(settings)
    report = IngestReport()
    today = today_utc()
    batch = _Batch()
    total = len(units)
    if progress is not None:
        progress(0, total, "")
    try:
        for done, unit in enumerate(units, start=1):
            if isinstance(unit, Skip):
                _skipped(store, report, unit)
            else:
                if client is None and unit == "-":
                    client = own_client = make_client(settings)  # stdin may hold a feed
                for raw in _guarded(iter_raw(unit, settings, client, outlet), unit):
                    if progress is not None and not isinstance(raw, Skip):
                        progress(done - 1, total, raw.source)  # a file of many records moves the bar's text
                    _ingest_guarded(raw, settings, store, report, today, batch)
            if progress is not None:
                progress(done, total, unit.source if isinstance(unit, Skip) else unit)
        # Articles whose publication year rested on weak evidence get it again, now that the
        # dates of the rest of the batch are known (see docs/ingest.md, "Publication date").
        reference = batch.reference()
        for raw in batch.deferred:
            if progress is not None:
                progress(total, total, f"dating {raw.source}")
            _ingest_guarded(raw, settings, store, report, today, None, reference)
    finally:
        if own_client is not None:
            own_client.close()
    return report


class _Batch:
    """Publication dates seen so far in one ingest run, and the inputs waiting for them."""

    def __init__(self) -> None:
        self.dates: list[str] = []
        self.deferred: list = []

    def reference(self):
        if not self.dates:
            return None
        from datetime import date

        ordered = sorted(self.dates)
        return date.fromisoformat(ordered[len(ordered) // 2])


def _guarded(items, unit: str):
    """``items`` (the raw inputs of one unit) until one fails to read; that failure becomes a last Skip."""
    n = 0
    try:
        for item in items:
            n += 1
            yield item
    except Exception as e:  # any bug while reading one input: report it and go on with the batch
        yield internal_skip(unit, e, "reading", after=n)


def _ingest_guarded(raw, settings: Settings, store: Store, report: IngestReport, today, batch, reference=None) -> None:
    """:func:`_ingest_one`, with any unexpected failure turned into a Skip naming the input (its bytes kept)."""
    try:
        _ingest_one(raw, settings, store, report, today, batch, reference)
    except Exception as e:
        try:
            store.keep_raw(raw)  # nothing is lost: the bytes can be ingested again once the bug is fixed
        except Exception:  # the store itself is failing; the Skip below still says why
            pass
        _skipped(store, report, internal_skip(raw.source, e, "extracting or storing"))


def _skipped(store: Store, report: IngestReport, skip: Skip) -> None:
    report.skipped.append(skip)
    try:
        store.log_ingest(skip.source, "skipped", reason=skip.reason)
    except Exception:  # a log line that cannot be written must not end the batch; the report has the skip
        pass


def _ingest_one(raw, settings: Settings, store: Store, report: IngestReport, today, batch: _Batch | None, reference=None) -> None:
    if isinstance(raw, Skip):
        _skipped(store, report, raw)
        return
    seen = store.has_raw(raw.sha256)
    if seen:
        report.duplicates.append((raw.source, seen))
        store.log_ingest(raw.source, "duplicate", article_id=seen)
        return
    result = extract(raw, settings, today=today, reference=reference)
    if isinstance(result, Skip):
        store.keep_raw(raw)
        _skipped(store, report, result)
        return
    if batch is not None:
        if needs_reference(result):
            batch.deferred.append(raw)
            return
        if result.published:
            batch.dates.append(result.published)
    status = store.add_article(result, raw)
    if status == "added":
        report.added.append((raw.source, result.id))
    else:
        report.duplicates.append((raw.source, result.id))
    store.log_ingest(raw.source, status, article_id=result.id)


def agree(settings: Settings, store: Store, fusion=None):
    """Derive agreements and alleged violations from the stored fusion and store them (kinds
    ``agreement`` and ``violation``); returns ``(agreements, violations)``.

    Reads the user's agreements file (``settings.agreements_file``) and the review log, so review
    decisions are re-applied after every fusion. ``fusion`` defaults to the one in the store;
    the fuse pipeline calls this at its end.
    """
    from . import agree as agree_stage
    from .fuse import load_fusion
    from .records import to_dict

    if fusion is None:
        fusion = load_fusion(store)
    from .analyze.taxonomy import user_taxonomy, violence_overrides

    declared = agree_stage.load_declared(settings.agreements_file)
    reviews = store.reviews()
    agreements, violations = agree_stage.derive(
        store.iter_articles(), store.iter_analyses(), fusion, declared=declared, reviews=reviews,
        violent=violence_overrides(user_taxonomy(settings.events_file)),
    )
    store.replace_fused("agreement", [to_dict(a) for a in agreements])
    store.replace_fused("violation", [to_dict(v) for v in violations])
    return agreements, violations


@functools.lru_cache(maxsize=1)
def _taxonomy_module():
    """The event taxonomy module, without the rest of the analyze package (which imports spaCy: seconds
    and hundreds of MB that a web page listing types must not pay). The real module when already loaded."""
    import importlib.util
    import sys
    from pathlib import Path

    loaded = sys.modules.get("trucewatch.analyze.taxonomy")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location(
        "trucewatch.analyze._taxonomy_only", Path(__file__).with_name("analyze") / "taxonomy.py"
    )
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "trucewatch.analyze"  # its one relative import is ..errors
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def _taxonomy(settings: Settings):
    tx = _taxonomy_module()
    return tx.load_extension(Path(settings.events_file).expanduser()) if settings.events_file else tx.TAXONOMY


def event_types(settings: Settings) -> tuple[str, ...]:
    """The keys of the event taxonomy (built in, plus the user's ``events_file``), sorted: the valid ``type`` filters."""
    return tuple(sorted(_taxonomy(settings)))


def calm_event_types(settings: Settings) -> frozenset[str]:
    """The taxonomy's types that are not violent (talks, statements, arrests ...): where they happen is a venue,
    not the fighting (the map frames the fighting first)."""
    return frozenset(k for k, t in _taxonomy(settings).items() if not t.violent)


#: State key prefix + article id -> why analyze skipped the article for a lasting reason.
SKIP_STATE = "analyze:skip:"


def analyze(
    settings: Settings,
    store: Store,
    *,
    force: bool = False,
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    res=None,
    only: Sequence[str] | None = None,
    on_part: Callable[[Article, int, int], None] | None = None,
):
    """Analyze every stored article that has no analysis made by the current pipeline version
    (all of them with ``force``; of those, only the ids in ``only`` when given) and store the analyses.
    ``res``: resources already loaded by :func:`trucewatch.analyze.load_resources` (a server keeps one
    set and passes it to every call; used by the local engine in one process). Returns an
    :class:`~trucewatch.analyze.AnalyzeReport`; articles that cannot be analyzed are
    :class:`~trucewatch.records.Skip` records in it. ``progress(done, total)`` is called per article;
    ``on_part(article, done, total)`` per parsed part of an article over the model's length limit (analyzed
    in paragraph-aligned parts; called with the local engine in one process). Raises :class:`~trucewatch.errors.ModelError` when the spaCy model cannot be loaded.
    ``settings.engine`` picks where the analysis runs: ``local`` (this process or a pool of
    ``processes``) or ``dask`` (``settings.dask_scheduler``, or a local cluster of ``processes`` workers).
    ``processes`` (default ``settings.processes``; 0: one per usable CPU) is planned by
    :func:`trucewatch.analyze.plan_processes`: a run that fits in one batch stays in this process.
    """
    import time

    from . import analyze as analyze_stage

    started = time.perf_counter()
    version = analyze_stage.pipeline_version(settings)
    ids = store.ids_needing_analysis(version, force)
    if only is not None:
        wanted = set(only)
        ids = [i for i in ids if i in wanted]
    # Articles skipped for a lasting reason (not English, no text) are not tried again unless forced.
    skipped_before = {} if force else store.states(SKIP_STATE)
    # Long texts were once skipped for good; they are analyzed in parts now, so they are tried again.
    skipped_before = {k: v for k, v in skipped_before.items() if not str(v).startswith(_OLD_TOO_LONG)}
    n_ids = len(ids)
    ids = [i for i in ids if SKIP_STATE + i not in skipped_before]
    report = analyze_stage.AnalyzeReport(pipeline_version=version, up_to_date=store.count("article") - n_ids,
                                         skipped_before=n_ids - len(ids))
    if not ids:
        return report
    procs = analyze_stage.plan_processes(settings, processes, len(ids))
    engine = (settings.engine or "local").strip().lower()
    if engine not in ("local", "dask"):
        from .errors import ConfigError

        raise ConfigError(f"Unknown analyze engine {settings.engine!r}; use local or dask (TRUCEWATCH_ENGINE / --engine).")
    if res is None or procs > 1 or engine != "local":
        res = analyze_stage.load_resources(settings) if procs <= 1 and engine == "local" else None

    def articles():
        for i in range(0, len(ids), 500):
            yield from store.articles(ids[i:i + 500])

    pending = []
    lasting: dict[str, str] = {}
    done = 0
    if progress is not None:
        progress(0, len(ids))  # the total is known before the first (maybe long) article is done
    if engine == "dask":  # batches as tasks on a Dask cluster (docs/scale.md)
        from .analyze.dask_engine import analyze_dask

        results = analyze_dask(articles(), settings, workers=procs)
    else:
        results = analyze_stage.analyze_many(articles(), settings, processes=procs, res=res, on_part=on_part,
                                             total=len(ids))
    for result in results:
        done += 1
        if isinstance(result, Skip):
            report.skipped.append(result)
            if result.lasting and result.article_id:
                lasting[SKIP_STATE + result.article_id] = result.reason
        else:
            pending.append(result)
            report.analyzed += 1
            report.quotes += len(result.quotes)
            report.claims += len(result.claims)
            report.events += len(result.events)
            report.actors += len(result.actors)
        if len(pending) >= max(1, settings.batch_size):
            store.save_analyses(pending)
            pending = []
        if progress is not None:
            progress(done, len(ids))
    if pending:
        store.save_analyses(pending)
    if lasting or force:
        # Record lasting skips; a forced run that now analyzes an article forgets its old skip.
        store.set_states(lasting, delete_keys=[SKIP_STATE + i for i in ids if SKIP_STATE + i not in lasting] if force else ())
    report.seconds = time.perf_counter() - started
    return report


_OLD_TOO_LONG = "the text is longer than the model's limit"


def fuse(settings: Settings, store: Store, *, progress: Callable[[str], None] | None = None):
    """Fuse every analyzed article in ``store`` and store the result (incremental: MinHash signatures
    and scored incident blocks are cached in the store's state); then refresh agreements and
    violations. Returns the :class:`~trucewatch.records.Fusion`.
    """
    import json

    from . import fuse as fuse_stage

    say = progress or (lambda _msg: None)
    say("reading articles and analyses")
    cache = fuse_stage.load_cache(store)
    analyses = list(store.iter_analyses())
    wanted = {a.article_id for a in analyses}
    articles = [a for a in store.iter_articles() if a.id in wanted]
    say(f"fusing {len(articles)} articles")
    fusion, stats = fuse_stage.fuse_with_cache(articles, analyses, reviews=store.reviews(), cache=cache)
    say("saving")
    for kind, records in fuse_stage.fusion_records(fusion).items():
        store.replace_fused(kind, records)
    fuse_stage.save_cache(store, cache)
    store.set_state("fuse:last_stats", json.dumps(stats, default=str))
    agree(settings, store, fusion)
    return fusion


def ingest_inputs(raws: Sequence, settings: Settings, store: Store) -> tuple[IngestReport, dict[str, tuple[str, str | None, str | None]]]:
    """Clean and store raw inputs already read (``watch`` fetches them itself): the report, and per
    input's sha256 what became of it: ``(added | duplicate | skipped, article id, reason)``."""
    report = IngestReport()
    today = today_utc()
    batch = _Batch()
    outcome: dict[str, tuple[str, str | None, str | None]] = {}

    def one(raw, b, reference=None) -> None:
        before = (len(report.added), len(report.duplicates), len(report.skipped))
        _ingest_one(raw, settings, store, report, today, b, reference)
        if len(report.added) > before[0]:
            outcome[raw.sha256] = ("added", report.added[-1][1], None)
        elif len(report.duplicates) > before[1]:
            outcome[raw.sha256] = ("duplicate", report.duplicates[-1][1], None)
        elif len(report.skipped) > before[2]:
            outcome[raw.sha256] = ("skipped", None, report.skipped[-1].reason)

    for raw in raws:
        one(raw, batch)
    reference = batch.reference()
    for raw in batch.deferred:
        one(raw, None, reference)
    return report, outcome


#: State key: "1" while articles that watch stored wait to be analyzed and fused (survives a crash).
WATCH_FUSE_PENDING = "watch:fuse_pending"


def watch_round(
    sources: Sequence[str],
    settings: Settings,
    store: Store,
    *,
    alerts_file: str | None = None,
    webhooks: Sequence[str] = (),
    client=None,
    resources: dict | None = None,
    now=None,
    progress: Callable[..., None] | None = None,
    sleep: Callable[[float], None] | None = None,
):
    """One round of ``trucewatch watch``: poll ``sources`` (conditional GET, items not seen before,
    back-off for failing ones), ingest what is new, analyze and fuse incrementally, record the
    changes and alerts of the round (rules in ``settings.alerts_file``), then deliver pending alerts
    to ``alerts_file`` (JSONL) and the webhooks. Returns a :class:`~trucewatch.monitor.RoundReport`.

    ``resources``: a dict where the loaded spaCy resources are kept between rounds; ``now``: the
    round's time (UTC); ``progress(done, total, source, status)`` after each source.
    """
    import time

    from . import analyze as analyze_stage
    from . import monitor

    config = monitor.load_alert_config(settings.alerts_file)
    now = now or monitor.utc_now()
    round_no = store.next_watch_round()
    report = monitor.RoundReport(round=round_no, started_at=now.isoformat(timespec="seconds"))
    own_client = client is None
    if client is None:
        client = monitor.polite_client(settings, monitor.HostPacer(settings.watch_host_delay))
    clock = time.perf_counter
    mark = clock()

    def phase(name: str) -> None:
        nonlocal mark
        now_ = clock()
        report.seconds[name] = round(report.seconds.get(name, 0.0) + now_ - mark, 3)
        mark = now_

    try:
        polled = monitor.poll_all(sources, settings, store, client, now, report, progress)
        phase("poll")
        if any(o.inputs for o, _sid in polled):
            store.set_state(WATCH_FUSE_PENDING, "1")
        for outcome, sid in polled:
            ingested, results = ingest_inputs([raw for _key, raw in outcome.inputs], settings, store)
            report.new += len(ingested.added)
            report.duplicates += len(ingested.duplicates)
            report.items_failed += [(k, s.reason) for k, s in outcome.item_failures]
            report.items_failed += [(s.source, s.reason) for s in ingested.skipped]
            monitor.record_items(store, settings, sid, [*monitor.raw_results(outcome.inputs, results),
                                                        *monitor.item_failures(outcome)], now)
        phase("ingest")
        if store.ids_needing_analysis(analyze_stage.pipeline_version(settings)):
            cache = resources if resources is not None else {}
            if "res" not in cache and settings.processes <= 1 and (settings.engine or "local") == "local":
                cache["res"] = analyze_stage.load_resources(settings)
            report.analyzed = analyze(settings, store, res=cache.get("res")).analyzed
            store.set_state(WATCH_FUSE_PENDING, "1")
        phase("analyze")
        if store.get_state(WATCH_FUSE_PENDING) == "1":
            fuse(settings, store)
            store.set_state(WATCH_FUSE_PENDING, "0")
        phase("fuse")
        changes, alerts, snapshot = monitor.detect(store, config, round_no)
        report.changes, report.alerts = len(changes), len(alerts)
        targets = ([monitor.jsonl_target(alerts_file)] if alerts_file else []) + [
            monitor.webhook_target(u) for u in dict.fromkeys((*config.webhooks, *webhooks))]
        report.finished_at = monitor.utc_now().isoformat(timespec="seconds")
        store.commit_watch_round(round_no, report.started_at, report.finished_at, report.summary(), changes, alerts,
                                 targets, snapshot)
        phase("detect")
    finally:
        if own_client:
            client.close()
    with make_client(settings) as hooks:
        sent = monitor.deliver_pending(store, settings, hooks, now=report.finished_at, sleep=sleep or time.sleep)
    phase("deliver")
    report.delivered, report.delivery_errors = sent.delivered, sent.errors
    return report


def situation_report(store: Store, period: str, day: str, fmt: str = "md", *, links=(), stylesheet: str | None = None):
    """The situation report of the day or week holding ``day`` (report/situation.py): ``(report dict,
    rendered text)`` in ``fmt`` (md, html or json); ``links``: ``(label, href)`` pairs the HTML shows
    at its top (the web app's previous / next period); ``stylesheet``: a URL the HTML links instead
    of its inline style (:func:`situation_stylesheet` is its text). Raises ConfigError for a bad period or date."""
    from .fuse import build_export
    from .report.situation import build_situation, render_situation

    doc = build_export(store)
    rep = build_situation(doc, period, day)
    return rep, render_situation(rep, fmt, doc, links=links, stylesheet=stylesheet)


def situation_stylesheet() -> str:
    """The CSS of the HTML situation report."""
    from .report.situation import situation_css

    return situation_css()
