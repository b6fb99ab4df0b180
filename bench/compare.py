"""`make bench`: Coalition under gunicorn, side by side with a hello-world and a bare Flask+SQL page.

    .venv/bin/python bench/compare.py [--database postgresql|sqlite] [--scales 0.1,1] [--rounds 3] [--duration 3]

For each scale (smallest first) it prepares a database (PostgreSQL: `coalition_bench` at scale 1, else
`coalition_bench_s<scale>`, created if missing, trust auth as postgres; SQLite: bench/bench[_s<scale>].db), runs the
migrations and seeds `flask seed-bench --scale N` only when the benchmark coalition is missing. Then it starts the app
of every scale at once under gunicorn in production config, logs in through the log-in form as each role, and measures
every page of `bench.seed.bench_pages()`: bytes, SQL statements (counted in-process on the same database), and one
request with no load, the samples of every scale interleaved (a round sends one request to each scale's server, so a
host slower for a while slows every scale alike): their median, and the growth as the median of the rounds' ratios.
At the load scale (1 when measured, else the largest; `--load-scale`) it also starts `bench.reference:hello` and
`bench.reference:bare` and drives every target in turn, several rounds, with wrk (`apt-get install wrk`) or, when wrk
is missing, a small bounded Python load generator; it prints req/s, p50, p99, % of the bare page, worker RSS, and the
growth of one-request latency and statements from the smallest to the load scale, and checks every page against the
budgets of issue 13. Results go to bench/results/compare-<database>.json.
"""

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run  # noqa: E402 - after the path fix, as in bench/run.py
from bench.seed import BENCH_ACCOUNTS, BENCH_PASSWORD, bench_exists, bench_pages, ensure_bench_feed  # noqa: E402
from coalition.extensions import db  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PORTS = {"app": 8101, "hello": 8102, "bare": 8103}
#: Every gunicorn server's options. No control socket: gunicorn 27 opens one at ~/.gunicorn/gunicorn.ctl, and a
#: second server started at the same time logs an error for finding it taken (the load test counts that as a failure).
GUNICORN_OPTIONS = ("--log-level", "warning", "--no-control-socket")
#: One-request samples of a page at each scale, taken in rounds, one request to each scale's server a round.
ONE_REQUEST_SAMPLES = 15
#: Requests before the one-request samples: a server in use has served its pages before. Each worker's connection
#: then runs a page's statements prepared (psycopg prepares a statement on its fifth run), as it does under load.
ONE_REQUEST_WARM_UP = 12


# --- Databases and servers ----------------------------------------------------------------------------------


def database_url(database: str, scale: float) -> str:
    """The benchmark database of `scale`: PostgreSQL coalition_bench[_sN] or SQLite bench/bench[_sN].db."""
    suffix = "" if scale == 1 else "_s" + f"{scale:g}".replace(".", "")
    if database == "sqlite":
        return f"sqlite:///{ROOT / 'bench' / f'bench{suffix}.db'}"
    return f"{PG_SERVER}/coalition_bench{suffix}"


def _env(url: str, **extra) -> dict:
    return {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": url,
        "COALITION_ENV": "production",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
        # The benchmark logs in a few times per run and never posts otherwise.
        "RATELIMIT_ENABLED": "0",
        # Kept pages in each worker's memory (PAGE_CACHE_URL=redis://... to share them: the Redis client adds ~6 MiB
        # to a worker, which a deployment with Redis rate limits loads anyway).
        "PAGE_CACHE_URL": os.environ.get("PAGE_CACHE_URL", ""),
        **extra,
    }


