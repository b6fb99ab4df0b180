"""The load test (bench/loadtest.py): its checks fail on bad runs, its forms are sent as a browser sends them, and a
tiny run on PostgreSQL and Redis passes (skipped without TEST_DATABASE_URL or a Redis server)."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.load_checks import (
    Sample,
    capacity_check,
    failures,
    login_limit_check,
    mail_check,
    percentile,
    processes_check,
    traffic_check,
)
from bench.load_forms import find_form

ROOT = Path(__file__).resolve().parents[2]
LIMIT = "5 per minute; 20 per hour"


# --- Mail -----------------------------------------------------------------------------------------------------


def _row(n, key=None, status="sent", to="ana@example.org"):
    return {"message_id": f"<m{n}@x>", "to_address": to, "dedupe_key": key, "kind": "reminder", "status": status}


def test_mail_check_passes_when_every_sent_message_arrived_once():
    rows = [_row(1, "reminder:1:0"), _row(2), _row(3, "reminder:2:0", to="bo@example.org")]
    deliveries = [{"message_id": r["message_id"], "to": r["to_address"]} for r in rows]

    result = mail_check(deliveries, rows)

    assert result["ok"] and result["delivered"] == result["outbox_sent"] == 3


def test_mail_check_fails_on_a_message_delivered_twice():
    rows = [_row(1), _row(2)]
    deliveries = [{"message_id": "<m1@x>", "to": "ana@example.org"}] * 2 + [{"message_id": "<m2@x>", "to": "ana@x"}]

    result = mail_check(deliveries, rows)

    assert not result["ok"] and result["twice_same_message_id"] == 1


def test_mail_check_fails_on_one_reminder_sent_twice_under_two_message_ids():
    rows = [_row(1, "reminder:7:0"), _row(2, "reminder:7:0")]
    deliveries = [{"message_id": "<m1@x>", "to": "ANA@example.org"}, {"message_id": "<m2@x>", "to": "ana@example.org"}]

    result = mail_check(deliveries, rows)

    assert not result["ok"] and result["twice_same_recipient_and_key"] == 1


@pytest.mark.parametrize(
    ("rows", "deliveries", "figure"),
    [
        ([_row(1), _row(2)], [{"message_id": "<m1@x>", "to": "a"}], "sent_not_received"),
        ([_row(1, status="sending")], [{"message_id": "<m1@x>", "to": "a"}], "received_not_sent"),
        ([_row(1), _row(2, status="pending")], [{"message_id": "<m1@x>", "to": "a"}], "waiting"),
        ([_row(1, status="failed")], [], "failed"),
    ],
)
def test_mail_check_fails_on_mail_lost_unaccounted_or_left_behind(rows, deliveries, figure):
    result = mail_check(deliveries, rows)

    assert not result["ok"] and result[figure] == 1


# --- Places ---------------------------------------------------------------------------------------------------


def _meeting(capacity=10, taken=10, yes=10, held=None, smallest_waiting=None):
    held = yes if held is None else held
    return {
        "id": 1,
        "capacity": capacity,
        "seats_taken": taken,
        "yes_places": yes,
        "seats_held": held,
        "smallest_waiting": smallest_waiting,
        "waiting": 0 if smallest_waiting is None else 1,
    }


def test_capacity_check_passes_a_full_meeting_with_a_waitlist():
    result = capacity_check([_meeting(smallest_waiting=1), _meeting(capacity=8, taken=6, yes=6, smallest_waiting=3)])

    assert result["ok"] and result["full"] == 1 and result["waiting"] == 2


def test_capacity_check_fails_on_a_meeting_over_capacity():
    result = capacity_check([_meeting(capacity=10, taken=10, yes=11, held=10)])

    assert not result["ok"] and result["over_capacity"] == [1]


def test_capacity_check_fails_when_the_count_of_places_drifts_from_the_answers():
    result = capacity_check([_meeting(capacity=10, taken=9, yes=10)])

    assert not result["ok"] and result["places_miscounted"] == [1]


def test_capacity_check_fails_when_someone_waits_while_their_party_fits():
    result = capacity_check([_meeting(capacity=10, taken=8, yes=8, smallest_waiting=2)])

    assert not result["ok"] and result["waiting_while_a_place_is_free"] == [1]


# --- Log-in limit, traffic, processes -------------------------------------------------------------------------


def test_login_limit_check_passes_when_the_servers_share_one_count():
    statuses, ports = [200] * 5 + [429] * 10, [8111, 8112] * 7 + [8111]

    assert login_limit_check(statuses, ports, LIMIT)["ok"]


def test_login_limit_check_fails_when_each_server_counts_on_its_own():
    # Memory storage per process: each of two servers lets its own five attempts through.
    statuses, ports = [200] * 10 + [429] * 5, [8111, 8112] * 7 + [8111]

    result = login_limit_check(statuses, ports, LIMIT)

    assert not result["ok"] and result["answered"] == 10


def test_login_limit_check_fails_when_only_one_server_was_tried():
    assert not login_limit_check([200] * 5 + [429] * 10, [8111] * 15, LIMIT)["ok"]


def test_traffic_check_counts_unexpected_answers_as_errors_per_kind_and_server():
    samples = [Sample("RSVP", 8111, 302, 40.0, True), Sample("RSVP", 8112, 500, 90.0, False)]
    samples += [Sample("member pages", 8111 + n % 2, 200, float(n), True) for n in range(1, 99)]

    result = traffic_check(samples, seconds=10)

    assert not result["ok"] and result["errors"] == 1 and result["unexpected"] == {"RSVP → 500": 1}
    assert result["kinds"]["RSVP"]["errors"] == 1 and result["servers"]["8112"]["errors"] == 1
    assert result["requests"] == 100 and result["rps"] == 10.0 and result["kinds"]["member pages"]["p99_ms"] == 98.0


def test_traffic_on_one_server_only_fails():
    assert not traffic_check([Sample("member pages", 8111, 200, 5.0, True)], seconds=1)["ok"]


def test_percentile_is_the_nearest_rank():
    ordered = [float(n) for n in range(1, 101)]

    assert (percentile(ordered, 0.5), percentile(ordered, 0.99), percentile([], 0.5)) == (50.0, 99.0, 0.0)


def test_a_process_that_died_or_logged_a_traceback_fails_the_run():
    fine = {"name": "outbox-1", "exit_code": None, "errors": []}
    checks = {
        "died": processes_check([fine, {"name": "outbox-2", "exit_code": 1, "errors": []}]),
        "traceback": processes_check([fine, {"name": "app-8111", "exit_code": None, "errors": ["Traceback (most"]}]),
        "fine": processes_check([fine]),
    }

    assert failures(checks) == ["died", "traceback"]


def test_a_worker_that_ended_before_it_was_stopped_counts_as_died(tmp_path):
    from bench.loadtest import Process, stop_all

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    quick = Process("quick", [sys.executable, "-c", "print('sent 2, will retry 0, failed 0')"], env, tmp_path)
    steady = Process("steady", [sys.executable, "-c", LOOPING_WORKER], env, tmp_path)
    quick.process.wait(30)
    while "queued" not in steady.log.read_text():
        time.sleep(0.05)

    stop_all([quick, steady])
    reports = [quick.report(), steady.report()]

    assert processes_check(reports)["died"] == ["quick"]
    assert (reports[0]["sent"], reports[1]["queued"], reports[1]["rounds"]) == (2, 3, 1)


LOOPING_WORKER = "import time; print('queued 3 reminder(s)'); time.sleep(60)"


# --- Forms ----------------------------------------------------------------------------------------------------

PAGE = b"""<form method="post" action="/c/x/meetings/3/rsvp"><input type="hidden" name="csrf_token" value="t0k">
<input name="guests" type="number" value="0"><input name="q_1" type="text" inputmode="decimal" value="">
<input type="radio" name="visibility" value="team" checked><input type="radio" name="visibility" value="public">
<input type="checkbox" name="press_ok"><input type="checkbox" name="share" checked>
<select name="language"><option value="en">English</option><option value="es">Spanish</option></select>
<select name="participants" multiple><option value="1" selected>A</option><option value="2" selected>B</option>
</select><textarea name="body">Hello &amp; welcome</textarea>
<button type="submit" name="response" value="yes">Yes</button></form>
<form method="post"><input name="email"></form>"""


def test_a_form_is_read_as_a_browser_would_send_it():
    form = find_form(PAGE, "/meetings/3/rsvp", "/c/x/meetings/3")

    assert form.fields == [
        ("csrf_token", "t0k"),
        ("guests", "0"),
        ("q_1", ""),
        ("visibility", "team"),
        ("share", "on"),
        ("language", "en"),
        ("participants", "1"),
        ("participants", "2"),
        ("body", "Hello & welcome"),
    ]
    assert form.choices["visibility"] == ["team", "public"] and form.inputs["q_1"]["inputmode"] == "decimal"
    form.fill(response="yes", participants=["2"], guests=1)
    assert ("response", "yes") in form.fields and ("participants", "1") not in form.fields
    assert "guests=1" in form.encode() and "csrf_token=t0k" in form.encode()


def test_a_form_without_action_posts_to_its_page():
    assert find_form(PAGE, "/account/login", "/account/login").action == "/account/login"
    assert find_form(PAGE, "/stories/share/x", "/c/x/meetings/3") is None


# --- A tiny run -----------------------------------------------------------------------------------------------


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="the load test runs on PostgreSQL")
@pytest.mark.skipif(not _redis_answers(), reason="the load test keeps its limits in Redis at 127.0.0.1:6379")
def test_a_tiny_load_run_on_two_servers_passes_every_check(tmp_path):
    from tests.conftest import private_database

    output = tmp_path / "loadtest.json"
    with private_database(tmp_path, prefix="coalition_loadtest") as url:
        command = [sys.executable, str(ROOT / "bench" / "loadtest.py"), "--duration", "4", "--scale", "0.001"]
        command += ["--database-url", url, "--ports", ",".join(map(str, _free_ports(2))), "--workers", "1"]
        command += ["--members", "3", "--visitors", "1", "--organizers", "1", "--worker-interval", "1"]
        command += ["--output", str(output), "--log-dir", str(tmp_path / "logs")]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)  # noqa: S603

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(output.read_text())
    checks = results["checks"]
    assert results["failures"] == [] and "All checks passed." in done.stdout
    assert set(checks["traffic"]["servers"]) == set(map(str, results["meta"]["servers"]["ports"]))
    assert checks["mail"]["delivered"] == checks["mail"]["outbox_sent"] > 0
    assert checks["login_limit"]["answered"] == 5
