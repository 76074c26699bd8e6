"""URLs and RSS/Atom feeds against a real HTTP server on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from trucewatch import pipeline
from trucewatch.ingest import fetch_url, make_client, refused_address
from trucewatch.records import RawInput, Skip

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ARTICLE = (FIXTURES / "article.html").read_bytes()
PLAIN = (FIXTURES / "undated.txt").read_bytes()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen_agents: list[str] = []

    def log_message(self, *args):  # keep pytest output quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        base = f"http://127.0.0.1:{self.server.server_port}"
        path = self.path
        if path == "/article.html":
            self._send(200, ARTICLE)
        elif path == "/plain.txt":
            self._send(200, PLAIN, "text/plain; charset=utf-8")
        elif path == "/redirect":
            self._send(302, b"", headers={"Location": "/article.html"})
        elif path == "/loop":
            self._send(302, b"", headers={"Location": "/loop"})
        elif path == "/missing":
            self._send(404, b"not here")
        elif path == "/declared-big":
            self._send(200, b"x" * 5000)
        elif path == "/streamed-big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(20):
                chunk = b"<p>" + b"y" * 1000 + b"</p>"
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/slow":
            time.sleep(2)
            self._send(200, ARTICLE)
        elif path == "/feed.rss":
            body = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Northern Ledger</title><link>{base}/</link><description>news</description>
<item><title>Bridge toll dispute closes Veldor crossing</title><link>{base}/article.html</link>
<pubDate>Thu, 02 May 2024 08:15:00 GMT</pubDate></item>
<item><title>Ferry crews return after strike</title><pubDate>Sat, 06 Jul 2024 10:00:00 GMT</pubDate>
<description>Ferry crews in Port Elara went back to work on Saturday after a week-long strike over rota changes, the operator said, and the first crossings of the day left on time from both landings.</description></item>
<item><title>Gone</title><link>{base}/missing</link></item>
</channel></rss>""".encode()
            self._send(200, body, "application/rss+xml")
        elif path == "/atom.xml":
            body = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>River Wire</title><id>urn:x</id><updated>2024-06-03T00:00:00Z</updated>
