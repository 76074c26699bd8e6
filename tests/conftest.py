"""Shared fixtures: real SQLite files in temporary folders, the sample corpus, the shared real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from trucewatch.settings import Settings
from trucewatch.store import open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "sample-corpus"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "pak-afg-2025"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh SQLite file and no environment leaking in."""
    return Settings.from_env(env={}, db=str(tmp_path / "test.db"))


@pytest.fixture
def store(settings: Settings):
    s = open_store(settings)
    yield s
    s.close()


@pytest.fixture
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"the shared real corpus is not present at {SHARED_CORPUS}")
    return SHARED_CORPUS
