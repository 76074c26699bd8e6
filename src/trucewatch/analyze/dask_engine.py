"""``engine = "dask"``: the per-article analysis spread over a Dask cluster.

Importing this module needs ``dask[distributed]`` (``pip install 'trucewatch[dask]'``).

What runs where (see docs/scale.md):

* the **driver** (the ``trucewatch analyze`` process) reads articles from the
  store, cuts them into batches of ``settings.batch_size``, submits one task per
  batch (at most two per worker in flight, so memory stays flat), takes the
  results back in input order and saves them to the store. Workers never touch
  the store, so they need no database access.
* each **task** (:func:`analyze_chunk`) runs on a worker: it takes the
  worker's :class:`ResourceCache` from the :class:`ResourcePlugin` registered on
  every worker, gets the spaCy model and word lists for the task's settings
  (loaded on the worker's first task, reused by the rest) and returns plain
  :class:`~trucewatch.records.Analysis` / :class:`~trucewatch.records.Skip`
  records.

With ``settings.dask_scheduler`` empty a local cluster of
``settings.processes`` (0: one per usable CPU) single-threaded worker processes is started for the run
and shut down after it; with an address (``tcp://host:8786``) the run connects
to that scheduler, and the workers (and their loaded models) outlive it.
Workers need trucewatch and the spaCy model installed, and the same user files
(aliases, gazetteer) at the same paths.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import ConfigError, ModelError, TrucewatchError
from ..records import Analysis, Article, Skip
from ..settings import Settings
from .pipeline import Resources, _chunks, _model_version, analyze_batch, load_resources, plan_processes

try:
    from distributed import Client, LocalCluster, get_worker
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as e:  # pragma: no cover - the dask extra is part of the test extra
    raise ConfigError(
        f"engine=dask needs Dask ({e}); install it with pip install 'trucewatch[dask]' or use --engine local."
    ) from None

__all__ = ["PLUGIN_NAME", "ResourceCache", "ResourcePlugin", "analyze_chunk", "analyze_dask", "connect", "worker_loads"]

#: The name the resource plugin is registered under on every worker.
PLUGIN_NAME = "trucewatch-resources"


def _key(settings: Settings) -> tuple:
    """The settings that decide what :func:`load_resources` loads."""
    return (settings.spacy_model, settings.aliases_file, settings.gazetteer_file, settings.events_file)


class ResourceCache:
    """Analysis resources (spaCy model, word lists, gazetteer) by settings, for one worker process.

    :meth:`get` loads them on first use and returns the same object afterwards,
    keyed by the settings that matter (model, aliases file, gazetteer file); at
    most ``maxsize`` sets are kept (least recently used dropped). ``loads``
    counts loads, so a caller can check the model was loaded once. Thread-safe:
    a worker with several threads loads once and shares the resources.
    """

    def __init__(self, maxsize: int = 2):
        self.maxsize = max(1, maxsize)
        self.loads = 0
        self._items: OrderedDict[tuple, Resources] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, settings: Settings) -> Resources:
        key = _key(settings)
        with self._lock:
            res = self._items.get(key)
            if res is None:
                res = load_resources(settings)
                self.loads += 1
                self._items[key] = res
                while len(self._items) > self.maxsize:
                    self._items.popitem(last=False)
            else:
                self._items.move_to_end(key)
            return res

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class ResourcePlugin(WorkerPlugin):
    """Gives each Dask worker its own :class:`ResourceCache` (``worker.plugins[PLUGIN_NAME].cache``)."""

    name = PLUGIN_NAME

    def __init__(self, maxsize: int = 2):
        self.maxsize = maxsize
        self.cache: ResourceCache | None = None

    def setup(self, worker) -> None:
        self.cache = ResourceCache(self.maxsize)

    def teardown(self, worker) -> None:
        if self.cache is not None:
            self.cache.clear()


def _worker_cache() -> ResourceCache:
    worker = get_worker()
    plugin = worker.plugins.get(PLUGIN_NAME)
    if plugin is None or getattr(plugin, "cache", None) is None:
        raise ConfigError(f"The Dask worker {worker.address} has no {PLUGIN_NAME} plugin; run analyze through analyze_dask().")
    return plugin.cache


def analyze_chunk(batch: list[Article], settings: Settings) -> list[Analysis | Skip]:
    """The Dask task: analyze one batch of articles on a worker and return plain records."""
    return list(analyze_batch(batch, settings, _worker_cache().get(settings)))


def worker_loads(client: Client) -> dict[str, int]:
    """worker address -> how many times it loaded the model (1 after any number of runs with the same settings)."""

    def loads(dask_worker) -> int:
        plugin = dask_worker.plugins.get(PLUGIN_NAME)
        return plugin.cache.loads if plugin is not None and plugin.cache is not None else 0

    return client.run(loads)


def connect(settings: Settings, workers: int | None = None, *, timeout: str = "20s") -> tuple[Client, LocalCluster | None]:
    """A client for ``settings.dask_scheduler``, or for a new local cluster of ``workers`` processes when it is empty.

    The resource plugin is registered on every worker (once per cluster). The
    caller closes the client and, when not None, the cluster.
    """
    cluster = None
    address = settings.dask_scheduler.strip()
    try:
        if address:
            client = Client(address, timeout=timeout)
        else:
            n = max(1, workers if workers is not None else plan_processes(settings))
            cluster = LocalCluster(
                # ":0": the scheduler's HTTP endpoint on a free port (it always starts one), never a clash on 8787.
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
    except (OSError, TimeoutError, RuntimeError) as e:  # RuntimeError: a local worker process failed to start
        if cluster is not None:
            cluster.close()
        where = f"the Dask scheduler at {address}" if address else "a local Dask cluster"
        raise ConfigError(
            f"Could not connect to {where} ({e}). Start one with `dask scheduler` and `dask worker ADDRESS --nthreads 1`, "
            "check --scheduler / TRUCEWATCH_DASK_SCHEDULER, or leave it empty for a local cluster."
        ) from None

    def has_plugin(dask_worker) -> bool:
        return PLUGIN_NAME in dask_worker.plugins

    present = client.run(has_plugin)
    if not present or not all(present.values()):
        client.register_plugin(ResourcePlugin(), name=PLUGIN_NAME)
    return client, cluster


def analyze_dask(
    articles: Iterable[Article],
    settings: Settings,
    *,
    workers: int | None = None,
    client: Client | None = None,
    on_result: Callable[[Analysis | Skip], None] | None = None,
) -> Iterator[Analysis | Skip]:
    """Analyze ``articles`` in batches on Dask workers; results come in input order.

    ``client`` reuses an open client (its cluster stays up); otherwise one is made by
    :func:`connect` for this run. Raises :class:`~trucewatch.errors.ModelError` early,
    in this process, when the model is not installed here.
    """
    if _model_version(settings.spacy_model).endswith("-unknown"):
        load_resources(settings)  # raises ModelError with what to do
    own = None
    if client is None:
        client, cluster = connect(settings, workers)
        own = (client, cluster)
    try:
        n = max(1, len(client.scheduler_info().get("workers", {})))
        # Workers get no store URL (it may hold a password) and need none.
        task_settings = settings.replace(db="", dask_scheduler="")
        inflight: list[Any] = []

        def drain(fut) -> Iterator[Analysis | Skip]:
            try:
                results = fut.result()
            except TrucewatchError:
                raise
            except Exception as e:  # a worker died or could not run the task
                raise ModelError(f"A Dask worker failed to analyze a batch ({type(e).__name__}: {e}).") from None
            for r in results:
                if on_result:
                    on_result(r)
                yield r

        for chunk in _chunks(articles, max(1, settings.batch_size)):
            inflight.append(client.submit(analyze_chunk, chunk, task_settings, pure=False))
            if len(inflight) >= 2 * n:
                yield from drain(inflight.pop(0))
        while inflight:
            yield from drain(inflight.pop(0))
    finally:
        if own is not None:
            own[0].close()
            if own[1] is not None:
                own[1].close()