def prepare_database(url: str, scale: float, echo=print) -> None:
    """Create the database if missing, migrate it, and seed the benchmark coalition unless it is there."""
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as connection:
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                connection.execute(f'CREATE DATABASE "{name}"')
    env = _env(url, COALITION_ENV="development")
    subprocess.run([BIN / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    app = run.make_app(url)
    with app.app_context():
        seeded = bench_exists()
        db.session.remove()
    if not seeded:
        echo(f"seeding scale {scale:g} into {url} (a few minutes at scale 1)...")
        started = time.perf_counter()
        subprocess.run([BIN / "flask", "seed-bench", "--scale", str(scale)], cwd=ROOT, env=env, check=True)  # noqa: S603
        echo(f"  seeded in {time.perf_counter() - started:.0f} s")
    with app.app_context():
        ensure_bench_feed()  # databases seeded before the feed existed
        db.session.remove()


def server_log(name: str) -> Path:
    """Where the server `name` ("app", "hello", "bare") of this run writes its log."""
    return RESULTS_DIR / f"server-{name}.log"


def logged_errors(path: Path) -> int:
    """How many errors a server logged in the log at `path`: the app's ("ERROR in ...", each an answer of 500) and
    gunicorn's ([ERROR], [CRITICAL]: a worker that failed or timed out). wrk's figures do not show them all: a
    request cut off by its timeout is counted apart, a warm-up not at all."""
    if not path.exists():
        return 0
    return sum(1 for line in path.read_text(errors="replace").splitlines() if _LOGGED_ERROR.match(line))


_LOGGED_ERROR = re.compile(r"\[[^]]*\] (ERROR in |\[\d+\] \[(ERROR|CRITICAL)\])")


class Server:
    """A gunicorn master with `workers` sync workers, started in the background and stopped with `stop()`."""

    def __init__(self, name: str, target: str, port: int, env: dict, workers: int = 2):
        self.name, self.port = name, port
        command = [BIN / "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", *GUNICORN_OPTIONS, target]
        # What the server logs (the app's errors among it) is kept for `logged_errors`, appended across scales.
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        with server_log(name).open("a") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=log)  # noqa: S603
        _wait_for_port(port, self.process)

    def worker_rss_mib(self) -> float:
        """The largest resident set of this server's workers, in MiB."""
        sizes = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    status = (stat.parent / "status").read_text()
                    sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
            except (OSError, AttributeError, IndexError):
                continue
        return round(max(sizes, default=0.0), 1)

    def stop(self) -> None:
        """Stop the master (and so its workers)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _wait_for_port(port: int, process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited ({process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


# --- HTTP ---------------------------------------------------------------------------------------------------


def fetch(port: int, path: str, cookie: str = "", method: str = "GET", body: str | None = None, headers=None):
    """One request; returns (status, headers, body bytes, milliseconds)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {"Cookie": cookie} if cookie else {}
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    sent.update(headers or {})
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, response.getheaders(), data, elapsed


def _cookies(headers, jar: dict) -> dict:
    for name, value in headers:
        if name.lower() == "set-cookie":
            for morsel in SimpleCookie(value).values():
                jar[morsel.key] = morsel.value
    return jar


def log_in(port: int, email: str, password: str) -> str:
    """Log in through the real form (CSRF token and all); return the Cookie header of the session."""
    status, headers, body, _ms = fetch(port, "/account/login")
    jar = _cookies(headers, {})
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    form = urlencode({"csrf_token": token, "email": email, "password": password})
    status, headers, _body, _ms = fetch(port, "/account/login", cookie, "POST", form)
    if status != 302:
        raise RuntimeError(f"log-in as {email} failed ({status})")
    jar = _cookies(headers, jar)
    return "; ".join(f"{k}={v}" for k, v in jar.items())


# --- Load -----------------------------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip()).groups()
    return float(number) * _UNITS_MS[unit]


def parse_wrk(output: str) -> dict:
    """req/s, p50, p99 (ms), requests and errors (non-2xx/3xx and socket errors) from `wrk --latency` output."""
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": 0,
    }
    non_ok = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    # wrk's "timeout" also counts the requests still queued when the run stops: reported apart, not an error.
    connect, read, write, timeout = map(int, sockets.groups()) if sockets else (0, 0, 0, 0)
    result["errors"] = (int(non_ok.group(1)) if non_ok else 0) + connect + read + write
    result["timeouts"] = timeout
    return result


