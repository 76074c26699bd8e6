"""Quality gate: precision/recall per record type on the golden set, against floors in tests/golden/floors.json.

Matching rules (lenient on wording, strict on what matters):

* quotes: a predicted quote matches an expected one when one text contains the other (case and
  spacing ignored) and ``direct`` agrees; ``quotes+speaker`` also needs the speaker to match
  (same name ignoring case and a leading article, or one contains the other).
* claims: the expected text fragment lies inside the claim's span (or the other way round) and the
  value and category agree; ``claims+claimant`` also needs the claimant to match.

Run ``pytest tests/test_quality_gate.py -s`` to see the scores. Raising floors: edit floors.json.
Lowering one is an explicit change: add an entry to its ``lowered`` list with the reason.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden import GOLDEN, golden_cases  # noqa: E402

from analyze_helpers import resources as _resources  # noqa: E402

from trucewatch.analyze import analyze_article  # noqa: E402


def _norm(s: str | None) -> str:
    s = (s or "").lower().replace("’", "'")
    s = re.sub(r"^(the|a|an)\s+", "", s.strip())
    return " ".join(re.sub(r"[^\w' ]+", " ", s).split())


def _same_speaker(pred: str | None, exp: str | None) -> bool:
    p, e = _norm(pred), _norm(exp)
    return bool(p and e) and (p == e or p in e or e in p)


def _quote_match(q, e, text: str, speaker: bool) -> bool:
    a, b = _norm(q.text), _norm(e["text"])
    if not (a and b and (b in a or a in b)) or q.direct != e.get("direct", True):
        return False
    return not speaker or _same_speaker(q.speaker, e.get("speaker"))


def _claim_match(c, e, text: str, claimant: bool) -> bool:
    span = _norm(text[c.start:c.end])
    frag = _norm(e["text"])
    if not (frag in span or span in frag) or c.value != e["value"] or c.category != e["category"]:
        return False
    return not claimant or _same_speaker(c.claimant, e.get("claimant"))


def _score(pairs):
    """pairs: list of (predicted list, expected list, match fn) -> precision, recall, counts."""
    tp_p = n_p = tp_r = n_r = 0
    for preds, exps, match in pairs:
        n_p += len(preds)
        n_r += len(exps)
        tp_p += sum(1 for p in preds if any(match(p, e) for e in exps))
        tp_r += sum(1 for e in exps if any(match(p, e) for p in preds))
    precision = tp_p / n_p if n_p else 1.0
    recall = tp_r / n_r if n_r else 1.0
    return precision, recall, (tp_p, n_p, tp_r, n_r)


@pytest.fixture(scope="module")
def results():
    res = _resources()
    return [(name, art, exp, analyze_article(art, res)) for name, art, exp in golden_cases()]


def _scores(results) -> dict[str, tuple[float, float, tuple]]:
    out = {}
    for label, speaker in (("quotes", False), ("quotes+speaker", True)):
        out[label] = _score([
            (list(an.quotes), exp.get("quotes", []), lambda q, e, t=art.text, s=speaker: _quote_match(q, e, t, s))
            for _, art, exp, an in results if "quotes" in exp
        ])
    for label, who in (("claims", False), ("claims+claimant", True)):
        out[label] = _score([
            (list(an.claims), exp.get("claims", []), lambda c, e, t=art.text, w=who: _claim_match(c, e, t, w))
            for _, art, exp, an in results if "claims" in exp
        ])
    if any("events" in exp for _, _, exp, _ in results):
        for label, dated in (("events", False), ("events+date", True)):
            out[label] = _score([
                (list(an.events), exp.get("events", []), lambda v, e, d=dated: _event_match(v, e, d))
                for _, art, exp, an in results if "events" in exp
            ])
    if any("places" in exp for _, _, exp, _ in results):
        out["places"] = _score([
            (list(an.places), exp.get("places", []),
             lambda p, e: _norm(p.name) == _norm(e["name"]) and p.country_code == e.get("country_code", p.country_code))
            for _, art, exp, an in results if "places" in exp
        ])
    if any("times" in exp for _, _, exp, _ in results):
        out["times"] = _score([
            (list(an.times), exp.get("times", []),
             lambda t, e: _norm(e["text"]) in _norm(t.text) and t.date_start == e.get("date_start") and t.date_end == e.get("date_end", e.get("date_start")))
            for _, art, exp, an in results if "times" in exp
        ])
    return out


def _event_match(v, e, dated: bool) -> bool:
    if v.type != e["type"] or not (_norm(e["trigger"]) in _norm(v.trigger) or _norm(v.trigger) in _norm(e["trigger"])):
        return False
    if not dated or "date" not in e:
        return True
    t = v.time
    return t is not None and t.date_start is not None and t.date_start <= e["date"] <= (t.date_end or t.date_start)


def test_golden_set_has_at_least_15_articles_with_expectations():
    cases = golden_cases()
    assert len(cases) >= 15
    assert all(exp.get("quotes") or exp.get("claims") for _, _, exp in cases)


def test_quality_floors(results):
    floors = json.loads((GOLDEN / "floors.json").read_text(encoding="utf-8"))["floors"]
    scores = _scores(results)
    print()
    for label, (p, r, counts) in scores.items():
        print(f"{label:18s} precision {p:.3f} recall {r:.3f}  (tp/pred {counts[0]}/{counts[1]}, tp/expected {counts[2]}/{counts[3]})")
    failures = []
    for label, floor in floors.items():
        if label not in scores:
            continue  # scored by another module's gate (events, places, times)
        p, r, _ = scores[label]
        if p + 1e-9 < floor.get("precision", 0):
            failures.append(f"{label} precision {p:.3f} < floor {floor['precision']}")
        if r + 1e-9 < floor.get("recall", 0):
            failures.append(f"{label} recall {r:.3f} < floor {floor['recall']}")
    assert not failures, "; ".join(failures)
    assert floors, "floors.json pins no floors"
