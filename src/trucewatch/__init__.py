"""trucewatch: turn many news reports about a conflict into a verified, cited record of what happened.

Stages (each usable from Python, the CLI and the HTTP API)::

    ingest -> analyze (per article, pure) -> fuse (across articles) -> store -> report / serve

The Python API is :mod:`trucewatch.pipeline`; records are in :mod:`trucewatch.records`.
"""

__version__ = "0.1.0"