def wrk_load(
    port: int, path: str, cookie: str, duration: float, connections: int, threads: int, headers: dict | None = None
) -> dict:
    """Drive one page with wrk for `duration` seconds."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--latency", "--timeout", "10s"]
    sent = {"Cookie": cookie} if cookie else {}
    sent.update(headers or {})
    for name, value in sent.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    return parse_wrk(output)


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def python_load(
    port: int, path: str, cookie: str, duration: float, connections: int, threads: int = 0, headers: dict | None = None
) -> dict:
    """A bounded load generator for machines without wrk: `connections` threads, each one request after another."""
    deadline = time.perf_counter() + duration
    sent = {"Cookie": cookie} if cookie else {}
    sent.update(headers or {})
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=sent)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
            mine.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    workers = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(duration + 30)
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "rps": round(len(ordered) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": _percentile(ordered, 0.50),
        "p99_ms": _percentile(ordered, 0.99),
        "requests": len(ordered),
        "errors": errors[0],
    }


def load_generator(name: str | None = None):
    """(name, function): wrk when installed (or asked for), else the Python generator."""
    if name == "python" or (name is None and shutil.which("wrk") is None):
        return "python", python_load
    return "wrk", wrk_load


# --- Measuring ------------------------------------------------------------------------------------------------


#: Sent to have the page rendered, not served from the page cache (core/pagecache.py), as a browser's hard reload.
RENDER = {"Cache-Control": "no-cache"}


def interleaved_samples(fetchers: list, samples: int) -> list[list]:
    """Call every fetcher (one per scale) once a round, `samples` rounds, in turn and in the reverse order every
    other round; return each fetcher's results in round order. A host that slows down then slows every scale alike,
    and sample i of every scale comes from the same round."""
    results = [[] for _ in fetchers]
    for number in range(samples):
        order = list(enumerate(fetchers))
        for index, fetcher in order if number % 2 == 0 else reversed(order):
            results[index].append(fetcher())
    return results


def interleaved_one_requests(targets: list[tuple[int, str, str]], samples: int = ONE_REQUEST_SAMPLES) -> list[dict]:
    """`one_request()` of the same page on several servers (port, path, cookie), one per scale, their samples
    interleaved; returns the figures of each, and its rendered samples in round order (`one_samples_ms`)."""
    for port, path, cookie in targets:
        for _ in range(ONE_REQUEST_WARM_UP):
            fetch(port, path, cookie, headers=RENDER)
    rendered = interleaved_samples([_fetcher(*target, headers=RENDER) for target in targets], samples)
    for port, path, cookie in targets:
        # Each worker keeps pages in its own memory (unless PAGE_CACHE_URL is set): ask often enough for every worker.
        for _ in range(ONE_REQUEST_WARM_UP):
            fetch(port, path, cookie)
    served = interleaved_samples([_fetcher(*target) for target in targets], samples)
    return [_one_request_figures(*answers) for answers in zip(rendered, served, strict=True)]


def _fetcher(port: int, path: str, cookie: str, headers=None):
    return lambda: fetch(port, path, cookie, headers=headers)


def _one_request_figures(rendered: list, served: list) -> dict:
    kept = [a for a in served if ("X-Page-Cache", "hit") in a[1]]
    return {
        "status": rendered[-1][0],
        "bytes": len(rendered[-1][2]),
        "one_ms": round(statistics.median(a[3] for a in rendered), 1),
        "kept_ms": round(statistics.median(a[3] for a in kept), 1) if len(kept) == len(served) else None,
        "one_samples_ms": [round(a[3], 3) for a in rendered],
    }


def one_request(port: int, path: str, cookie: str, samples: int = ONE_REQUEST_SAMPLES) -> dict:
    """Status, bytes and median latency of one request at a time, with no other load (after a warm-up): rendered
    each time (`one_ms`), and as served again from the page cache (`kept_ms`, None when the page is never kept)."""
    return interleaved_one_requests([(port, path, cookie)], samples)[0]


def count_statements(app, only: str | None) -> dict[str, int]:
    """SQL statements per page, counted in-process (bench/run.py) on the same database: {page name: statements}."""
    return {r["page"]: r["queries"] for r in run.measure(app, requests=1, only=only)}


def bench_targets(app, only: str | None) -> list[dict]:
    """The pages of `bench.seed.bench_pages()` as plain dicts (name, role, url)."""
    with app.app_context():
        pages = [{"name": p.name, "role": p.role, "url": p.url} for p in bench_pages()]
        db.session.remove()
    return [p for p in pages if not only or only.lower() in p["name"].lower()]


def app_port(index: int) -> int:
    """The port of the app server of the `index`-th scale (8101, 8111, ...: clear of hello's and bare's)."""
    return PORTS["app"] + 10 * index


def start_scale(url: str, scale: float, index: int, args) -> dict:
    """One scale ready to measure: its pages, their statements, and its app server with a session for each role."""
    app = run.make_app(url)
    pages = bench_targets(app, args.only)
    statements = count_statements(app, args.only)
    env = _env(url)
    server = Server("app", "wsgi:app", app_port(index), env, args.workers)
    roles = {p["role"] for p in pages} - {"visitor"}
    try:
        cookies = {role: log_in(server.port, BENCH_ACCOUNTS[role], BENCH_PASSWORD) for role in sorted(roles)}
    except BaseException:
        server.stop()
        raise
    cookies["visitor"] = ""
    pages = {p["name"]: p for p in pages}
    return {
        "scale": scale,
        "url": url,
        "env": env,
        "server": server,
        "cookies": cookies,
        "statements": statements,
        "pages": pages,
    }


def measure_one_requests(scales: list[dict]) -> list[list[dict]]:
    """Every page's one-request figures at every scale (each started by `start_scale`), the samples of a page at
    all scales interleaved; returns the page entries of each scale."""
    entries = [[] for _ in scales]
    for name in dict.fromkeys(name for scale in scales for name in scale["pages"]):
        having = [(scale, mine) for scale, mine in zip(scales, entries, strict=True) if name in scale["pages"]]
        targets = [_target(scale, name) for scale, _mine in having]
        for (scale, mine), figures in zip(having, interleaved_one_requests(targets), strict=True):
            mine.append(page_entry(figures, scale["pages"][name], "app", scale["statements"].get(name, 0)))
    return entries


def _target(scale: dict, name: str) -> tuple[int, str, str]:
    page = scale["pages"][name]
    return scale["server"].port, page["url"], scale["cookies"][page["role"]]


def measure_scales(scales: list[tuple[float, str]], load_scale: float, args, echo=print) -> list[dict]:
    """Every scale's report: one request with no load at every scale (`scales`: (scale, database URL)), their
    samples interleaved, then the load rounds at `load_scale` only."""
    started = []
    try:
        for index, (scale, url) in enumerate(scales):
            started.append(start_scale(url, scale, index, args))
        echo("one request, scales " + " and ".join(f"{s:g}" for s, _url in scales) + " interleaved")
        reports = [
            {"scale": s["scale"], "database": s["url"], "load": s["scale"] == load_scale, "pages": pages}
            for s, pages in zip(started, measure_one_requests(started), strict=True)
        ]
        for scale in started:
            if scale["scale"] != load_scale:
                scale["server"].stop()  # under load only the load scale's app server runs (its RSS is the one shown)
        loaded = next(i for i, s in enumerate(started) if s["scale"] == load_scale)
        reports[loaded]["pages"] = measure_load(started[loaded], reports[loaded]["pages"], args, echo)
        return reports
    finally:
        for scale in started:
            scale["server"].stop()


def measure_load(scale: dict, pages: list[dict], args, echo=print) -> list[dict]:
    """The load rounds at one scale (started by `start_scale`): hello world, the bare page, then its `pages`
    (their entries, to which the figures are added); returns them all."""
    servers = {"app": scale["server"]}
    try:
        for name, target in (("hello", "bench.reference:hello"), ("bare", "bench.reference:bare")):
            servers[name] = Server(name, target, PORTS[name], scale["env"], args.workers)
        entries = [reference_entry("hello world", "hello"), reference_entry("bare page (25 stories, 1 query)", "bare")]
        entries += pages
        load_rounds(servers, entries, scale["cookies"], args, echo)
        for entry in entries:
            summarise_rounds(entry)
        add_shares(entries)
        return entries
    finally:
        for name in ("hello", "bare"):
            if name in servers:
                servers[name].stop()


def reference_entry(name: str, server: str) -> dict:
    """The entry of a reference server's page ("hello", "bare"), with its one-request figures."""
    page = {"name": name, "role": "visitor", "url": "/"}
    return page_entry(one_request(PORTS[server], "/", ""), page, server, 1 if server == "bare" else 0)


