"""The load test's traffic (bench/loadtest.py): people in threads, each request to the next of the app servers.

Every form is sent as a browser sends it: the page is fetched, its form read (CSRF token, single-use nonce, every
field with its value), a few fields filled in, and the form posted to the next server. Requests go straight to the
gunicorn servers with the X-Forwarded-For header a reverse proxy would add, so that each person has an address of
their own (the servers trust one proxy: TRUSTED_PROXY_COUNT=1). Sessions are signed with the one SECRET_KEY, so a
person's requests alternate between the servers.
"""

import http.client
import itertools
import random
import threading
import time
from http.cookies import SimpleCookie

from bench.load_checks import Sample
from bench.load_forms import Form, find_form
from bench.seed import BENCH_PASSWORD

TIMEOUT = 60
#: The RSVP form's error next to its guests field: what it says, in the person's language (a quarter of the benchmark
#: members read Spanish), when someone asks for more places than are left.
NO_ROOM = b'id="guests-error"'
WRONG_PASSWORD = "not-the-password-at-all"  # noqa: S105 - what the log-in limit check sends
_addresses = itertools.count(1)


def new_address(network: int) -> str:
    """A fresh address in 10.<network>.0.0/16 for one more person."""
    n = next(_addresses)
    return f"10.{network}.{n // 250 % 250}.{n % 250 + 1}"


# --- A browser ------------------------------------------------------------------------------------------------


class Browser:
    """One person's browser: a cookie jar and an address; each request goes to the next server in turn."""

    def __init__(self, ports: list[int], record, address: str, start: int = 0):
        self.ports, self.record, self.address = ports, record, address
        self.turn = itertools.count(start)
        self.jar: dict[str, str] = {}

    def request(self, kind: str, path: str, form: Form | None = None, expect=(200,), port: int | None = None):
        """Send one request, record it as a Sample of `kind`; return (status, body).

        `expect`: the statuses that are no error, or a function of (status, body) that says so.
        """
        port = port or self.ports[next(self.turn) % len(self.ports)]
        headers = {"X-Forwarded-For": self.address}
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        body = form.encode() if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started, status, data = time.perf_counter(), 0, b""
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        try:
            connection.request("POST" if form is not None else "GET", path, body=body, headers=headers)
            response = connection.getresponse()
            status, data = response.status, response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                for morsel in SimpleCookie(value).values():
                    self.jar[morsel.key] = morsel.value
        except (OSError, http.client.HTTPException):
            status = 0
        finally:
            connection.close()
        ok = expect(status, data) if callable(expect) else status in expect
        sample = Sample(kind, port, status, (time.perf_counter() - started) * 1000, ok)
        self.record(sample)
        if not sample.ok and hasattr(self.record, "keep_example"):
            self.record.keep_example(sample, data)
        return status, data

    def send_form(self, kind: str, page: str, action_ends: str, expect=(302,), answer=None, **values) -> int:
        """Fetch `page`, fill its form posting to `…action_ends` and post it; return the status (0 if no form).

        `answer(form)`, if given, returns more values to fill in, chosen from what the form offers.
        """
        status, html = self.request(kind + " (page)", page)
        form = find_form(html, action_ends, page) if status == 200 else None
        if form is None:
            if status == 200:
                self.record(Sample(kind + " (form missing)", self.ports[0], status, 0.0, False))
            return 0
        if answer is not None:
            values.update(answer(form))
        return self.request(kind, form.action, form.fill(**values), expect=expect)[0]

    def log_in(self, email: str, password: str = BENCH_PASSWORD) -> bool:
        """Log in through the form; True when the servers let us in."""
        return self.send_form("log in", "/account/login", "/account/login", email=email, password=password) == 302


# --- The people -----------------------------------------------------------------------------------------------


class Person:
    """Someone using the site; `step()` does one thing (a page, or a form sent)."""

    def __init__(self, scenario, ports: list[int], record, rng: random.Random, number: int):
        self.scenario, self.rng, self.number = scenario, rng, number
        self.browser = Browser(ports, record, new_address(self.network), start=number)
        self.base = f"/c/{scenario.slug}"

    network = 1

    def start(self) -> None:
        """Get ready (log in); the traffic starts after every person is ready."""

    def step(self) -> None:
        raise NotImplementedError


class Member(Person):
    """A member: reads lists and pages, and answers yes or no to the meetings that are nearly full."""

    network = 1

    def start(self):
        if not self.browser.log_in(self.scenario.members[self.number]):
            raise RuntimeError(f"log-in as {self.scenario.members[self.number]} failed")

    def step(self):
        if self.rng.random() < 0.35:
            meeting = self.rng.choice(self.scenario.rsvp_meetings)
            answer = self.rng.choices(["yes", "no", "maybe"], [6, 3, 1])[0]
            guests = 1 if answer == "yes" and self.rng.random() < 0.15 else 0
            expect = (302,) if not guests else self.saved_or_no_room
            page = f"{self.base}/meetings/{meeting}"
            self.browser.send_form("RSVP", page, f"/meetings/{meeting}/rsvp", expect, response=answer, guests=guests)
        else:
            self.browser.request("member pages", self.rng.choice(self.scenario.pages["member"]))

    @staticmethod
    def saved_or_no_room(status: int, body: bytes) -> bool:
        """Saved (302), or told on the form that there is no room for a guest more: an answer, not an error."""
        return status == 302 or (status == 200 and NO_ROOM in body)


