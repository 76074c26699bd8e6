"""Load the golden articles (tests/golden/articles/*.txt) and their expectations (tests/golden/expected/*.json).

Article file format: ``key: value`` header lines (``published``, ``outlet``), a line ``---``, then the text.
Expectation keys used by the quality gate (tests/test_quality_gate.py): ``quotes`` (text fragment,
speaker, direct), ``claims`` (text fragment, value, category, claimant); the event/time/place
keys (``events``, ``times``, ``places``) are scored when present; they live in
``expected/<name>.events.json`` sidecars (kept with analyze/events.py, places.py, timex.py) merged in here.
"""

from __future__ import annotations

import json
from pathlib import Path

from trucewatch.records import Article, stable_id

GOLDEN = Path(__file__).resolve().parent


def load_article(path: Path) -> Article:
    raw = path.read_text(encoding="utf-8")
    head, text = raw.split("---\n", 1)
    meta = dict(line.split(": ", 1) for line in head.strip().splitlines())
    return Article(
        id=stable_id("golden", path.stem), title=None, outlet=meta.get("outlet"), url=None,
        source_path=str(path), dateline=None, published=meta.get("published"), published_inferred=False,
        published_origin="metadata", published_precision="day", published_range=None, language="en",
        text=text, fmt="txt", raw_sha256=stable_id("raw", path.stem),
    )


def golden_cases() -> list[tuple[str, Article, dict]]:
    out = []
    for path in sorted((GOLDEN / "articles").glob("*.txt")):
        exp_path = GOLDEN / "expected" / f"{path.stem}.json"
        expected = json.loads(exp_path.read_text(encoding="utf-8")) if exp_path.exists() else {}
        sidecar = GOLDEN / "expected" / f"{path.stem}.events.json"  # events/times/places, kept by their owner
        if sidecar.exists():
            expected.update({k: v for k, v in json.loads(sidecar.read_text(encoding="utf-8")).items() if not k.startswith("_")})
        out.append((path.stem, load_article(path), expected))
    return out