def page_entry(figures: dict, page: dict, server: str, statements: int) -> dict:
    """A page's entry of the report: its one-request figures, what it is, and room for the load rounds."""
    return {**figures, "page": page["name"], "role": page["role"], "url": page["url"], "server": server,
            "statements": statements, "rounds": []}  # fmt: skip


def load_rounds(servers: dict, entries: list[dict], cookies: dict, args, echo=print) -> None:
    """Drive every entry's page on its server, several rounds, adding each round's figures to the entry."""
    generator_name, generator = load_generator(args.generator)
    echo(f"load: {generator_name}, {args.rounds} rounds × {len(entries)} targets × {args.duration:g} s")
    for number in range(args.rounds):
        for entry in entries:
            server = servers[entry["server"]]
            # As a browser asks (served from the page cache when kept), then rendered every time.
            for key, headers in (("rounds", None), ("rendered_rounds", RENDER)):
                if key == "rendered_rounds" and entry["server"] != "app":
                    continue
                figures = generator(
                    server.port, entry["url"], cookies[entry["role"]], args.duration, args.connections, args.threads,
                    headers,
                )  # fmt: skip
                figures["rss_mib"] = server.worker_rss_mib()
                drain(server.port)
                entry.setdefault(key, []).append(figures)
        echo(f"  round {number + 1} done")


