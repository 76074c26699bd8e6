"""Benchmark one ``watch`` round: F feeds of N items each on a loopback server, K of them new.

A first round reads every item (F x N generated articles: fetch, ingest, analyze, fuse; its time is
printed too). Then, measured: a round in which K feeds each list one new item (conditional GETs,
F - K answers 304, K article fetches, ingest, analyze, incremental fusion, change detection), and,
as the baseline in the same run, a round in which nothing changed (F answers 304). Prints each
round's seconds, the ratio between the two, and peak memory (ru_maxrss).

    .venv/bin/python bench/watch.py                 # 50 feeds x 20 items, 5 new
    .venv/bin/python bench/watch.py -f 10 -n 10 -k 2
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from trucewatch import pipeline  # noqa: E402
from trucewatch.settings import Settings  # noqa: E402
from trucewatch.store import open_store  # noqa: E402

TOWNS = "Veldor Kastamar Miraval Tessel Orvane Lirsk Pellam Durosk Hanvik Sorrel Ambra Quell".split()
SIDES = ["Northland", "Southmark"]
OUTLETS = ["Northern Ledger", "Coastal Courier", "River Wire", "Valley Gazette", "Harbour Radio"]


def article(rng: random.Random, feed: int, item: int) -> bytes:
    a, b = rng.sample(TOWNS, 2)
    side, other = rng.sample(SIDES, 2)
    day = rng.randint(1, 28)
    n = rng.randint(1, 9)
    text = (f"{OUTLETS[feed % len(OUTLETS)]}\n\n{a.upper()}, March {day} - {side} accused {other} troops of shelling a "
            f"border post near {a} on Tuesday, wounding {n} soldiers, officials said in report {feed}-{item}. "
            f"{other} denied firing and said its forces near {b} had only answered fire. "
            f"Residents of {a} said the exchange lasted about an hour before the guns fell silent.")
    return text.encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, feeds: int, items: int):
        super().__init__(("127.0.0.1", 0), Handler)
        rng = random.Random(7)
        self.count = [items] * feeds
        self.bodies = {(f, i): article(rng, f, i) for f in range(feeds) for i in range(items + 1)}
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def feed(self, f: int) -> bytes:
        base = f"http://127.0.0.1:{self.server_port}"
        items = "".join(f"<item><title>Report {f}-{i}</title><link>{base}/a/{f}/{i}</link><guid>{base}/a/{f}/{i}</guid></item>"
                        for i in range(self.count[f]))
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title></title><link>{base}/</link>'
                f"<description>bench</description>{items}</channel></rss>").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        parts = self.path.strip("/").split("/")
        if parts[0] == "feed":
            body = self.server.feed(int(parts[1]))
            etag = f'"{len(body)}-{self.server.count[int(parts[1])]}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            ctype, headers = "application/rss+xml", {"ETag": etag}
        else:
            body, ctype, headers = self.server.bodies[(int(parts[1]), int(parts[2]))], "text/plain; charset=utf-8", {}
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-f", "--feeds", type=int, default=50)
    ap.add_argument("-n", "--items", type=int, default=20)
    ap.add_argument("-k", "--new", type=int, default=5)
    args = ap.parse_args()
    server = Server(args.feeds, args.items)
    sources = [f"http://127.0.0.1:{server.server_port}/feed/{f}" for f in range(args.feeds)]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(env={}, db=str(Path(tmp) / "bench.db"), allow_private=True, watch_host_delay=0.0)
        store = open_store(settings)
        resources: dict = {}

        def timed(label: str):
            t = time.perf_counter()
            r = pipeline.watch_round(sources, settings, store, resources=resources)
            s = time.perf_counter() - t
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{label:<34} {s:8.2f} s   {r.line()}   peak RSS {rss:.0f} MiB")
            print(f"{'':<34} phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in r.seconds.items()))
            return s

        timed(f"first round ({args.feeds}x{args.items} items)")
        idle = timed("baseline: nothing new (all 304)")
        for f in range(args.new):
            server.count[f] += 1
        busy = timed(f"round with {args.new} new item(s)")
        print(f"ratio new/idle: {busy / idle:.1f}x  ({args.feeds} feeds, {args.new} new articles)")
        store.close()
    server.shutdown()


if __name__ == "__main__":
    main()
