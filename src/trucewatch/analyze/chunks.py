"""Articles longer than the model's ``max_length``: parsed in paragraph-aligned parts, joined into one Doc.

* :func:`paragraph_chunks` cuts a text into consecutive pieces of at most ``limit`` characters that
  together are the whole text, each ending after a paragraph break when one is in reach (else a line
  break, a sentence end, a space; a hard cut only for a run without any).
* :func:`parse_in_chunks` parses the pieces with ``nlp.pipe`` and joins them with ``Doc.from_docs``:
  the joined Doc's text is the article's text, so every character offset (quotes, claims, places,
  events) points into the full article. The quote-span component, which reads the whole text, runs
  once on the joined Doc.

Parsing takes memory in proportion to the piece, not the article (spaCy's parser and NER need about
1 GB per 100,000 characters at once), and time in proportion to the article.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["CHUNK_CHARS", "paragraph_chunks", "parse_in_chunks"]

#: Largest piece handed to the model at once.
CHUNK_CHARS = 100_000

_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?…][\"”’)\]]*\s+"), re.compile(r"\s+"))


def paragraph_chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of ``text``: each at most ``limit`` characters, together all of it.

    A piece ends just after the last paragraph break (blank line, with the whitespace after it) that fits;
    without one, after the last line break, sentence end or space; without any, at ``limit``.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        window_end = start + limit
        cut = None
        for rx in _CUTS:
            last = None
            for m in rx.finditer(text, start, window_end):
                if start < m.end() <= window_end:
                    last = m.end()
            if last is not None:
                cut = last
                break
        cut = cut or window_end
        out.append((start, cut))
        start = cut
    if start < n or not out:
        out.append((start, n))
    return out


def parse_in_chunks(nlp, text: str, limit: int = CHUNK_CHARS,
                    on_part: Callable[[int, int], None] | None = None):
    """One Doc of ``text`` (its ``.text`` is ``text``) parsed piece by piece; ``on_part(done, total)`` after each."""
    from spacy.tokens import Doc

    spans = paragraph_chunks(text, min(limit, nlp.max_length))
    quote_pipe = "trucewatch_quote_spans"
    disable = [quote_pipe] if quote_pipe in nlp.pipe_names else []
    docs = []
    for k, doc in enumerate(nlp.pipe((text[s:e] for s, e in spans), disable=disable), start=1):
        docs.append(doc)
        if on_part is not None:
            on_part(k, len(spans))
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    if joined.text != text:  # from_docs joins the pieces' own text; a mismatch would shift every offset
        raise RuntimeError("joining the parsed parts did not give back the article text")
    if disable:
        joined = nlp.get_pipe(quote_pipe)(joined)
    return joined