def drain(port: int, workers: int = 2) -> None:
    """Wait until the requests a load run left queued are answered, so they do not slow the next target."""
    for _ in range(workers):
        fetch(port, "/__bench_drain__")


def summarise_rounds(entry: dict) -> dict:
    """Median req/s, p50 and p99 over the rounds; the largest worker RSS; total errors; the rendered req/s."""
    rendered = entry.get("rendered_rounds") or []
    if rendered:
        entry["rps_rendered"] = round(statistics.median(r["rps"] for r in rendered), 1)
    rounds = entry.get("rounds") or []
    if not rounds:
        return entry
    entry["rps"] = round(statistics.median(r["rps"] for r in rounds), 1)
    entry["p50_ms"] = round(statistics.median(r["p50_ms"] for r in rounds), 1)
    entry["p99_ms"] = round(statistics.median(r["p99_ms"] for r in rounds), 1)
    entry["errors"] = sum(r["errors"] for r in rounds + rendered)
    entry["rss_mib"] = max(r.get("rss_mib", 0.0) for r in rounds + rendered)
    return entry


def add_shares(pages: list[dict]) -> None:
    """Each page's req/s as a share of the bare page's and of hello world's (percent)."""
    by_server = {p["server"]: p for p in pages if p["server"] in ("hello", "bare")}
    for page in pages:
        for reference in ("bare", "hello"):
            base = by_server.get(reference, {}).get("rps")
            if base and page.get("rps") is not None:
                page[f"pct_{reference}"] = round(100 * page["rps"] / base, 1)
            if base and page.get("rps_rendered") is not None:
                page[f"pct_{reference}_rendered"] = round(100 * page["rps_rendered"] / base, 1)


def paired_growth(small: list[float], large: list[float]) -> float:
    """The median of the ratios large[i] / small[i] of one-request samples taken in the same round: a host that is
    slower for a while slows both samples of a round, and their ratio stays (a ratio of medians would not)."""
    return round(statistics.median(b / a for a, b in zip(small, large, strict=True)), 2)


