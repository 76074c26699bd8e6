"""Errors the user must act on. Per-item problems are :class:`~trucewatch.records.Skip` records, not exceptions.

::

    TrucewatchError            base; the CLI prints the message and exits 1
    ├── ConfigError            a bad setting, option value or user-editable file
    ├── StoreError             the store could not be opened, read or migrated
    ├── IngestError            nothing could be ingested (every input was skipped)
    ├── ModelError             the spaCy model could not be loaded
    ├── NotFoundError          an id given by the user does not exist in the store
    └── ReviewError            a review decision could not be applied

Messages are whole sentences that say what to do next.
"""

from __future__ import annotations


class TrucewatchError(Exception):
    """Base class for errors the user can fix."""

    exit_code = 1


class ConfigError(TrucewatchError):
    """A bad setting, option value or user-editable file (aliases, gazetteer, rules, agreements)."""


class StoreError(TrucewatchError):
    """The SQLite/PostgreSQL store could not be opened, read or migrated."""


class IngestError(TrucewatchError):
    """Nothing could be ingested: every input was skipped."""


class ModelError(TrucewatchError):
    """The spaCy model named in the settings could not be loaded."""


class NotFoundError(TrucewatchError):
    """An id given by the user does not exist in the store."""


class ReviewError(TrucewatchError):
    """A review decision could not be applied (unknown target, bad action)."""


def read_yaml_file(path, *, what: str, setting: str, doc: str):
    """The YAML document of a user file named by a setting (``what``: "alerts file"; ``setting``: the settings
    field, whose environment variable is ``TRUCEWATCH_<SETTING>``; ``doc``: the docs page of its format), or a
    :class:`ConfigError` that says which file, what is wrong and where the format is told."""
    from pathlib import Path

    import yaml

    p = Path(path).expanduser()
    if not p.is_file():
        raise ConfigError(f"The {what} {p} does not exist; fix settings.{setting} (TRUCEWATCH_{setting.upper()}).")
    try:
        return yaml.safe_load(p.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ConfigError(f"The {what} {p} is not valid YAML ({e}); see {doc} for the format.") from None
