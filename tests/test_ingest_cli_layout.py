"""What ``add`` and ``articles`` look like on a terminal: a progress bar while ingesting (a real pty), and one
line per article at 80 columns with long titles cut short by an ellipsis."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from trucewatch.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample-corpus"
CLI = "import sys; from trucewatch.cli import main; sys.argv[0] = 'trucewatch'; main()"


def test_articles_at_80_columns_is_one_line_per_article(tmp_path):
    db = str(tmp_path / "t.db")
    env = {"TRUCEWATCH_DB": "", "COLUMNS": "80"}
    assert CliRunner().invoke(cli, ["--db", db, "add", str(SAMPLE)], env=env).exit_code == 0
    items = json.loads(CliRunner().invoke(cli, ["--db", db, "articles", "--json"], env=env).output)
    out = CliRunner().invoke(cli, ["--db", db, "articles"], env=env).output
    lines = out.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    rows = [line for line in lines if line[:8] in {a["id"][:8] for a in items}]
    assert len(rows) == len(items)  # no title wrapped onto a second line
    long_titles = [a for a in items if len(a["title"] or "") > 40]
    assert long_titles and all(a["title"][:20] in out for a in long_titles)
    assert sum(row.count("…") for row in rows) >= len(long_titles)  # cut with an ellipsis, not wrapped
    assert "`trucewatch show` takes any unique prefix" in out
    wide = CliRunner().invoke(cli, ["--db", db, "articles"], env={**env, "COLUMNS": "200"}).output
    assert all(a["id"] in wide for a in items)  # full ids when there is room


def test_add_on_a_terminal_shows_a_progress_bar(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in sorted(os.listdir(SAMPLE))[:3]:
        (folder / name).write_bytes((SAMPLE / name).read_bytes())
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TRUCEWATCH_DB": str(tmp_path / "t.db"), "COLUMNS": "100"}
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", CLI, "add", str(folder)], stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    stdout, _ = proc.communicate(timeout=120)
    os.close(master)
    assert proc.returncode == 0
    text = seen.decode("utf-8", "replace")
    assert "ingest" in text and "3/3" in text  # the bar, with done/total
    assert b"3 added" in stdout
