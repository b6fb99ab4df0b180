"""Two app servers, two outbox workers and two reminder workers on one PostgreSQL and one Redis, under mixed traffic.

    .venv/bin/python bench/loadtest.py [--duration 180] [--scale 0.1] [--database-url URL] [--redis-url URL]

It prepares its own database (default `coalition_load`, created if missing, migrated, seeded with
`flask seed-bench --scale N` when the benchmark coalition is missing), adds this run's meetings and answers
(bench/load_scenario.py), runs an SMTP server in this process that keeps every message it receives, and starts in
production configuration, with one SECRET_KEY and the log-in limits in Redis: two gunicorn servers on two ports,
two `flask outbox send --loop` and two `flask meetings remind --loop` workers. Then members browse and answer
nearly full meetings, visitors share stories through a campaign's public form and organizers log outreach, each
request to the next server (bench/load_traffic.py), for `--duration` seconds; meanwhile one account's wrong
passwords go alternately to both servers. After the traffic, the workers finish the mail and stop.

It prints and writes to bench/results/loadtest.json: requests by kind, req/s, p50/p99, and the checks
(bench/load_checks.py): no unexpected answer, no mail delivered twice and every sent row delivered, no meeting
over capacity, the log-in limit held across the servers, no process died or logged an error. Exit status 1 if a
check fails.
"""

import argparse
import email
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402 - after the path fix, as in bench/run.py

from bench import compare, load_checks, load_scenario, load_traffic, run  # noqa: E402
from coalition.core.models import utcnow  # noqa: E402
from coalition.extensions import db  # noqa: E402
from config import Config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "loadtest.json"
DEFAULT_URL = f"{compare.PG_SERVER}/coalition_load"
#: Wrong passwords sent for one account during the run (three times the per-minute limit of the configuration).
LIMIT_ATTEMPTS = 15
ERROR_LINE = re.compile(r"Traceback|\[ERROR\]|\[CRITICAL\]")


