"""Benchmark the web app and API: p50/p95 latency under 20 concurrent clients on loopback.

For each size (10k and 100k articles by default) a synthetic store is written
with fast bulk inserts (articles, analyses with quotes and claims, incidents,
disputes, actors, stories, copies, quote clusters and the fusion maps; no
spaCy), then a real ``trucewatch serve`` is started on 127.0.0.1 and 20
asyncio clients (aiohttp, whose C parser keeps the load generator's own CPU
use low: it shares the machine with the server) send requests to the main endpoints and pages, with
random ids, offsets and filters, until each endpoint got ``--requests``
answers or ``--seconds`` passed. Clients send the next request as soon as the
last one is answered (closed loop, no think time: the harshest reading). A
first pass with one client (``--single``) gives the service time without
queueing. The machine's load average, and the CPU used by the server and by
the clients, are printed: on a shared machine other jobs' CPU use shows up
directly in these latencies.

    .venv/bin/python bench/api.py                       # 10k and 100k
    .venv/bin/python bench/api.py --sizes 10000 --requests 100
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from trucewatch.settings import Settings  # noqa: E402
from trucewatch.store import open_store  # noqa: E402
from trucewatch.store import tables as t  # noqa: E402

TYPES = ["shelling", "airstrike", "armed_clash", "attack", "explosion", "talks", "ceasefire", "cross_border_fire"]
WORDS = ("border post village ridge river road convoy camp market bridge hill checkpoint valley station depot "
         "artillery rockets drones mortars patrol unit brigade militia troops police residents officials observers "
         "night morning evening heavy sporadic intense brief renewed sudden fresh prolonged ceasefire talks shelling "
         "killed wounded displaced said warned denied accused claimed confirmed").split()
SYL = "ka lo mi ra ten vo sa du bel ri an po ze tor li mon var os el ni ga fu".split()
_V = random.Random(1)
# A wide vocabulary beside the common words, so full-text search sees both rare and frequent terms.
VOCAB = sorted({"".join(_V.choice(SYL) for _ in range(2 + i % 3)) for i in range(20000)})


def _day(i: int) -> str:
    import datetime

    return (datetime.date(2022, 1, 1) + datetime.timedelta(days=i % 1000)).isoformat()


def build(path: Path, n: int, seed: int = 7) -> dict:
    """Write a synthetic store of ``n`` articles at ``path``; return ids the clients draw from."""
    rng = random.Random(seed)
    settings = Settings.from_env(env={}, db=str(path))
    store = open_store(settings)
    outlets = [f"{rng.choice(SYL).title()}{rng.choice(SYL)} {rng.choice(['Times', 'Post', 'Wire', 'Herald', 'Daily'])}"
               for _ in range(40)]
    places = [("".join(rng.choice(SYL) for _ in range(3)).title(), rng.uniform(-30, 50), rng.uniform(-20, 120))
              for _ in range(400)]
    speakers = ["".join(rng.choice(SYL) for _ in range(2)).title() + " " + "".join(rng.choice(SYL) for _ in range(3)).title()
                for _ in range(max(50, n // 100))]
    n_stories, n_incidents, n_actors = max(5, n // 200), n // 5, max(50, n // 50)
    articles, analyses = [], []
    art_ids = [f"a{i:08x}" for i in range(n)]
    claim_ids: list[list[str]] = []
    quote_ids: list[list[str]] = []
    started = time.perf_counter()
    for i, aid in enumerate(art_ids):
        words = [rng.choice(WORDS) for _ in range(30)] + [rng.choice(VOCAB) for _ in range(60)]
        rng.shuffle(words)
        text = " ".join(words) + "."
        pub = _day(i * 1000 // n)
        articles.append(dict(
            id=aid, raw_sha256=f"{i:064x}", title=" ".join(rng.choice(WORDS) for _ in range(7)).capitalize(),
            outlet=outlets[i % len(outlets)], url=f"https://example.org/{aid}", source_path=None, dateline=None,
            published=pub, published_inferred=False, published_origin="metadata", published_precision="day",
            published_start=None, published_end=None, language="en", fmt="txt", text=text,
            debris_json="[]", warnings_json="[]", ingested_at=None,
        ))
        qs = [{"id": f"q{i:08x}{k}", "article_id": aid, "text": text[10 * k: 10 * k + 60], "speaker": rng.choice(speakers),
               "speaker_actor_id": None, "cue": "said", "direct": True, "start": 10 * k, "end": 10 * k + 60,
               "speaker_start": None, "speaker_end": None} for k in range(2)]
        cs = [{"id": f"c{i:08x}{k}", "article_id": aid, "value": rng.randint(1, 40), "low": None, "high": None,
               "original": "12", "category": rng.choice(["killed", "injured", "displaced"]), "counted": "people",
               "predicate": "killed", "side": None, "claimant": rng.choice(speakers), "claimant_actor_id": None,
               "hedge": None, "start": 100 + k, "end": 102 + k, "event_id": None} for k in range(2)]
        quote_ids.append([q["id"] for q in qs])
        claim_ids.append([c["id"] for c in cs])
        analyses.append(dict(article_id=aid, pipeline_version="bench", analyzed_at=None,
                             data_json=json.dumps({"article_id": aid, "pipeline_version": "bench", "quotes": qs,
                                                   "claims": cs, "actors": [], "events": [], "times": [],
                                                   "places": [], "aliases": []})))
    import datetime as _dt

    now = _dt.datetime.now(_dt.timezone.utc)
    for a in articles:
        a["ingested_at"] = now
    for a in analyses:
        a["analyzed_at"] = now
    with store.engine.begin() as conn:
        for k in range(0, n, 5000):
            conn.execute(t.article.insert(), articles[k:k + 5000])
        for k in range(0, n, 5000):
            conn.execute(t.analysis.insert(), analyses[k:k + 5000])
    t_articles = time.perf_counter() - started
    actors = [{"id": f"actor{j:05d}", "name": speakers[j % len(speakers)] + f" {j}", "kind": "person",
               "aliases": [], "roles": [], "country": None, "member_ids": [],
               "article_ids": sorted(rng.sample(art_ids, 5))} for j in range(n_actors)]
    story_of = {}
    incidents, claim_incident = [], {}
    for j in range(n_incidents):
        members = sorted(set(rng.sample(range(n), rng.randint(2, 6))))
        day = members[0] * 1000 // n
        place = rng.choice(places)
        cids = [claim_ids[m][0] for m in members]
        for c in cids:
            claim_incident[c] = f"in{j:07x}"
        story = f"st{j % n_stories:05d}"
        for m in members:
            story_of.setdefault(story, set()).add(art_ids[m])
        incidents.append({
            "id": f"in{j:07x}", "type": rng.choice(TYPES), "date_start": _day(day), "date_end": _day(day),
            "date_precision": "day",
            "places": [{"name": place[0], "resolved_name": place[0], "country": "Arland", "country_code": "AR",
                        "admin1": None, "lat": place[1], "lon": place[2], "feature": "city", "gazetteer_id": None,
                        "start": 0, "end": 0, "reason": None}],
            "actor_ids": sorted({actors[rng.randrange(n_actors)]["id"] for _ in range(2)}), "acting": [], "target": [],
            "article_ids": [art_ids[m] for m in members],
            "mentions": [{"article_id": art_ids[m], "event_id": f"e{m}", "start": 0, "end": 20} for m in members],
            "independent_sources": len(members), "corroboration": "corroborated",
            "casualties": [{"category": "killed", "side": None, "counted": "people", "low": 3, "best": 5, "high": 9,
                            "acled": 3, "claim_ids": cids, "claimants": []}],
            "follows_from": [f"in{j - 1:07x}"] if j and j % 7 == 0 else [], "story_id": story,
            "summary": " ".join(rng.choice(WORDS) for _ in range(14)),
        })
    disputes = [{"id": f"d{j:06x}", "kind": "figure", "summary": "figures differ", "incident_id": incidents[j * 10]["id"],
                 "quote_cluster_id": None,
                 "sides": [{"value": str(v), "claimant": rng.choice(speakers), "article_ids": incidents[j * 10]["article_ids"][:2],
                            "spans": []} for v in (4, 9)]} for j in range(len(incidents) // 10)]
    stories = [{"id": s, "title": f"Story {s}", "article_ids": sorted(a), "incident_ids": []} for s, a in story_of.items()]
    by_story: dict[str, list[str]] = {}
    for inc in incidents:
        by_story.setdefault(inc["story_id"], []).append(inc["id"])
    for s in stories:
        s["incident_ids"] = by_story.get(s["id"], [])
    copies = [{"id": f"cp{j:06x}", "article_ids": sorted([art_ids[j * 3], art_ids[j * 3 + 1]]), "original_id": art_ids[j * 3],
               "reason": "near-duplicate text"} for j in range(n // 100)]
    clusters = [{"id": f"qc{j:07x}", "text": "words", "quote_ids": [quote_ids[j * 2][0], quote_ids[j * 2 + 1][0]],
                 "article_ids": [art_ids[j * 2], art_ids[j * 2 + 1]], "speakers": [speakers[j % len(speakers)]],
                 "independent_sources": 2} for j in range(n // 10)]
    quote_cluster = {q: c["id"] for c in clusters for q in c["quote_ids"]}
    started = time.perf_counter()
    for kind, recs in (("actor", actors), ("incident", incidents), ("dispute", disputes), ("story", stories),
                       ("copy", copies), ("quote_cluster", clusters),
                       ("fusion_map", [{"id": "claim_incident", "map": claim_incident},
                                       {"id": "quote_cluster", "map": quote_cluster},
                                       {"id": "actor_canonical", "map": {}}])):
        store.replace_fused(kind, recs)
    t_fused = time.perf_counter() - started
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    store.close()
    print(f"  store: {n} articles, {len(incidents)} incidents, {len(disputes)} disputes, {2 * n} quotes, {2 * n} claims;"
          f" articles+analyses {t_articles:.1f}s, fused records {t_fused:.1f}s, {path.stat().st_size / 1e6:.0f} MB")
    return {"articles": art_ids, "incidents": [i["id"] for i in incidents], "actors": [a["id"] for a in actors],
            "places": [p[0] for p in places], "outlets": outlets, "speakers": speakers, "stories": list(story_of),
            "types": TYPES}


def ids_from_store(db: Path) -> dict:
    """What the clients draw from, read back from a kept synthetic store."""
    import sqlite3

    con = sqlite3.connect(db)
    col = lambda sql: [r[0] for r in con.execute(sql)]  # noqa: E731
    ids = {
        "articles": col("SELECT id FROM article"),
        "incidents": col("SELECT id FROM fused_record WHERE kind = 'incident'"),
        "actors": col("SELECT id FROM fused_record WHERE kind = 'actor'"),
        "places": col("SELECT DISTINCT value FROM record_facet WHERE kind = 'incident' AND facet = 'place' LIMIT 400"),
        "outlets": col("SELECT DISTINCT outlet FROM article"),
        "speakers": col("SELECT DISTINCT label FROM article_item WHERE kind = 'quote' LIMIT 2000"),
        "stories": col("SELECT id FROM fused_record WHERE kind = 'story'"),
        "types": TYPES,
    }
    con.close()
    return ids


def endpoints(ids: dict, rng: random.Random):
    """(name, function returning a path) for the main endpoints and pages."""
    r = rng
    day = lambda: f"2022-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"  # noqa: E731
    return [
        ("api incidents page", lambda: f"/api/incidents?limit=50&offset={r.randrange(0, len(ids['incidents']))}"),
        ("api incidents filtered", lambda: f"/api/incidents?type={r.choice(ids['types'])}&since={day()}&place={r.choice(ids['places'])}"),
        ("api incidents by actor", lambda: f"/api/incidents?actor={r.choice(ids['actors'])}&order=-date"),
        ("api incidents by outlet", lambda: f"/api/incidents?outlet={r.choice(ids['outlets'])}&limit=20&offset={r.randrange(0, 500)}"),
        ("api incident", lambda: f"/api/incidents/{r.choice(ids['incidents'])}"),
        ("api articles page", lambda: f"/api/articles?limit=50&offset={r.randrange(0, len(ids['articles']))}"),
        ("api articles filtered", lambda: f"/api/articles?outlet={r.choice(ids['outlets'])}&since={day()}&limit=20"),
        ("api articles in story", lambda: f"/api/articles?story={r.choice(ids['stories'])}&text=false"),
        ("api disputes", lambda: f"/api/disputes?limit=50&offset={r.randrange(0, max(1, len(ids['incidents']) // 10))}"),
        ("api quotes by speaker", lambda: f"/api/quotes?speaker={r.choice(ids['speakers'])}&limit=20"),
        ("api claims of incident", lambda: f"/api/claims?incident={r.choice(ids['incidents'])}"),
        ("api search", lambda: f"/api/search?q={r.choice(VOCAB)}+{r.choice(WORDS) if r.random() < 0.5 else ''}&limit=20"),
        ("page overview", lambda: "/"),
        ("page incidents", lambda: f"/incidents?offset={r.randrange(0, len(ids['incidents']))}"),
        ("page incident", lambda: f"/incidents/{r.choice(ids['incidents'])}"),
        ("page article", lambda: f"/articles/{r.choice(ids['articles'])}"),
        ("page disputes", lambda: "/disputes"),
        ("page timeline (story)", lambda: f"/timeline?story={r.choice(ids['stories'])}"),
        ("page map (story)", lambda: f"/map?story={r.choice(ids['stories'])}"),
        ("page search", lambda: f"/search?q={r.choice(VOCAB) if r.random() < 0.5 else r.choice(WORDS)}"),
    ]


async def load(base: str, ids: dict, clients: int, per_endpoint: int, seconds: float) -> dict[str, list[float]]:
    """Send the requests from ``clients`` concurrent clients (aiohttp: its C parser keeps the load
    generator's own CPU use low, which matters when it shares the machine with the server)."""
    import aiohttp

    rng = random.Random(11)
    eps = endpoints(ids, rng)
    times: dict[str, list[float]] = {name: [] for name, _ in eps}
    errors: dict[str, int] = {}
    queue = [name for name, _ in eps for _ in range(per_endpoint)]
    rng.shuffle(queue)
    makers = dict(eps)
    deadline = time.perf_counter() + seconds

    async def get(session, path: str) -> int:
        async with session.get(path) as r:
            await r.read()
            return r.status

    async def client(session):
        while queue and time.perf_counter() < deadline:
            name = queue.pop()
            path = makers[name]()
            t0 = time.perf_counter()
            try:
                status = await get(session, path)
            except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError):
                # The server closed an idle keep-alive connection as it was reused: send again.
                t0 = time.perf_counter()
                status = await get(session, path)
            dt = time.perf_counter() - t0
            if status != 200:
                errors[name] = errors.get(name, 0) + 1
            times[name].append(dt * 1000)

    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(base_url=base, connector=connector, timeout=timeout) as session:
        for name, make in eps:  # warm up each endpoint once (first-use imports, template compiles)
            await get(session, make())
        await asyncio.gather(*(client(session) for _ in range(clients)))
    if errors:
        print(f"  non-200 answers: {errors}")
    return times