<entry><title>Plain report</title><id>urn:1</id><updated>2024-06-03T00:00:00Z</updated><link href="{base}/plain.txt"/></entry>
</feed>""".encode()
            self._send(200, body, "application/atom+xml")
        else:
            self._send(404, b"unknown")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that hangs up early is expected here
        pass


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def open_settings(settings):
    return settings.replace(allow_private=True, timeout=5.0)


@pytest.fixture
def client():
    with httpx.Client() as c:
        yield c


def test_url_html_page(server, open_settings, store, client):
    report = pipeline.ingest([f"{server}/article.html"], open_settings, store, client=client)
    assert len(report.added) == 1, report.skipped
    a = store.article(report.added_ids[0])
    assert a.fmt == "url" and a.title == "Bridge toll dispute closes Veldor crossing"
    assert a.outlet == "Northern Ledger" and a.published == "2024-05-02"
    assert a.source_path == f"{server}/article.html"
    assert Handler.seen_agents[-1] == open_settings.user_agent


def test_url_plain_text_and_outlet_from_domain(server, open_settings, store):
    report = pipeline.ingest([f"{server}/plain.txt"], open_settings, store)
    a = store.article(report.added_ids[0])
    assert a.title == "Talks on the sandbank line adjourn without a date"
    assert a.outlet == "127.0.0.1"  # no outlet in the text: the URL host
    report = pipeline.ingest([f"{server}/plain.txt"], open_settings, store, outlet="River Wire")
    assert report.duplicates  # same bytes, whatever the outlet


def test_redirect_is_followed_and_final_url_kept(server, open_settings, client):
    raw = fetch_url(f"{server}/redirect", client, open_settings)
    assert isinstance(raw, RawInput)
    assert raw.url == f"{server}/article.html" and raw.source == f"{server}/redirect"


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/missing", "HTTP 404 Not Found"),
        ("/loop", "more than 10 redirects"),
        ("/declared-big", "response is 5,000 bytes, larger than the limit of 4,000"),
        ("/streamed-big", "download stopped: larger than the limit of 4,000 bytes"),
    ],
    ids=["404", "redirect-loop", "content-length-cap", "streaming-cap"],
)
def test_url_failures_are_skips(server, open_settings, client, path, reason):
    got = fetch_url(f"{server}{path}", client, open_settings.replace(max_bytes=4000))
    assert isinstance(got, Skip) and got.reason == reason


def test_timeout(server, open_settings, client):
    got = fetch_url(f"{server}/slow", client, open_settings.replace(timeout=0.5))
    assert isinstance(got, Skip) and got.reason.startswith("unreachable: timed out after 0.5 s")


def test_unreachable_port(open_settings, client):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    got = fetch_url(f"http://127.0.0.1:{port}/x", client, open_settings)
    assert isinstance(got, Skip) and got.reason.startswith("unreachable: ConnectError")


def test_loopback_is_refused_by_default(server, settings, store):
    assert settings.allow_private is False
    report = pipeline.ingest([f"{server}/article.html", "http://localhost:9/x"], settings, store)
    assert not report.added
    for skip in report.skipped:
        assert skip.reason.startswith("refused: ") and "allow_private setting" in skip.reason and "--" not in skip.reason


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254", "::1", "fe80::1", "0.0.0.0", "100.64.0.1"])
def test_non_public_addresses_are_refused(ip):
    assert refused_address(ip, 80).startswith("refused: ")


@pytest.mark.parametrize("ip", ["93.184.215.14", "2606:4700::6810:85e5"])
def test_public_addresses_pass(ip):
    assert refused_address(ip, 80) is None


def test_unsupported_scheme(open_settings, client):
    got = fetch_url("ftp://example.org/file.txt", client, open_settings)
    assert isinstance(got, Skip) and "unsupported URL scheme 'ftp'" in got.reason


def test_rss_feed_links_fetched_and_linkless_item_used_as_is(server, open_settings, store):
    report = pipeline.ingest([f"{server}/feed.rss"], open_settings, store)
    assert len(report.added) == 2, report.skipped
    assert [s.reason for s in report.skipped] == ["HTTP 404 Not Found"]
    by_title = {a.title: a for a in store.articles()}
    linked = by_title["Bridge toll dispute closes Veldor crossing"]
    assert linked.url == f"{server}/article.html" and linked.fmt == "url"
    inline = by_title["Ferry crews return after strike"]
    assert inline.fmt == "feed" and inline.published == "2024-07-06" and inline.outlet == "Northern Ledger"


def test_atom_feed_file_fetches_links(server, open_settings, store, tmp_path):
    feed = tmp_path / "river.atom"
    feed.write_bytes(httpx.get(f"{server}/atom.xml").content)
    report = pipeline.ingest([str(feed)], open_settings, store)
    assert len(report.added) == 1, report.skipped
    a = store.article(report.added_ids[0])
    assert a.url == f"{server}/plain.txt" and a.outlet == "River Wire"


def test_feed_item_with_refused_link_falls_back_to_its_content(server, settings, store, tmp_path):
    # Default settings refuse loopback: the feed file's links cannot be fetched, so an item
    # with enough content of its own is used as is (with a warning) and the others are skipped.
    feed = tmp_path / "ledger.rss"
    feed.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Northern Ledger</title>
<item><title>Lock keepers agree new shifts</title><link>{server}/article.html</link>
<description>Lock keepers on the Kastamar canal agreed on Monday to a new shift pattern that keeps every lock open until ten at night during the harvest, the canal authority said in a statement.</description></item>
<item><title>Linked only</title><link>{server}/plain.txt</link></item>
</channel></rss>""")
    report = pipeline.ingest([str(feed)], settings, store)
    assert len(report.added) == 1
    a = store.article(report.added_ids[0])
    assert a.title == "Lock keepers agree new shifts" and a.fmt == "feed"
    assert any(w.startswith("item link not used: refused: ") for w in a.warnings)
    assert [s.source for s in report.skipped] == [f"{server}/plain.txt"]
    assert report.skipped[0].reason.startswith("refused: ")


