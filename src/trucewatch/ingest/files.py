"""The file edge of ingest: paths, directories, globs and stdin -> ``RawInput | Skip``.

Formats come from the extension, and from the first bytes when the extension
says nothing (stdin, ``.xml``, no extension). A file larger than
``settings.max_bytes`` is refused before it is read.
"""

from __future__ import annotations

import errno
import glob
import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..records import RawInput, Skip
from ..settings import Settings
from .decode import DecodeError, decode_bytes, escape_surrogates
from .extract import sniff_kind

__all__ = ["EXTENSIONS", "expand_path", "read_path", "read_stream"]

#: extension -> format. Files with other extensions inside a directory are reported and skipped.
EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "sniff",
}
_GLOB_CHARS = set("*?[")


def _ext(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return ".warc.gz"
    return path.suffix.lower()


def _skip(source: str, reason: str) -> Skip:
    return Skip(source, "ingest", reason)


def shown(path: Path | str) -> str:
    """A path as the user reads it: undecodable bytes in a file name become U+FFFD (never a lone surrogate)."""
    return os.fsencode(str(path)).decode("utf-8", "replace")


def _missing(p: Path) -> str:
    """Why an existing-looking path cannot be opened: a symlink loop, a broken link, or simply absent."""
    try:
        os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "a symbolic link loop (the link leads back to itself)"
        if p.is_symlink():
            return f"a broken symbolic link (it points to {shown(os.readlink(p))}, which does not exist)"
        if e.errno == errno.EACCES:
            return "cannot look at the path: permission denied"
    return "no such file or directory"


def expand_path(path: str) -> Iterator[Path | Skip]:
    """The files a path names: itself, every file under a directory (sorted, hidden ones left out), or a glob's matches."""
    try:
        p = Path(path).expanduser()
        if not p.exists() and _GLOB_CHARS & set(path):
            matches = sorted(glob.glob(os.path.expanduser(path), recursive=True))
            if not matches:
                yield _skip(shown(path), "no files match this pattern")
            for m in matches:
                yield from expand_path(m)
            return
        if p.is_dir():
            yield from _walk(p, path)
            return
        if not p.exists():
            yield _skip(shown(path), _missing(p))
            return
    except (OSError, ValueError) as e:  # a name too long for the system, a NUL byte (from the Python API) ...
        yield _skip(shown(path), f"cannot use this path: {getattr(e, 'strerror', None) or e}")
        return
    yield p


def _walk(p: Path, path: str) -> Iterator[Path | Skip]:
    """Every file under directory ``p``; a folder that cannot be listed is a Skip, not passed over."""
    found = False
    errors: list[OSError] = []
    for root, dirs, files in os.walk(p, onerror=errors.append):
        while errors:
            e = errors.pop(0)
            found = True
            yield _skip(shown(e.filename or root), f"cannot read the directory: {e.strerror or e}")
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in dirs:
            if (Path(root) / d).is_symlink():  # os.walk does not follow these: say so rather than pass them over
                found = True
                yield _skip(shown(Path(root) / d), "a symbolic link to a directory, not followed (name it directly to read it)")
        for name in sorted(files):
            if name.startswith("."):
                continue
            f = Path(root) / name
            found = True
            if f.is_symlink() and not f.exists():
                yield _skip(shown(f), _missing(f))
            elif _ext(f) not in EXTENSIONS:
                yield _skip(shown(f), f"unsupported file type {_ext(f) or '(no extension)'}; supported: {', '.join(EXTENSIONS)}")
            else:
                yield f
    for e in errors:  # the last folder's error comes after the walk's last step
        found = True
        yield _skip(shown(e.filename or p), f"cannot read the directory: {e.strerror or e}")
    if not found:
        yield _skip(shown(path), "the directory contains no files")


def read_path(path: str, settings: Settings) -> Iterator[RawInput | Skip]:
    """Every raw input a path (file, directory, glob, or ``-`` for stdin) holds, or a Skip for each problem."""
    if path == "-":
        yield from read_stream(sys.stdin.buffer, "-", settings)
        return
    for item in expand_path(path):
        if isinstance(item, Skip):
            yield item
        else:
            yield from _read_file(item, settings)


def read_stream(stream: BinaryIO, source: str, settings: Settings) -> Iterator[RawInput | Skip]:
    """Read a stream (stdin) up to ``settings.max_bytes``; its format is sniffed from the content."""
    data = stream.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        yield _skip(source, f"input larger than the limit of {settings.max_bytes:,} bytes (raise it with --max-bytes)")
        return
    if not data.strip():
        yield _skip(source, "empty input")
        return
    kind = sniff_kind(data)
    if kind in ("json", "jsonl"):
        yield from _split_json(data, source, kind)
    else:
        yield RawInput(source, "stdin", data, fields={"content_type": kind})


def _read_file(path: Path, settings: Settings) -> Iterator[RawInput | Skip]:
    src = shown(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            yield _skip(src, "not a regular file")
            return
        if size > settings.max_bytes:
            yield _skip(src, f"file is {size:,} bytes, larger than the limit of {settings.max_bytes:,} (raise it with --max-bytes)")
            return
        with path.open("rb") as fh:
            data = fh.read(settings.max_bytes + 1)
    except PermissionError:
        yield _skip(src, "cannot read the file: permission denied")
        return
    except OSError as e:
        if e.errno == errno.ELOOP:
            yield _skip(src, "a symbolic link loop (the link leads back to itself)")
        else:
            yield _skip(src, f"cannot read the file: {e.strerror or e}")
        return
    if len(data) > settings.max_bytes:
        yield _skip(src, f"file larger than the limit of {settings.max_bytes:,} bytes (raise it with --max-bytes)")
        return
    if not data.strip():
        yield _skip(src, "empty file")
        return
    fmt = EXTENSIONS.get(_ext(path), "sniff")
    if fmt == "sniff":
        fmt = sniff_kind(data)
    if fmt == "warc":
        yield from _read_warc(data, src, settings)
    elif fmt in ("json", "jsonl"):
        yield from _split_json(data, src, fmt)
    elif fmt == "feed":
        yield RawInput(src, "feed", data, fields={"content_type": "feed"})
    else:
        yield RawInput(src, fmt, data)  # type: ignore[arg-type]


def _split_json(data: bytes, src: str, fmt: str) -> Iterator[RawInput | Skip]:
    """One RawInput per JSON record: ``file:LINE`` for .jsonl, ``file#N`` for items of a JSON array."""
    if fmt == "jsonl":
        for no, line in enumerate(data.split(b"\n"), start=1):
            if line.strip():
                yield RawInput(f"{src}:{no}", "jsonl", line.strip())
        return
    try:
        text, _warning = decode_bytes(data)
        value = json.loads(text)
    except DecodeError as e:
        yield _skip(src, f"cannot read as text: {e}")
        return
    except ValueError as e:
        yield _skip(src, f"not valid JSON ({e})")
        return
    except RecursionError:
        yield _skip(src, "not usable JSON: nested too deeply")
        return
    if isinstance(value, dict):
        items = value.get("articles") if isinstance(value.get("articles"), list) else None
        if items is None:
            yield _json_item(src, value)
            return
        value = items
    if not isinstance(value, list):
        yield _skip(src, f"a JSON {type(value).__name__}; expected an object or an array of objects")
        return
    if not value:
        yield _skip(src, "the JSON array is empty")
    for i, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            yield _skip(f"{src}#{i}", f"item {i} is a JSON {type(item).__name__}, not an object")
            continue
        yield _json_item(f"{src}#{i}", item)


def _json_item(source: str, item: dict) -> RawInput | Skip:
    """One JSON object as its own input; a lone surrogate stays a ``\\uXXXX`` escape (extract replaces it)."""
    try:
        dumped = json.dumps(item, ensure_ascii=False)
    except RecursionError:
        return _skip(source, "not usable JSON: nested too deeply")
    return RawInput(source, "json", escape_surrogates(dumped).encode("utf-8"))


def _gzip_problem(data: bytes) -> str | None:
    """Why gzip ``data`` cannot be read to its end (cut short or damaged), or None. Streams, so memory stays flat."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            while gz.read(1 << 20):
                pass
    except EOFError:
        return "the file is cut short (its gzip data ends before the end marker; download it again)"
    except (OSError, zlib.error) as e:
        return f"its gzip data is damaged ({e})"
    return None


def _warc_records(data: bytes):
    """warcio's record iterator, made to accept a record with no WARC-Target-URI (warcio fails on one)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.recordloader import ArcWarcRecordLoader

    class _Loader(ArcWarcRecordLoader):
        def load_http_headers(self, rec_type, uri, stream, length):
            # No target URI: still read the HTTP message of a response (the URI only names the page).
            return super().load_http_headers(rec_type, uri or "http:", stream, length)

    it = ArchiveIterator(io.BytesIO(data))
    it.loader = _Loader(verify_http=False, arc2warc=False)  # ArchiveIterator's own defaults
    return it


def _read_warc(data: bytes, src: str, settings: Settings) -> Iterator[RawInput | Skip]:
    """HTML responses (and resource records) of a WARC file; other records are passed over.

    A record cut short (the file ends inside it) is a Skip, and a cut or damaged .warc.gz is
    reported after the complete records before the damage: never a silent partial article.
    """
    from warcio.exceptions import ArchiveLoadFailed

    damage = _gzip_problem(data) if data[:2] == b"\x1f\x8b" else None
    found = complete = 0
    try:
        for rec in _warc_records(data):
            if rec.rec_type not in ("response", "resource"):
                continue
            uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
            ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers else rec.rec_headers.get_header("Content-Type")) or ""
            if "html" not in ctype.lower():
                continue
            if rec.http_headers is not None and rec.http_headers.get_statuscode() not in (None, "200"):
                continue
            found += 1
            body = rec.content_stream().read(settings.max_bytes + 1)
            source = f"{src}#{uri or found}"
            if len(body) > settings.max_bytes:
                yield _skip(source, f"record larger than the limit of {settings.max_bytes:,} bytes")
                continue
            if getattr(rec.raw_stream, "limit", 0):  # bytes the record's Content-Length promised and the file lacks
                yield _skip(source, "the record is cut short (the file ends inside it; download the file again)")
                continue
            complete += 1
            fields = {"warc_date": rec.rec_headers.get_header("WARC-Date") or ""}
            if not uri:
                fields["note"] = "the WARC record has no WARC-Target-URI, so the page's address is unknown"
            yield RawInput(source, "warc", body, fields={k: v for k, v in fields.items() if v}, url=uri or None)
    except (ArchiveLoadFailed, ValueError, OSError, EOFError) as e:
        yield _skip(src, f"not a readable WARC file ({damage or e})")
        return
    if damage and not complete:
        yield _skip(src, f"not a readable WARC file: {damage}")
    elif damage:
        yield _skip(src, f"{damage}; the {complete} complete HTML record(s) before the damage were read")
    elif not found:
        yield _skip(src, "the WARC file holds no HTML responses")
