"""``trucewatch add / articles / show``: exit codes, messages and JSON, via CliRunner and a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from trucewatch.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
REQUIRED_KEYS = {"id", "title", "outlet", "url", "source_path", "dateline", "published", "published_inferred", "language", "text"}


@pytest.fixture
def run(tmp_path):
    db = str(tmp_path / "cli.db")
    runner = CliRunner()

    def invoke(*args: str, input: bytes | str | None = None):
        return runner.invoke(cli, ["--db", db, *args], input=input, env={"TRUCEWATCH_DB": ""}, catch_exceptions=False)

    return invoke


def test_add_reports_added_then_nothing_new(run):
    r = run("add", str(FIXTURES / "debris-article.txt"), str(FIXTURES / "article.html"))
    assert r.exit_code == 0, r.output
    assert "2 added, 0 duplicate(s), 0 skipped." in r.output
    r = run("add", str(FIXTURES / "debris-article.txt"))
    assert r.exit_code == 0, r.output
    assert "Nothing new: all 1 input(s) are already in the store." in r.output


def test_add_with_some_bad_inputs_exits_zero_and_lists_reasons(run, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    r = run("add", str(FIXTURES / "records.jsonl"), str(empty))
    assert r.exit_code == 0, r.output
    assert "2 added, 0 duplicate(s), 3 skipped." in r.output
    assert "empty file" in r.output and "not valid JSON" in r.output


def test_add_nothing_ingested_exits_one_with_a_one_line_reason(run, tmp_path):
    r = run("add", str(tmp_path / "nope.txt"))
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines() == [
        f"Error: Nothing was ingested: 1 input(s) skipped (first: {tmp_path / 'nope.txt'}: no such file or directory)."
    ]
    assert "Traceback" not in r.output


def test_add_without_arguments_is_an_error(run):
    r = run("add")
    assert r.exit_code == 1 and "No input given" in r.stderr


def test_add_max_bytes_and_outlet_options(run):
    r = run("add", "--max-bytes", "100", str(FIXTURES / "article.html"))
    assert r.exit_code == 1 and "larger than the limit of 100" in r.stderr
    r = run("add", "--outlet", "Harbour Radio", str(FIXTURES / "undated.txt"))
    assert r.exit_code == 0
    (a,) = json.loads(run("articles", "--json").output)
    assert a["outlet"] == "Harbour Radio"


def test_add_refuses_loopback_unless_allowed(run):
    r = run("add", "http://127.0.0.1:9/story")
    assert r.exit_code == 1 and "refused: 127.0.0.1 resolves to the non-public address 127.0.0.1" in r.stderr


def test_add_from_stdin(run):
    r = run("add", "-", "--outlet", "Stdin Times", input=(FIXTURES / "undated.txt").read_bytes())
    assert r.exit_code == 0, r.output
    (a,) = json.loads(run("articles", "--json").output)
    assert a["source_path"] == "-" and a["outlet"] == "Stdin Times"


def test_articles_json_has_the_required_keys(run):
    run("add", str(FIXTURES))
    r = run("articles", "--json")
    assert r.exit_code == 0
    items = json.loads(r.output)
    assert len(items) == 8  # 5 files, 2 + 2 JSON records (nobody.html and 3 bad records skipped)
    for item in items:
        assert REQUIRED_KEYS <= set(item)
        assert {"published_origin", "published_precision", "published_range", "warnings"} <= set(item)
    undated = next(i for i in items if i["title"] == "Talks on the sandbank line adjourn without a date")
    assert undated["published_inferred"] is True and undated["published_range"] == ["2024-02-06", "2024-03-07"]


def test_articles_table_and_empty_store(run):
    r = run("articles")
    assert r.exit_code == 0 and "No articles yet" in r.output
    run("add", str(FIXTURES / "article.html"))
    r = run("articles")
    assert "Northern" in r.output and "1 article(s)" in r.output and "2024-05-02" in r.output


def test_show_metadata_text_and_debris(run):
    run("add", str(FIXTURES / "debris-article.txt"))
    (a,) = json.loads(run("articles", "--json").output)
    r = run("show", a["id"][:6])
    assert r.exit_code == 0
    assert "PORT ELARA / MIRAVAL — Feb 14" in r.output and "The Coastal Courier" in r.output
    assert "removed debris" not in r.output
    r = run("show", a["id"], "--debris")
    assert "removed debris (" in r.output and "share counter" in r.output and "37 Shares" in r.output
    r = run("show", a["id"], "--json", "--debris")
    data = json.loads(r.output)
    assert data["id"] == a["id"] and any(d["reason"] == "cookie notice" for d in data["debris"])


def test_show_unknown_id(run):
    r = run("show", "ffffffff")
    assert r.exit_code == 1 and "No article 'ffffffff' in the store" in r.stderr


@pytest.mark.parametrize("command", ["add", "articles", "show"])
def test_help_has_an_example(run, command):
    r = run(command, "--help")
    assert r.exit_code == 0 and "Example:" in r.output and f"trucewatch {command}" in r.output


def test_console_script_in_a_real_subprocess(tmp_path):
    exe = Path(sys.executable).with_name("trucewatch")
    assert exe.exists(), "install the package (make install) to get the trucewatch console script"
    env = {**os.environ, "TRUCEWATCH_DB": str(tmp_path / "sub.db")}
    out = subprocess.run([str(exe), "add", str(FIXTURES / "article.html")], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "1 added" in out.stdout
    out = subprocess.run([str(exe), "add", str(tmp_path / "missing.html")], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and "no such file or directory" in out.stderr
    out = subprocess.run([str(exe), "articles", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert json.loads(out.stdout)[0]["title"] == "Bridge toll dispute closes Veldor crossing"