# ---------------------------------------------------------------------- DNS rebinding


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.seen.append((self.path, self.headers.get("Host")))
        if self.path in ("/hop", "/inside"):  # a redirect to another rebinding name
            host = "hop" if self.path == "/hop" else "inside"
            body, status, extra = b"", 302, {"Location": f"http://{host}.rebind.test:{self.server.server_port}/article.html"}
        else:
            body, status, extra = ARTICLE if self.server.name == "public" else b"<p>internal secrets</p>", 200, {}
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def rebinding(monkeypatch):
    """Two servers on one port: 127.0.0.2 plays a public site, 127.0.0.1 an internal one. Names under
    ``.rebind.test`` answer the public address to their first lookup and the internal one after that."""
    servers = {}
    public = QuietServer(("127.0.0.2", 0), _Recorder)
    port = public.server_port
    internal = QuietServer(("127.0.0.1", port), _Recorder)
    for name, srv in (("public", public), ("internal", internal)):
        srv.name, srv.seen = name, []
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers[name] = srv
    real = socket.getaddrinfo
    looked_up: dict[str, int] = {}

    def rebinding_dns(host, port_, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".rebind.test"):
            looked_up[host] = looked_up.get(host, 0) + 1
            ip = "127.0.0.2" if looked_up[host] == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, port_ or 80))]
        return real(host, port_, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    # For this test 127.0.0.2 counts as public and 127.0.0.1 as private.
    import trucewatch.ingest.web as web

    monkeypatch.setattr(web, "_non_public", lambda ip: str(ip) != "127.0.0.2", raising=False)
    yield {"port": port, **servers, "looked_up": looked_up}
    for srv in servers.values():
        srv.shutdown()
        srv.server_close()


def test_connection_goes_to_the_checked_address_on_every_hop(rebinding, settings, store):
    port = rebinding["port"]
    report = pipeline.ingest([f"http://news.rebind.test:{port}/hop"], settings.replace(timeout=5.0), store)
    assert len(report.added) == 1, report.skipped
    a = store.article(report.added_ids[0])
    assert a.title == "Bridge toll dispute closes Veldor crossing"  # the public server's page
    assert a.url == f"http://hop.rebind.test:{port}/article.html"
    assert rebinding["internal"].seen == []  # no connection followed the second answers
    assert rebinding["public"].seen == [("/hop", f"news.rebind.test:{port}"), ("/article.html", f"hop.rebind.test:{port}")]
    assert rebinding["looked_up"] == {"news.rebind.test": 1, "hop.rebind.test": 1}


def test_a_redirect_to_a_private_address_is_refused_without_connecting(rebinding, settings, store):
    port = rebinding["port"]
    rebinding["looked_up"]["inside.rebind.test"] = 1  # its next answer is the internal address
    report = pipeline.ingest([f"http://news.rebind.test:{port}/inside"], settings.replace(timeout=5.0), store)
    assert not report.added
    reason = report.skipped[0].reason
    assert reason.startswith("refused: inside.rebind.test resolves to the non-public address 127.0.0.1")
    assert reason.endswith(f"(redirected to http://inside.rebind.test:{port}/article.html)")
    assert rebinding["internal"].seen == [] and [p for p, _ in rebinding["public"].seen] == ["/inside"]


def test_tls_through_the_pinned_address_keeps_sni_and_the_certificate_check(rebinding, settings, store, tmp_path, monkeypatch):
    import ssl
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(key),
                    "-out", str(cert), "-subj", "/CN=tls.rebind.test", "-addext", "subjectAltName=DNS:tls.rebind.test"],
                   check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this one certificate
    names: list[str | None] = []
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.sni_callback = lambda sock, name, _ctx: names.append(name)
    srv = rebinding["public"]
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    port = rebinding["port"]
    got = fetch_url(f"https://tls.rebind.test:{port}/article.html", make_client(settings),
                    settings.replace(timeout=5.0))
    assert isinstance(got, RawInput), got
    assert b"Veldor" in got.data and names == ["tls.rebind.test"]
    assert srv.seen == [("/article.html", f"tls.rebind.test:{port}")]
    # A name the certificate does not cover fails the check, pinned address or not.
    got = fetch_url(f"https://other.rebind.test:{port}/article.html", make_client(settings),
                    settings.replace(timeout=5.0))
    assert isinstance(got, Skip) and "CERTIFICATE_VERIFY_FAILED" in got.reason