class Visitor(Person):
    """A visitor with no account: reads the public pages and shares a story through a campaign's intake form."""

    network = 2

    def step(self):
        slug = self.rng.choice(self.scenario.public_campaigns)
        if self.rng.random() < 0.5:
            self.browser.request(
                "public pages", self.rng.choice([f"{self.base}/campaigns/public/{slug}", *self.public])
            )
            return
        self.browser.jar.clear()  # each story from someone new, from an address of their own
        self.browser.address = new_address(self.network)
        n = next(_addresses)
        self.browser.send_form(
            "story shared",
            f"{self.base}/stories/share/{slug}",
            f"/stories/share/{slug}",
            answer=self.answer,
            title=f"What happened on our street {n}",
            body="The landlord has not fixed the heating since November. " * self.rng.randint(2, 12),
            email=f"visitor{n}@visitors.example.net" if self.rng.random() < 0.6 else "",
            location=self.rng.choice(["Eastside", "60608", ""]),
            visibility=self.rng.choice(["team", "members", "public"]),
        )

    def answer(self, form: Form) -> dict:
        """Answers to the campaign's questions (fields q_<id>): a choice offered, a number, or a few words."""
        answers = {}
        for name, attributes in form.inputs.items():
            if not name.startswith("q_"):
                continue
            offered = [value for value in form.choices.get(name, []) if value]
            if offered:
                answers[name] = self.rng.choice(offered)
            elif attributes.get("inputmode") in ("decimal", "numeric") or attributes.get("type") == "number":
                answers[name] = self.rng.randint(1, 24)
            else:
                answers[name] = self.rng.choice(["Fix the heating", "Repairs on time", "A fair rent"])
        return answers

    @property
    def public(self) -> list[str]:
        return [f"{self.base}/stories/public", *self.scenario.pages.get("visitor", [])]


class Organizer(Person):
    """An organizer: reads the stakeholder pages and follow-ups, and logs outreach to stakeholders."""

    network = 3

    def start(self):
        if not self.browser.log_in(self.scenario.organizers[self.number]):
            raise RuntimeError(f"log-in as {self.scenario.organizers[self.number]} failed")

    def step(self):
        if self.rng.random() < 0.4:
            stakeholder = self.rng.choice(self.scenario.stakeholders)
            self.browser.send_form(
                "outreach logged",
                f"{self.base}/stakeholders/{stakeholder}/outreach/new",
                f"/stakeholders/{stakeholder}/outreach/new",
                summary=f"Called the office about the repairs ordinance ({self.rng.randint(1, 9999)}).",
                channel=self.rng.choice(["call", "email", "meeting"]),
            )
        else:
            self.browser.request("organizer pages", self.rng.choice(self.scenario.pages["organizer"]))


# --- Running it -----------------------------------------------------------------------------------------------


class Recorder:
    """Collects the samples of every thread, and the first page of each kind of unexpected answer."""

    def __init__(self):
        self.samples: list[Sample] = []
        self.examples: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def __call__(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)

    def keep_example(self, sample: Sample, body: bytes) -> None:
        """Keep the page of the first unexpected answer of each kind and status (to see what went wrong)."""
        with self._lock:
            self.examples.setdefault(f"{sample.kind} {sample.status}", body[:50_000])


def run_people(people: list[Person], seconds: float, think: float, rng: random.Random) -> tuple[float, list]:
    """Every person in a thread, one step after another (with a pause of up to 2×`think`) for `seconds`.

    Returns the time the traffic took and the exceptions raised in the threads (none expected).
    """
    deadline = time.perf_counter() + seconds
    problems = []
    pauses = [random.Random(rng.random()) for _ in people]

    def live(person, pause):
        try:
            while time.perf_counter() < deadline:
                person.step()
                time.sleep(pause.uniform(0, 2 * think))
        except Exception as exc:  # noqa: BLE001 - reported, and fails the run
            problems.append(exc)

    started = time.perf_counter()
    threads = [threading.Thread(target=live, args=pair, daemon=True) for pair in zip(people, pauses, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + TIMEOUT + 30)
    return time.perf_counter() - started, problems


def login_limit_attempts(ports: list[int], email: str, attempts: int) -> tuple[list[int], list[int]]:
    """Wrong passwords for `email` from one address, alternately to each server; (statuses, ports) in order."""
    statuses, used = [], []
    browser = Browser(ports, lambda sample: None, new_address(4))
    for n in range(attempts):
        port = ports[n % len(ports)]
        browser.jar.clear()
        status, html = browser.request("login limit", "/account/login", port=port)
        form = find_form(html, "/account/login", "/account/login")
        if form is None:
            statuses.append(status)
        else:
            form.fill(email=email, password=WRONG_PASSWORD)
            statuses.append(browser.request("login limit", "/account/login", form, port=port)[0])
        used.append(port)
    return statuses, used
