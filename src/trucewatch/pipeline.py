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