def add_growth(small: dict, large: dict) -> None:
    """Per page of `large`: one-request latency and statements relative to the same page at the smaller scale."""
    before = {p["page"]: p for p in small["pages"]}
    for page in large["pages"]:
        old = before.get(page["page"])
        if old and old["one_ms"]:
            page["growth"] = paired_growth(old["one_samples_ms"], page["one_samples_ms"])
            page["statements_small"] = old["statements"]
            page["one_ms_small"] = old["one_ms"]


# --- Budgets (issue 13) ----------------------------------------------------------------------------------------

#: Share of the bare page's req/s every page must reach, and the heavy pages' lower share (percent).
SHARE_OF_BARE, SHARE_OF_BARE_HEAVY = 50, 25
#: One request with no load, at every scale measured (ms); search pages get more.
ONE_MS, ONE_MS_SEARCH = 15, 25
GROWTH, RSS_MIB = 1.3, 120
#: Calendar files are measured against hello world instead (percent of its req/s, uncached).
SHARE_OF_HELLO_CALENDAR = 10


def _is_search(page: dict) -> bool:
    return "search" in page["page"]


def _is_calendar(page: dict) -> bool:
    return page["url"].endswith(".ics")


def budget_misses(page: dict, one_ms_by_scale: dict[float, float]) -> list[str]:
    """The budgets of issue 13 a page misses, each as a short text; [] when it is within all of them."""
    if page["server"] != "app":
        return []
    misses = []
    # Served as a browser asks (from the page cache when kept), and rendered every time ("rendered: ...").
    for suffix, label in (("", ""), ("_rendered", "rendered: ")):
        if _is_calendar(page):
            share = page.get("pct_hello" + suffix)
            if share is not None and share < SHARE_OF_HELLO_CALENDAR:
                misses.append(f"{label}{share:.0f} % of hello < {SHARE_OF_HELLO_CALENDAR} %")
        elif page.get("pct_bare" + suffix) is not None:
            floor = SHARE_OF_BARE_HEAVY if _is_search(page) or "evidence" in page["page"] else SHARE_OF_BARE
            if page["pct_bare" + suffix] < floor:
                misses.append(f"{label}{page['pct_bare' + suffix]:.0f} % of bare < {floor} %")
    limit = ONE_MS_SEARCH if _is_search(page) else ONE_MS
    slow = [f"{ms:.0f} ms at {scale:g}" for scale, ms in sorted(one_ms_by_scale.items()) if ms > limit]
    if slow:
        misses.append(f"one request > {limit} ms (" + ", ".join(slow) + ")")
    if page.get("growth") is not None and page["growth"] > GROWTH:
        misses.append(f"growth {page['growth']:.2f}× > {GROWTH}×")
    if page.get("statements_small") not in (None, page["statements"]):
        misses.append("statements grow")
    if page.get("rss_mib") and page["rss_mib"] > RSS_MIB:
        misses.append(f"RSS {page['rss_mib']:.0f} MiB > {RSS_MIB}")
    return misses


def add_budgets(report: dict, loaded: dict | None = None) -> tuple[int, int]:
    """Mark each page of the loaded scale (default: the largest) with the budgets it misses, counting one request
    at every scale measured; returns (pages within every budget, pages)."""
    one_ms = {}
    for measured in report["scales"]:
        for page in measured["pages"]:
            one_ms.setdefault(page["page"], {})[measured["scale"]] = page["one_ms"]
    pages = [p for p in (loaded or report["scales"][-1])["pages"] if p["server"] == "app"]
    for page in pages:
        page["budget"] = budget_misses(page, one_ms.get(page["page"], {}))
    return sum(1 for p in pages if not p["budget"]), len(pages)


# --- Output ---------------------------------------------------------------------------------------------------

