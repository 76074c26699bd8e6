"""Several processes opening one brand-new store at the same moment: exactly one creates the schema,
the others wait for it and then use it (real processes, a real SQLite file)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each child imports everything first, says so, waits for the go file, then opens the store and adds one article.
CHILD = r"""
import os, sys, time
from pathlib import Path
from trucewatch import pipeline
from trucewatch.settings import Settings
from trucewatch.store import open_store
db, go, text = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
src = go.with_name(f"story-{os.getpid()}.txt")
src.write_text(text)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
store = open_store(Settings.from_env(env={}, db=db))
report = pipeline.ingest([str(src)], store=store, settings=Settings.from_env(env={}, db=db))
print("added", len(report.added), flush=True)
"""

STORY = ("ISLAMABAD, March 3, 2025 - Negotiators number {n} met on Monday to agree the terms of the ceasefire, "
         "officials said, and will meet again next week to settle the exchange of prisoners held by both sides.")


def _race(tmp_path: Path, db: str, n: int) -> list[subprocess.CompletedProcess]:
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TRUCEWATCH_DB": ""}
    procs = [
        subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(go), STORY.format(n=i)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
        for i in range(n)
    ]
    for p in procs:  # every child is past its imports and spinning on the go file
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    go.touch()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def test_concurrent_first_opens_of_a_new_store_do_not_race_the_migration(tmp_path):
    for round_ in range(3):
        d = tmp_path / f"round{round_}"
        d.mkdir()
        _check(_race(d, str(d / "new.db"), 4), str(d / "new.db"), 4)


def test_concurrent_first_opens_on_postgresql(tmp_path):
    import pg_server

    server = pg_server.start()
    try:
        url = server.create_db()
        _check(_race(tmp_path, url, 4), url, 4)
    finally:
        server.stop()


def _check(results: list[subprocess.CompletedProcess], db: str, n: int) -> None:
    from trucewatch.settings import Settings
    from trucewatch.store import SCHEMA_HEAD, open_store

    for r in results:
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip().endswith("added 1"), r.stdout + r.stderr
    with open_store(Settings.from_env(env={}, db=db)) as store:
        assert store.schema_version() == SCHEMA_HEAD
        assert store.count("article") == n
