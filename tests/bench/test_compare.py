"""`make bench` (bench/compare.py): its load generator, wrk parsing, table and JSON work on a tiny run (no timings)."""

import importlib.util
import json
import threading
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from bench.reference import hello

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:8101/
  2 threads and 16 connections
  Latency Distribution
     50%  760.26ms
     75%    1.17s
     90%    1.38s
     99%    1.63s
  23 requests in 3.03s, 483.99KB read
  Socket errors: connect 0, read 1, write 0, timeout 8
  Non-2xx or 3xx responses: 2
Requests/sec:      7.58
"""


@pytest.fixture
def compare():
    """bench/compare.py, loaded from its file."""
    path = Path(__file__).resolve().parents[2] / "bench" / "compare.py"
    spec = importlib.util.spec_from_file_location("bench_compare", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadedServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request, client_address):
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request, client_address):
        self.finish_request(request, client_address)
        self.shutdown_request(request)


@pytest.fixture
def hello_port():
    """The reference hello-world app on a free local port."""
    server = make_server("127.0.0.1", 0, hello, server_class=_ThreadedServer, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


def test_wrk_output_is_parsed_into_figures(compare):
    figures = compare.parse_wrk(WRK_OUTPUT)

    assert figures == {
        "rps": 7.58,
        "p50_ms": 760.26,
        "p99_ms": 1630.0,
        "requests": 23,
        "errors": 3,
        "timeouts": 8,
    }


def test_a_tiny_python_load_run_makes_a_table_and_json(compare, hello_port, tmp_path):
    figures = compare.python_load(hello_port, "/", "", duration=0.3, connections=2)
    one = compare.one_request(hello_port, "/", "", samples=2)
    page = {"page": "hello world", "role": "visitor", "url": "/", "server": "hello", "statements": 0, **one}
    bare = {**page, "page": "bare page", "server": "bare"}
    for entry in (page, bare):
        entry["rounds"] = [{**figures, "rss_mib": 40.0}]
        compare.summarise_rounds(entry)
    compare.add_shares([page, bare])
    small = {"pages": [{**page, "one_ms": page["one_ms"] or 1.0}]}
    compare.add_growth(small, {"pages": [page]})

    table = compare.format_table([page, bare])
    path = compare.write_results({"meta": compare.machine(), "scales": [{"pages": [page, bare]}]}, tmp_path / "r.json")

    assert figures["requests"] > 0 and figures["errors"] == 0
    assert one["status"] == 200 and one["bytes"] == len(b"Hello, World!")
    assert page["pct_bare"] == 100.0 and "growth" in page
    assert table.splitlines()[0].startswith("| page") and "hello world" in table and "% bare" in table
    assert json.loads(path.read_text())["scales"][0]["pages"][1]["page"] == "bare page"


def test_the_load_generator_falls_back_to_python_without_wrk(compare, monkeypatch):
    monkeypatch.setattr(compare.shutil, "which", lambda name: None)

    assert compare.load_generator()[0] == "python"
    assert compare.load_generator("python")[0] == "python"


def _app_page(name, url="/c/bench/x", **figures):
    return {"page": name, "role": "member", "url": url, "server": "app", "statements": 8, **figures}


def test_each_page_is_checked_against_the_budgets_of_issue_13(compare):
    within = _app_page("members list", pct_bare=60.0, one_ms=9.0, growth=1.1, statements_small=8, rss_mib=90.0)
    slow = _app_page("dashboard", pct_bare=20.0, one_ms=40.0, growth=2.5, statements_small=6, rss_mib=130.0)
    search = _app_page("stories search 'mold'", pct_bare=30.0, one_ms=22.0)
    ics = _app_page("meeting .ics", url="/c/bench/meetings/1/meeting.ics", pct_bare=20.0, pct_hello=8.0, one_ms=4.0)
    hello = {"page": "hello world", "role": "visitor", "url": "/", "server": "hello", "statements": 0, "one_ms": 1.0}
    small = {"scale": 0.1, "pages": [{**p, "one_ms": 5.0} for p in (within, slow, search, ics)]}
    small["pages"][1]["one_ms"] = 16.0
    report = {"scales": [small, {"scale": 1.0, "pages": [hello, within, slow, search, ics]}]}

    assert compare.add_budgets(report) == (2, 4)
    assert within["budget"] == [] and search["budget"] == []
    assert slow["budget"] == [
        "20 % of bare < 50 %",
        "one request > 15 ms (16 ms at 0.1, 40 ms at 1)",
        "growth 2.50× > 1.3×",
        "statements grow",
        "RSS 130 MiB > 120",
    ]
    assert ics["budget"] == ["8 % of hello < 10 %"]
    table = compare.format_table([within, slow])
    assert "| ok" in table and "20 % of bare < 50 %" in table


def test_errors_a_server_logged_are_counted(compare, tmp_path):
    log = tmp_path / "server-app.log"
    log.write_text(
        "[2026-12-03 06:51:10 +0000] [4242] [INFO] Booting worker with pid: 4243\n"
        "[2026-12-03 07:16:56,339] ERROR in app: Exception on /c/bench/stories/ [GET]\n"
        "Traceback (most recent call last):\n"
        "sqlite3.OperationalError: database is locked\n"
        "[2026-12-03 07:16:56,346] ERROR in errors: Unhandled exception\n"
        "[2026-12-03 07:17:30 +0000] [4242] [CRITICAL] WORKER TIMEOUT (pid:4243)\n"
        "[2026-12-03 07:17:31 +0000] [4242] [ERROR] Worker (pid:4243) was sent SIGKILL!\n"
    )
    assert compare.logged_errors(log) == 4
    assert compare.logged_errors(tmp_path / "none.log") == 0


def test_every_scale_gets_a_sample_each_round_in_alternating_order(compare):
    calls = []

    def fetcher(scale):
        return lambda: calls.append(scale) or len(calls)

    samples = compare.interleaved_samples([fetcher(0.1), fetcher(1)], samples=4)

    assert calls == [0.1, 1, 1, 0.1, 0.1, 1, 1, 0.1]
    assert samples == [[1, 4, 5, 8], [2, 3, 6, 7]]


def test_one_request_on_servers_of_several_scales_samples_each_alike(compare, hello_port):
    figures = compare.interleaved_one_requests([(hello_port, "/", ""), (hello_port, "/", "")], samples=3)

    assert [f["status"] for f in figures] == [200, 200]
    assert [len(f["one_samples_ms"]) for f in figures] == [3, 3]
    assert [f["kept_ms"] for f in figures] == [None, None]  # hello world sends no X-Page-Cache


def test_growth_is_the_median_of_the_rounds_ratios_so_a_slower_host_is_not_growth(compare):
    # 15 rounds; the page is 1.1× slower at scale 1. From round 8 on the host is twice as slow, and it turned slow
    # between the two requests of round 8, so the medians taken apart (4 and 8.8 ms) would read as 2.2× growth.
    small = [4.0] * 8 + [8.0] * 7
    large = [4.4] * 7 + [8.8] * 8
    before = _app_page("members list", one_ms=4.0, one_samples_ms=small)
    after = _app_page("members list", one_ms=8.8, one_samples_ms=large)

    compare.add_growth({"pages": [before]}, {"pages": [after]})

    assert after["one_ms"] / before["one_ms"] == pytest.approx(2.2)
    assert after["growth"] == 1.1


def test_growth_keeps_the_small_scale_figures_beside_the_large(compare):
    before = _app_page("members list", one_ms=5.0, one_samples_ms=[5.0, 5.0, 5.0], statements=7)
    after = _app_page("members list", one_ms=6.0, one_samples_ms=[6.0, 6.0, 6.0])

    compare.add_growth({"pages": [before]}, {"pages": [after]})

    assert after["growth"] == 1.2 and after["one_ms_small"] == 5.0 and after["statements_small"] == 7
    assert "5.0 → 6.0" in compare.format_table([after]) and "7 → 8" in compare.format_table([after])
