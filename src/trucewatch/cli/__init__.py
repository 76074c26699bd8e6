"""The ``trucewatch`` command: thin click shells over :mod:`trucewatch.pipeline`.

Each command module registers its commands on :data:`cli`; add a module to
``_COMMAND_MODULES`` to add commands.
"""

from __future__ import annotations

import importlib

from ._common import cli

_COMMAND_MODULES = (
    "serve",
    "ingest",
    "agree",
    "analyze",
    "fuse",
    "report",
    "monitor",

)

for _name in _COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    cli(prog_name="trucewatch")


__all__ = ["cli", "main"]
