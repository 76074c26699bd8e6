#!/usr/bin/env python3
"""Regenerate the generated parts of README.md: the CLI reference and the settings table.

Usage: python scripts/gen_docs.py [--check]

With --check, exit 1 (and say which part) when README.md is out of date; tests/test_docs.py runs it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def cli_reference() -> str:
    from trucewatch.cli import cli

    out = []

    def walk(cmd: click.Command, path: list[str]) -> None:
        ctx = click.Context(cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100)
        out.append(f"### `{' '.join(path)}`\n\n```text\n{cmd.get_help(ctx).rstrip()}\n```\n")
        if isinstance(cmd, click.Group):
            for name in sorted(cmd.list_commands(ctx)):
                walk(cmd.get_command(ctx, name), [*path, name])

    walk(cli, ["trucewatch"])
    return "\n".join(out)


def settings_table() -> str:
    from trucewatch.settings import SETTINGS

    rows = ["| setting | environment variable | default | what it does |", "|---|---|---|---|"]
    for name, (default, help_) in SETTINGS.items():
        shown = f"`{default}`" if default != "" else "(empty)"
        rows.append(f"| `{name}` | `TRUCEWATCH_{name.upper()}` | {shown} | {help_} |")
    return "\n".join(rows) + "\n"


SECTIONS = {"cli-reference": cli_reference, "settings": settings_table}


def render(text: str) -> str:
    for name, fn in SECTIONS.items():
        pattern = re.compile(rf"(<!-- BEGIN {name} -->\n).*?(<!-- END {name} -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- BEGIN {name} --> ... <!-- END {name} --> block.")
        body = fn()
        text = pattern.sub(lambda m: m.group(1) + body + m.group(2), text)
    return text


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    new = render(current)
    if "--check" in argv:
        if new != current:
            print("README.md is out of date: run `make docs` (python scripts/gen_docs.py).")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
