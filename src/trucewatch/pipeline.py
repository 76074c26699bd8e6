"""The Python API: the one module that knows the order of the stages.

::

    ingest(sources)  -> IngestReport      files, URLs, feeds, stdin  -> stored articles
    analyze()        -> AnalyzeReport     stored articles            -> stored analyses
    fuse()           -> Fusion            stored analyses            -> stored fused records
    run(sources)                          all of the above in order

Each function takes the :class:`~trucewatch.settings.Settings` and an open
:class:`~trucewatch.store.Store`; the CLI and the web app call these and
nothing deeper.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .errors import IngestError
from .ingest import IngestReport, extract, is_url, iter_raw, make_client, needs_reference, plan_sources
from .ingest.dates import today_utc
from .records import Skip
from .settings import Settings
from .store import Store

__all__ = ["IngestReport", "agree", "analyze", "fuse", "ingest"]


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
    Raises :class:`~trucewatch.errors.IngestError` when ``sources`` is empty.
    """
    if not sources:
        raise IngestError("No input given; name files, directories, URLs or - for stdin.")
    units = plan_sources(sources)
    own_client = None
    if client is None and any(isinstance(u, str) and is_url(u) for u in units):
        client = own_client = make_client(settings)
    elif client is None and any(isinstance(u, str) and not is_url(u) and u.lower().endswith((".rss", ".atom", ".xml")) for u in units):
        client = own_client = make_client(settings)
    report = IngestReport()
    today = today_utc()
    batch = _Batch()
    try:
        for done, unit in enumerate(units, start=1):
            if isinstance(unit, Skip):
                report.skipped.append(unit)
                store.log_ingest(unit.source, "skipped", reason=unit.reason)
            else:
                if client is None and unit == "-":
                    client = own_client = make_client(settings)  # stdin may hold a feed
                for raw in iter_raw(unit, settings, client, outlet):
                    _ingest_one(raw, settings, store, report, today, batch)
            if progress is not None:
                progress(done, len(units), unit.source if isinstance(unit, Skip) else unit)
        # Articles whose publication year rested on weak evidence get it again, now that the
        # dates of the rest of the batch are known (see docs/ingest.md, "Publication date").
        reference = batch.reference()
        for raw in batch.deferred:
            _ingest_one(raw, settings, store, report, today, None, reference)
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


def _ingest_one(raw, settings: Settings, store: Store, report: IngestReport, today, batch: _Batch | None, reference=None) -> None:
    if isinstance(raw, Skip):
        report.skipped.append(raw)
        store.log_ingest(raw.source, "skipped", reason=raw.reason)
        return
    seen = store.has_raw(raw.sha256)
    if seen:
        report.duplicates.append((raw.source, seen))
        store.log_ingest(raw.source, "duplicate", article_id=seen)
        return
    result = extract(raw, settings, today=today, reference=reference)
    if isinstance(result, Skip):
        store.keep_raw(raw)
        report.skipped.append(result)
        store.log_ingest(raw.source, "skipped", reason=result.reason)
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
):
    """Analyze every stored article that has no analysis made by the current pipeline version
    (all of them with ``force``; of those, only the ids in ``only`` when given) and store the analyses.
    ``res``: resources already loaded by :func:`trucewatch.analyze.load_resources` (a server keeps one
    set and passes it to every call; used by the local engine in one process). Returns an
    :class:`~trucewatch.analyze.AnalyzeReport`; articles that cannot be analyzed are
    :class:`~trucewatch.records.Skip` records in it. ``progress(done, total)`` is called per article.
    Raises :class:`~trucewatch.errors.ModelError` when the spaCy model cannot be loaded.
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
    if engine == "dask":  # batches as tasks on a Dask cluster (docs/scale.md)
        from .analyze.dask_engine import analyze_dask

        results = analyze_dask(articles(), settings, workers=procs)
    else:
        results = analyze_stage.analyze_many(articles(), settings, processes=procs, res=res, total=len(ids))
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
