"""Bytes -> text: encoding detection and binary sniffing (pure).

Order tried: a byte-order mark (UTF-8, UTF-16, UTF-32), strict UTF-8, the
charset an HTML page declares in its first 2 KB, then charset-normalizer's
best guess. Any fallback after UTF-8 is reported as a warning so the user
knows the text may contain wrong characters.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["DecodeError", "SURROGATE_NOTE", "decode_bytes", "escape_surrogates", "looks_binary", "replace_surrogates"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A UTF-16 surrogate code point on its own: JSON can write one (``"\\ud800"``), UTF-8 cannot hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: The warning an article gets when lone surrogates in its input were replaced.
SURROGATE_NOTE = "invalid Unicode escapes (lone surrogates such as \\ud800) replaced with U+FFFD"


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise; ``str(e)`` is the reason for the user."""


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes (and no UTF-16/32 byte-order mark): images, PDFs, archives."""
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    return b"\x00" in head


def decode_bytes(data: bytes, html: bool = False) -> tuple[str, str | None]:
    """``(text, warning)``: the decoded text and a warning when a fallback encoding was used.

    Raises :class:`DecodeError` for binary data or bytes no encoding fits.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _check(data.decode(enc)), None
            except UnicodeDecodeError:
                raise DecodeError(f"it starts with a {enc.upper()} byte-order mark but is not valid {enc.upper()}") from None
    if looks_binary(data):
        raise DecodeError("binary data (contains NUL bytes), not text")
    try:
        return _check(data.decode("utf-8")), None
    except UnicodeDecodeError:
        pass
    if html:
        m = _META_CHARSET.search(data[:2048])
        if m:
            enc = m.group(1).decode("ascii", "replace")
            try:
                return _check(data.decode(enc)), f"not valid UTF-8; decoded as {enc} (declared by the page)"
            except (LookupError, UnicodeDecodeError):
                pass
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None or best.encoding is None:
        raise DecodeError("not text in any recognised encoding")
    # Several code pages often fit equally well; the web's usual default (WHATWG) is windows-1252.
    ties = [m for m in results if m.chaos == best.chaos and m.coherence == best.coherence]
    best = next((m for m in ties if m.encoding in _PREFERRED), best)
    text = str(best)
    return _check(text), f"not valid UTF-8; decoded as {best.encoding} (guessed, some characters may be wrong)"


def _check(text: str) -> str:
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 50):
        raise DecodeError("binary data (many control characters), not text")
    return text


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with every lone surrogate replaced by U+FFFD, and how many there were.

    Only JSON escapes make them (``json.loads('"\\ud800"')``); decoded bytes never hold one.
    """
    if not _SURROGATE.search(text):
        return text, 0
    return _SURROGATE.subn("\ufffd", text)


def escape_surrogates(json_text: str) -> str:
    """JSON text with each lone surrogate written back as its ``\\uXXXX`` escape, so it encodes as UTF-8.

    Outside strings JSON holds only ASCII, so every surrogate is inside a string and the escape is valid there.
    """
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json_text)