class MailCatcher:
    """An SMTP server in this process that keeps, for every message received, its Message-ID and recipient."""

    def __init__(self):
        self.deliveries: list[dict] = []
        catcher = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.content)
                for to in envelope.rcpt_tos:
                    catcher.deliveries.append({"message_id": message["Message-ID"], "to": to})
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A server or worker in the background, its output in a log file; `stop()` ends it (SIGTERM)."""

    def __init__(self, name: str, command: list, env: dict, log_dir: Path):
        self.name, self.log = name, log_dir / f"{name}.log"
        self.output = self.log.open("w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.output, stderr=subprocess.STDOUT)  # noqa: S603
        #: Its exit status when it was asked to end: None while it ran until then, as it should.
        self.exit_code = None
        self.signalled = False

    def signal(self) -> None:
        """Ask it to end, once (noting whether it had already ended: it should not have)."""
        if self.signalled:
            return
        self.signalled = True
        self.exit_code = self.process.poll()
        if self.exit_code is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        """Ask it to end and wait until it has."""
        self.signal()
        if not self.output.closed:
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.output.close()

    def report(self) -> dict:
        """Name, exit code (None: ran until stopped), error lines, and what a worker said it did in all."""
        text = self.log.read_text(errors="replace")
        numbers = {
            "sent": sum(int(n) for n in re.findall(r"^sent (\d+)", text, re.M)),
            "queued": sum(int(n) for n in re.findall(r"^queued (\d+)", text, re.M)),
            "rounds": len(re.findall(r"^(?:sent|queued) ", text, re.M)),
        }
        errors = [line for line in text.splitlines() if ERROR_LINE.search(line)]
        return {"name": self.name, "exit_code": self.exit_code, "errors": errors[:20], **numbers}


def stop_all(processes: list[Process]) -> None:
    """Signal all, then wait for each (gunicorn servers finish their requests in parallel)."""
    for process in processes:
        process.signal()
    for process in processes:
        process.stop()


def environment(args, mail_port: int, tag: str) -> dict:
    """The production settings every process shares: database, secret, Redis limits, mail, one trusted proxy."""
    return {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "COALITION_ENV": "production",
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SITE_URL": "https://coalition.load.test",
        "RATELIMIT_STORAGE_URI": args.redis_url,
        "RATELIMIT_KEY_PREFIX": f"loadtest-{tag}",
        "PAGE_CACHE_URL": args.redis_url,
        "TRUSTED_PROXY_COUNT": "1",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(mail_port),
        "MAIL_USE_TLS": "0",
        "MAIL_USE_SSL": "0",
        "PYTHONUNBUFFERED": "1",
    }


def start_processes(args, env: dict, log_dir: Path) -> tuple[list[Process], list[Process], list[Process]]:
    """The two app servers, then the two outbox and two reminder workers: (servers, outbox, reminders)."""
    flask, gunicorn = str(compare.BIN / "flask"), str(compare.BIN / "gunicorn")
    servers = [
        Process(
            f"app-{port}",
            [gunicorn, "-w", str(args.workers), "-b", f"127.0.0.1:{port}", *compare.GUNICORN_OPTIONS, "wsgi:app"],
            env,
            log_dir,
        )
        for port in args.ports
    ]
    interval = str(args.worker_interval)
    outbox = [
        Process(f"outbox-{n}", [flask, "outbox", "send", "--loop", "--interval", interval], env, log_dir)
        for n in (1, 2)
    ]
    reminders = [
        Process(f"reminders-{n}", [flask, "meetings", "remind", "--loop", "--interval", interval], env, log_dir)
        for n in (1, 2)
    ]
    for server, port in zip(servers, args.ports, strict=True):
        compare._wait_for_port(port, server.process)
    return servers, outbox, reminders


def people(scenario, args, recorder) -> list:
    """Members, visitors and organizers as asked, each with its own random generator."""
    rng = random.Random(args.seed)
    made = []
    for kind, count in ((load_traffic.Member, args.members), (load_traffic.Visitor, args.visitors)):
        made += [kind(scenario, args.ports, recorder, random.Random(rng.random()), n) for n in range(count)]
    made += [
        load_traffic.Organizer(scenario, args.ports, recorder, random.Random(rng.random()), n)
        for n in range(args.organizers)
    ]
    return made


def drain(app, since, reminders: list[Process], outbox: list[Process], interval: float, echo) -> None:
    """After the traffic: one more round of reminders, then the outbox emptied; stop the workers in that order."""
    time.sleep(interval + 1)
    stop_all(reminders)
    deadline = time.monotonic() + 120
    with app.app_context():
        alive = lambda: any(worker.process.poll() is None for worker in outbox)  # noqa: E731
        while (waiting := load_scenario.outbox_waiting(since)) and alive() and time.monotonic() < deadline:
            db.session.rollback()
            time.sleep(1)
        db.session.remove()
    echo(f"outbox drained ({waiting} still waiting)")
    time.sleep(interval + 1)  # a worker between rounds finishes its last one
    stop_all(outbox)


def run_load(args, echo=print) -> dict:
    """The whole run; returns the results (with "failures", empty when every check passed)."""
    tag, machine = datetime.now(UTC).strftime("%Y%m%d%H%M%S"), compare.machine()
    log_dir = args.log_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    compare.prepare_database(args.database_url, args.scale, echo=echo)
    app = run.make_app(args.database_url)
    since = utcnow()
    with app.app_context():
        scenario = load_scenario.prepare_scenario(tag, members=args.members, organizers=args.organizers)
        db.session.remove()
    echo(f"scenario: meetings {scenario.capacity_meetings} nearly full, {scenario.soon_meetings} starting soon")
    catcher = MailCatcher()
    env = environment(args, catcher.port, tag)
    servers, outbox, reminders = start_processes(args, env, log_dir)
    try:
        recorder = load_traffic.Recorder()
        crowd = people(scenario, args, load_traffic.Recorder())
        for person in crowd:
            person.start()  # log in (not counted in the traffic)
            person.browser.record = recorder
        limit_result = {}

        def try_passwords():
            statuses, ports = load_traffic.login_limit_attempts(args.ports, scenario.limit_account, LIMIT_ATTEMPTS)
            limit_result.update(statuses=statuses, ports=ports)

        limit_thread = threading.Thread(target=try_passwords, daemon=True)
        echo(f"traffic: {len(crowd)} people on ports {args.ports} for {args.duration:g} s ...")
        threading.Timer(min(5.0, args.duration / 3), limit_thread.start).start()
        elapsed, problems = load_traffic.run_people(crowd, args.duration, args.think, random.Random(args.seed))
        limit_thread.join(120)
        drain(app, since, reminders, outbox, args.worker_interval, echo)
        for name, page in recorder.examples.items():  # what the first unexpected answer of each kind said
            (log_dir / (re.sub(r"\W+", "-", name).strip("-") + ".html")).write_bytes(page)
    finally:
        stop_all(servers + outbox + reminders)
        catcher.stop()
    with app.app_context():
        rows, meetings = load_scenario.read_outbox(since), load_scenario.read_meetings()
        db.session.remove()
    checks = {
        "traffic": load_checks.traffic_check(recorder.samples, elapsed),
        "mail": load_checks.mail_check(catcher.deliveries, rows),
        "capacity": load_checks.capacity_check(meetings),
        "login_limit": load_checks.login_limit_check(
            limit_result.get("statuses", []), limit_result.get("ports", []), Config.RATELIMIT_LOGIN_ACCOUNT
        ),
        "processes": load_checks.processes_check([p.report() for p in servers + outbox + reminders]),
    }
    checks["traffic"]["thread_errors"] = [repr(p) for p in problems]
    checks["traffic"]["ok"] = checks["traffic"]["ok"] and not problems
    return {
        "meta": {
            **machine,
            "tag": tag,
            "database": re.sub(r"//[^@]*@", "//", args.database_url),
            "scale": args.scale,
            "duration_s": args.duration,
            "people": {"members": args.members, "visitors": args.visitors, "organizers": args.organizers},
            "servers": {"ports": args.ports, "gunicorn_workers_each": args.workers},
            "workers": {"outbox": 2, "reminders": 2, "interval_s": args.worker_interval},
        },
        "checks": checks,
        "failures": load_checks.failures(checks),
    }


def report(results: dict) -> str:
    """The figures as text: a table of requests by kind, then one line per check."""
    traffic, checks = results["checks"]["traffic"], results["checks"]
    lines = ["| requests | count | errors | req/s | p50 ms | p99 ms |", "|---|---:|---:|---:|---:|---:|"]
    rows = [*traffic["kinds"].items(), *((f"server :{p}", f) for p, f in traffic["servers"].items())]
    for name, f in [*rows, ("all", traffic)]:
        lines.append(f"| {name} | {f['requests']} | {f['errors']} | {f['rps']} | {f['p50_ms']} | {f['p99_ms']} |")
    mail, places, limit = checks["mail"], checks["capacity"], checks["login_limit"]
    lines += [
        "",
        f"unexpected answers: {traffic['unexpected'] or 'none'}",
        f"mail: {mail['delivered']} delivered, {mail['outbox_sent']} outbox rows sent; twice by Message-ID "
        f"{mail['twice_same_message_id']}, twice by recipient and dedupe key {mail['twice_same_recipient_and_key']}, "
        f"waiting {mail['waiting']}, failed {mail['failed']}; by kind {mail['by_kind']}",
        f"meetings with a capacity: {places['meetings']} ({places['full']} full, {places['waiting']} waiting); over "
        f"capacity {len(places['over_capacity'])}, places miscounted {len(places['places_miscounted'])}, waiting "
        f"while a place is free {len(places['waiting_while_a_place_is_free'])}",
        f"log-in limit ({limit['limit']}) across servers {limit['servers']}: {limit['answered']} answered, "
        f"{limit['refused']} refused of {limit['attempts']}",
        "processes: "
        + ", ".join(
            f"{p['name']} ({p['sent'] or p['queued']} in {p['rounds']} rounds)"
            for p in checks["processes"]["processes"]
        )
        + f"; died {checks['processes']['died'] or 'none'}, errors {checks['processes']['errors'] or 'none'}",
        "",
        "FAILED: " + ", ".join(results["failures"]) if results["failures"] else "All checks passed.",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=180, help="seconds of traffic (default 180)")
    parser.add_argument("--scale", type=float, default=0.1, help="seed-bench scale of a new database (default 0.1)")
    parser.add_argument("--database-url", default=os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--redis-url", default=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--ports", type=lambda v: [int(p) for p in v.split(",")], default=[8111, 8112])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (default 2)")
    parser.add_argument("--worker-interval", type=int, default=2, help="seconds between worker rounds (default 2)")
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--visitors", type=int, default=3)
    parser.add_argument("--organizers", type=int, default=3)
    parser.add_argument("--think", type=float, default=0.1, help="mean pause between one person's steps (s)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--log-dir", type=Path, default=RESULTS.parent / "loadtest-logs", help="servers' and workers' logs"
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        parser.error("the load test needs PostgreSQL (--database-url postgresql+psycopg://...)")
    results = run_load(args)
    print(report(results))
    path = compare.write_results(results, args.output)
    print(f"written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 1 if results["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
