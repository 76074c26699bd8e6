"""The brief as PDF: its HTML printed by headless Chromium (``chromium --headless --print-to-pdf``).

Chromium is found on ``PATH`` (``chromium``, ``chromium-browser``, ``google-chrome``) or named by
the ``TRUCEWATCH_CHROMIUM`` environment variable. The HTML is written to a private temporary
folder and printed from there with a throwaway profile; the brief's own Content-Security-Policy
keeps the page from running script or loading anything, so printing needs no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ConfigError

__all__ = ["chromium_path", "html_to_pdf"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120


def chromium_path() -> str | None:
    """The Chromium executable to print with, or None when there is none."""
    named = os.environ.get("TRUCEWATCH_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    return next((p for p in map(shutil.which, _NAMES) if p), None)


def html_to_pdf(html: str) -> bytes:
    """The PDF bytes of the HTML document ``html`` (print layout: the page's ``@media print`` rules)."""
    exe = chromium_path()
    if exe is None:
        raise ConfigError(
            "PDF output needs Chromium (`apt-get install chromium`, or set TRUCEWATCH_CHROMIUM to its path); "
            "or write HTML with -o brief.html and print it from a browser."
        )
    with tempfile.TemporaryDirectory(prefix="trucewatch-pdf-") as tmp:
        page, out = Path(tmp) / "brief.html", Path(tmp) / "brief.pdf"
        page.write_text(html, encoding="utf-8")
        args = [exe, "--headless", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={Path(tmp) / 'profile'}", "--no-pdf-header-footer",
                f"--print-to-pdf={out}", page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise ConfigError(f"Chromium ({exe}) could not print the brief to PDF: {e}") from None
        if not out.is_file() or out.stat().st_size == 0:
            last = (done.stderr or "").strip().splitlines()[-1:] or ["no message"]
            raise ConfigError(f"Chromium ({exe}) did not write the PDF (exit {done.returncode}: {last[0]})")
        return out.read_bytes()
