"""CLI slips (issue 15): `brief -o b.pdf` and `show` with a short id prefix, on the hand-built store of web_fixture."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import web_fixture
from trucewatch.cli import cli
from trucewatch.settings import Settings
from trucewatch.store import open_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("clislips") / "cli.db"
    with open_store(Settings.from_env(env={}, db=str(path))) as store:
        built = web_fixture.build(store)
    return {"path": str(path), "b": built}


def run(db, *args: str):
    result = CliRunner().invoke(cli, ["--db", db["path"], *args], catch_exceptions=False, env={"TRUCEWATCH_DB": ""})
    return result.exit_code, result.output


def test_brief_to_pdf_is_a_pdf_printed_from_the_html(db, tmp_path):
    out = tmp_path / "b.pdf"
    code, output = run(db, "brief", "-o", str(out))
    assert code == 0, output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:] and len(data) > 10_000
    assert b"/Type /Page" in data or b"/Type/Page" in data


@pytest.mark.parametrize("args, says", [
    (["-o", "b.docx"], "Cannot tell the brief's format from 'b.docx': name the file .md, .html, .json or .pdf, or give --format."),
    (["-o", "b.pdf", "--format", "md"], "-o b.pdf names a pdf file but --format is md; make them agree."),
    (["--format", "pdf"], "A PDF brief needs a file: give -o brief.pdf."),
])
def test_brief_refuses_a_format_it_cannot_tell(db, tmp_path, args, says):
    args = [str(tmp_path / a) if a.startswith("b.") else a for a in args]
    code, output = run(db, "brief", *args)
    assert code != 0 and says in " ".join(output.split()), output
    assert not list(tmp_path.iterdir())  # nothing written


def test_brief_with_an_explicit_format_and_another_suffix_is_fine(db, tmp_path):
    code, output = run(db, "brief", "--format", "md", "-o", str(tmp_path / "notes.txt"))
    assert code == 0, output
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8").startswith("# ")


def test_show_with_a_too_short_prefix_says_so(db):
    aid = db["b"].articles["a1"]
    code, output = run(db, "show", aid[:2])
    assert code != 0
    assert f"Article id prefix {aid[:2]!r} is too short: give at least 4 characters of the id." in " ".join(output.split())
    code, output = run(db, "show", "zz")  # no id starts with it: there is simply no such article
    assert code != 0 and "No article 'zz'" in output
    code, output = run(db, "show", aid[:6])
    assert code == 0 and aid in output