COLUMNS = (
    ("page", "page", "{}"),
    ("role", "role", "{}"),
    ("req/s", "rps", "{:.0f}"),
    ("% bare", "pct_bare", "{:.0f} %"),
    ("% hello", "pct_hello", "{:.0f} %"),
    ("rendered req/s", "rps_rendered", "{:.0f}"),
    ("rendered % bare", "pct_bare_rendered", "{:.0f} %"),
    ("p50 ms", "p50_ms", "{:.0f}"),
    ("p99 ms", "p99_ms", "{:.0f}"),
    ("one req ms (rendered)", "one_ms", "{:.1f}"),
    ("one req kept ms", "kept_ms", "{:.1f}"),
    ("statements", "statements", "{}"),
    ("KB", "bytes", "{}"),
    ("RSS MiB", "rss_mib", "{:.0f}"),
    ("growth", "growth", "{:.2f}×"),
    ("errors", "errors", "{}"),
    ("budget", "budget", "{}"),
)


def _cell(page: dict, key: str, pattern: str) -> str:
    value = page.get(key)
    if value is None:
        return ""
    if key == "budget":
        return "; ".join(value) if value else "ok"
    if key == "bytes":
        return f"{value / 1024:.1f}"
    if key == "statements" and page.get("statements_small") not in (None, value):
        return f"{page['statements_small']} → {value}"
    if key == "one_ms" and page.get("one_ms_small") is not None:
        return f"{page['one_ms_small']:.1f} → {value:.1f}"
    return pattern.format(value)


def format_table(pages: list[dict]) -> str:
    """The results as a Markdown table (only the columns that have values)."""
    columns = [c for c in COLUMNS if any(p.get(c[1]) is not None for p in pages)]
    rows = [[_cell(p, key, pattern) for _title, key, pattern in columns] for p in pages]
    header = [title for title, _key, _pattern in columns]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def machine() -> dict:
    """What the run was on."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in load] if load else None,
    }


def write_results(report: dict, path: Path) -> Path:
    """Write the report as JSON (bench/results/ is git-ignored)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--scales", default="0.1,1", help="comma-separated; one request with no load at each")
    parser.add_argument("--load-scale", type=float, default=None, help="default: 1 if measured, else the largest")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of load per target per round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of every server")
    parser.add_argument("--generator", choices=("wrk", "python"), default=None, help="default: wrk if installed")
    parser.add_argument("--only", default=None, help="only the pages whose name contains this text")
    args = parser.parse_args(argv)

    scales = sorted(float(s) for s in args.scales.split(","))
    load_scale = args.load_scale if args.load_scale in scales else (1.0 if 1.0 in scales else scales[-1])
    report = {"meta": {**machine(), "database": args.database, "args": vars(args)}, "scales": []}
    for name in ("app", "hello", "bare"):
        server_log(name).unlink(missing_ok=True)
    urls = [(scale, database_url(args.database, scale)) for scale in scales]
    for scale, url in urls:
        prepare_database(url, scale)
        print(f"scale {scale:g}: {url}")
    report["scales"] = measure_scales(urls, load_scale, args)
    loaded = next(s for s in report["scales"] if s["scale"] == load_scale)
    if len(report["scales"]) > 1 and loaded is not report["scales"][0]:
        add_growth(report["scales"][0], loaded)
    within, total = add_budgets(report, loaded)
    print(f"\n{args.database}, scale {load_scale:g}; growth from scale {scales[0]:g} ({report['meta']['date']})")
    print(format_table(loaded["pages"]))
    for measured in report["scales"]:
        if measured is not loaded:
            one = ", ".join(f"{p['page']} {p['one_ms']:.1f}" for p in measured["pages"] if p["server"] == "app")
            print(f"one request at scale {measured['scale']:g}, ms: {one}")
    print(f"within every budget of issue 13: {within} of {total} pages")
    app_errors = report["meta"]["app_errors"] = logged_errors(server_log("app"))
    path = write_results(report, RESULTS_DIR / f"compare-{args.database}.json")
    print(f"wrote {path.relative_to(ROOT)}")
    bad = [p["page"] for s in report["scales"] for p in s["pages"] if p["status"] != 200 or p.get("errors")]
    if bad:
        print("NOT 200 or errors under load:", ", ".join(sorted(set(bad))))
    if app_errors:
        print(f"errors the app logged: {app_errors} (see {server_log('app').relative_to(ROOT)})")
    return 1 if bad or app_errors else 0


if __name__ == "__main__":
    sys.exit(main())
