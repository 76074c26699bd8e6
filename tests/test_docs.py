"""The README's CLI reference and settings table are generated from the code and cannot drift."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_readme_generated_sections_are_current():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_command_help_has_an_example():
    import click

    from trucewatch.cli import cli

    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        cmd = cli.get_command(ctx, name)
        assert "Example" in (cmd.help or ""), f"`trucewatch {name} --help` has no example"
