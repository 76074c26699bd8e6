"""A real HTTP server on 127.0.0.1 for the watch tests: a feed whose items change between rounds,
a source that fails until it is fixed, and a webhook receiver that answers 500 to each first try."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "sample-corpus"
#: The sample corpus articles the feed can list (the .jsonl export is not a page).
ARTICLES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".html"))


class WatchServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.items: list[str] = []  # article file names the feed lists, newest last
        self.broken = True  # /broken.rss answers 500 while True
        self.flaky = True  # /flaky/NAME answers 503 while True, then serves the article NAME
        self.hits: Counter = Counter()  # path -> GET requests
        self.conditional: list[tuple[str, str | None]] = []  # (path, If-None-Match) per feed request
        self.posts: list[str] = []  # alert ids of every webhook POST
        self.accepted: list[dict] = []  # alerts the receiver stored (once each)
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def feed(self) -> bytes:
        entries = "".join(
            f"<item><title>{name}</title><link>{self.base}/a/{name}</link><guid>{self.base}/a/{name}</guid></item>"
            for name in reversed(self.items))
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title></title>'
                f"<link>{self.base}/</link><description>test feed</description>{entries}</channel></rss>").encode()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: WatchServer

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/plain", headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        s = self.server
        with s.lock:
            s.hits[self.path] += 1
        if self.path == "/feed.rss":
            body = s.feed()
            etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
            asked = self.headers.get("If-None-Match")
            s.conditional.append((self.path, asked))
            if asked == etag:
                self._send(304, headers={"ETag": etag})
            else:
                self._send(200, body, "application/rss+xml", {"ETag": etag})
        elif self.path == "/broken.rss":
            if s.broken:
                self._send(500, b"down for maintenance")
            else:
                self._send(200, b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>',
                           "application/rss+xml")
        elif self.path.startswith("/flaky/") and (CORPUS / self.path[7:]).is_file():
            if s.flaky:
                self._send(503, b"busy")
            else:
                self._send(200, (CORPUS / self.path[7:]).read_bytes(), "text/plain; charset=utf-8")
        elif self.path.startswith("/a/") and (CORPUS / self.path[3:]).is_file():
            name = self.path[3:]
            ctype = "text/html; charset=utf-8" if name.endswith(".html") else "text/plain; charset=utf-8"
            self._send(200, (CORPUS / name).read_bytes(), ctype)
        else:
            self._send(404, b"not here")

    def do_POST(self):  # noqa: N802
        s = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("Idempotency-Key") or ""
        with s.lock:
            first_try = key not in s.posts
            s.posts.append(key)
            if not first_try and key not in {a["id"] for a in s.accepted}:
                s.accepted.append(json.loads(body))
        self._send(500 if first_try else 200, b"try again" if first_try else b"ok")