def serve(db: Path, workers: int = 1) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("trucewatch")
    proc = subprocess.Popen([str(exe), "--db", str(db), "serve", "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TRUCEWATCH_DB": ""})
    import httpx

    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/api/stats", timeout=2)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start: " + proc.stderr.read())


def _cpu_seconds(proc: subprocess.Popen) -> float:
    """User + system CPU seconds of the server process and its worker processes so far."""
    import psutil

    root = psutil.Process(proc.pid)
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def report(size: int, times: dict[str, list[float]], wall: float) -> None:
    total = sum(len(v) for v in times.values())
    print(f"  {total} requests in {wall:.1f}s ({total / wall:.0f} req/s), latency in ms:")
    print(f"  {'endpoint':<26} {'n':>5} {'p50':>8} {'p95':>8} {'max':>8}")
    worst = 0.0
    for name, v in times.items():
        if not v:
            continue
        v = sorted(v)
        p50, p95 = statistics.median(v), v[min(len(v) - 1, int(0.95 * len(v)))]
        worst = max(worst, p95)
        print(f"  {name:<26} {len(v):>5} {p50:>8.1f} {p95:>8.1f} {v[-1]:>8.1f}")
    print(f"  worst p95 at {size}: {worst:.1f} ms (target <= 50 ms); load average now {os.getloadavg()[0]:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=150, help="requests per endpoint")
    ap.add_argument("--seconds", type=float, default=120, help="time limit of the load phase per size")
    ap.add_argument("--keep", metavar="DIR", help="keep the synthetic stores in DIR (reused when present)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="server processes (trucewatch serve --workers); default one per CPU, as docs/web.md advises")
    ap.add_argument("--single", type=int, default=30, metavar="N",
                    help="first measure N requests per endpoint from one client (0: skip)")
    args = ap.parse_args()
    print(f"bench/api.py: {args.clients} concurrent clients, up to {args.requests} requests per endpoint, "
          f"{args.workers} server process(es), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"\n{size} articles")
            db = folder / f"api-{size}.db"
            if args.keep and db.exists():
                ids = ids_from_store(db)
                print(f"  reusing {db} ({len(ids['articles'])} articles)")
            else:
                if db.exists():
                    db.unlink()
                ids = build(db, size)
            proc, base = serve(db, args.workers)
            try:
                if args.single:
                    # One client, one request at a time: the service time, without queueing.
                    print("  1 client (service time):")
                    t0 = time.perf_counter()
                    times = asyncio.run(load(base, ids, 1, args.single, args.seconds))
                    report(size, times, time.perf_counter() - t0)
                print(f"  {args.clients} concurrent clients:")
                server_cpu = _cpu_seconds(proc)
                client_cpu = time.process_time()
                t0 = time.perf_counter()
                times = asyncio.run(load(base, ids, args.clients, args.requests, args.seconds))
                wall = time.perf_counter() - t0
                report(size, times, wall)
                total = sum(len(v) for v in times.values())
                server_cpu = _cpu_seconds(proc) - server_cpu
                print(f"  CPU during the load: server {server_cpu / wall:.2f} cores "
                      f"({server_cpu / max(1, total) * 1000:.1f} ms per request), "
                      f"clients {(time.process_time() - client_cpu) / wall:.2f} cores")
            finally:
                proc.terminate()
                proc.wait(timeout=10)


if __name__ == "__main__":
    main()
