"""Webhooks: queued with the change, signed per Standard Webhooks (verified independently), sent once, retried,
disabled after repeated failures, and never sent to private addresses in production."""

import base64
import hashlib
import hmac
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select, update

from coalition.api import delivery, webhooks
from coalition.api.models import WebhookDelivery, WebhookEndpoint
from coalition.core.errors import DomainError
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings import rsvps


def verify_standard_webhook(secret: str, headers, body: bytes) -> dict:
    """An independent verifier written from the Standard Webhooks spec: HMAC-SHA256 of "{id}.{timestamp}.{body}"
    keyed with the base64-decoded secret after "whsec_", compared against each "v1,<base64>" signature."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = headers["webhook-id"].encode() + b"." + headers["webhook-timestamp"].encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    signatures = [part.split(",", 1)[1] for part in headers["webhook-signature"].split() if part.startswith("v1,")]
    assert any(hmac.compare_digest(expected, s) for s in signatures), "bad signature"
    assert abs(int(headers["webhook-timestamp"]) - int(utcnow().timestamp())) < 300
    return json.loads(body)


class Receiver:
    """A small HTTP server on 127.0.0.1 in a thread that keeps what it receives."""

    def __init__(self, port):
        self.port, self.received, self.server = port, [], None

    def start(self):
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def receiver():
    server = Receiver(_free_port())
    server.start()
    yield server
    if server.server is not None:
        server.stop()


def _endpoint(coalition, port, events=("attendance.created", "attendance.updated")):
    endpoint = webhooks.create_endpoint(coalition, None, url=f"http://127.0.0.1:{port}/hook", events=list(events))
    db.session.commit()
    return endpoint


def _rsvp(meeting, user):
    rsvps.rsvp_member(meeting, user, "yes")
    db.session.commit()


def test_rsvp_event_is_received_once_with_a_valid_signature(team, make_meeting, receiver):
    endpoint = _endpoint(team["coalition"], receiver.port)
    meeting = make_meeting(team["coalition"])
    _rsvp(meeting, team["member"])
    assert delivery.deliver_webhooks() == {"sent": 1, "retry": 0, "failed": 0}
    assert delivery.deliver_webhooks() == {"sent": 0, "retry": 0, "failed": 0}
    headers, body = receiver.received[0]
    event = verify_standard_webhook(endpoint.secret, headers, body)
    assert len(receiver.received) == 1
    assert event["type"] == "attendance.created"
    assert event["data"]["event"]["identifiers"] == [f"coalition:{meeting.public_id}"]


def test_a_tampered_body_fails_the_independent_verification(team, make_meeting, receiver):
    endpoint = _endpoint(team["coalition"], receiver.port)
    _rsvp(make_meeting(team["coalition"]), team["member"])
    delivery.deliver_webhooks()
    headers, body = receiver.received[0]
    with pytest.raises(AssertionError):
        verify_standard_webhook(endpoint.secret, headers, body.replace(b"attendance", b"attendancE"))


def test_a_receiver_that_is_down_gets_the_event_once_after_it_comes_back(team, make_meeting):
    port = _free_port()
    _endpoint(team["coalition"], port)
    _rsvp(make_meeting(team["coalition"]), team["member"])
    assert delivery.deliver_webhooks()["retry"] == 1
    server = Receiver(port)
    server.start()
    try:
        assert delivery.deliver_webhooks()["sent"] == 0  # not due yet: backoff
        db.session.execute(update(WebhookDelivery).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert delivery.deliver_webhooks()["sent"] == 1
        assert delivery.deliver_webhooks()["sent"] == 0
        assert len(server.received) == 1
    finally:
        server.stop()


def test_a_delivery_claimed_by_another_worker_is_not_sent_again(team, make_meeting, receiver):
    _endpoint(team["coalition"], receiver.port)
    _rsvp(make_meeting(team["coalition"]), team["member"])
    delivery_id = db.session.scalar(select(WebhookDelivery.id))
    assert delivery.claim(delivery_id) is True
    assert delivery.claim(delivery_id) is False
    assert delivery.deliver_webhooks()["sent"] == 0 and receiver.received == []


def test_an_endpoint_that_keeps_failing_is_disabled_and_leads_are_told(app, team, make_meeting, outbox):
    app.config["WEBHOOKS_DISABLE_AFTER"] = 2
    try:
        endpoint = _endpoint(team["coalition"], _free_port())
        meeting = make_meeting(team["coalition"])
        _rsvp(meeting, team["member"])
        _rsvp(meeting, team["organizer"])
        delivery.deliver_webhooks()
    finally:
        app.config["WEBHOOKS_DISABLE_AFTER"] = 20
    db.session.expire_all()
    assert db.session.get(WebhookEndpoint, endpoint.id).active is False
    assert [m.to_address for m in outbox(kind="webhook_disabled")] == [team["lead"].email]


def test_events_the_endpoint_did_not_choose_are_not_queued(team, make_meeting):
    _endpoint(team["coalition"], 9, events=["story.submitted"])
    _rsvp(make_meeting(team["coalition"]), team["member"])
    assert db.session.scalar(select(WebhookDelivery)) is None


def test_a_failed_change_queues_nothing(team, make_meeting):
    _endpoint(team["coalition"], 9)
    meeting = make_meeting(team["coalition"])
    rsvps.rsvp_member(meeting, team["member"], "yes")
    db.session.rollback()
    assert db.session.scalar(select(WebhookDelivery)) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.0.0.8/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "http://example.org/hook",
        "ftp://example.org/hook",
    ],
)
def test_private_and_local_addresses_are_refused_in_production(app, team, url):
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    try:
        with pytest.raises(DomainError):
            webhooks.create_endpoint(team["coalition"], None, url=url, events=["person.joined"])
    finally:
        app.config["WEBHOOKS_ALLOW_PRIVATE"] = True


def test_member_joined_and_story_submitted_events_carry_ids_only(team, make_member, receiver):
    from coalition.stories.services import create_story

    endpoint = _endpoint(team["coalition"], receiver.port, events=["person.joined", "story.submitted"])
    make_member(team["coalition"])
    create_story(team["coalition"], team["member"], {"title": "T", "body": "Secret text"}, submit=True)
    db.session.commit()
    delivery.deliver_webhooks()
    events = [verify_standard_webhook(endpoint.secret, h, b) for h, b in receiver.received]
    assert sorted(e["type"] for e in events) == ["person.joined", "story.submitted"]
    assert all(b"Secret text" not in body for _, body in receiver.received)


_REAL_GETADDRINFO = socket.getaddrinfo


class _CountingResolver:
    """Stands in for DNS: every name resolves to `answer` (e.g. a rebinding name that now says 127.0.0.1)."""

    def __init__(self, answer):
        self.answer, self.lookups = answer, []

    def __call__(self, host, port, *args, **kwargs):
        self.lookups.append(host)
        return _REAL_GETADDRINFO(self.answer, port, *args, **kwargs)


def test_a_delivery_connects_to_the_address_it_checked_with_the_hosts_name(team, make_meeting, receiver, monkeypatch):
    endpoint = _endpoint(team["coalition"], receiver.port)
    endpoint.url = f"http://hooks.example.test:{receiver.port}/hook?x=1"
    db.session.commit()
    resolver = _CountingResolver("127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    _rsvp(make_meeting(team["coalition"]), team["member"])
    assert delivery.deliver_webhooks()["sent"] == 1
    headers, body = receiver.received[0]
    assert headers["host"] == f"hooks.example.test:{receiver.port}"
    # one name lookup; the connection itself went to the checked numeric address
    assert resolver.lookups == ["hooks.example.test", "127.0.0.1"]
    verify_standard_webhook(endpoint.secret, headers, body)


def test_a_name_that_resolves_to_localhost_is_refused_when_sending_in_production(
    app, team, make_meeting, receiver, monkeypatch
):
    endpoint = _endpoint(team["coalition"], receiver.port)
    endpoint.url = f"https://localhost:{receiver.port}/hook"
    db.session.commit()
    _rsvp(make_meeting(team["coalition"]), team["member"])
    resolver = _CountingResolver("127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    try:
        assert delivery.deliver_webhooks() == {"sent": 0, "retry": 1, "failed": 0}
    finally:
        app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    assert receiver.received == []
    assert resolver.lookups == ["localhost"]
    assert "private or local" in db.session.scalar(select(WebhookDelivery.last_error))


def test_a_rebinding_name_is_refused_at_sending_after_passing_at_registration(app, team, make_meeting, monkeypatch):
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    try:
        monkeypatch.setattr(socket, "getaddrinfo", _CountingResolver("93.184.216.34"))
        endpoint = webhooks.create_endpoint(
            team["coalition"], None, url="https://rebind.example.test/hook", events=["attendance.created"]
        )
        db.session.commit()
        _rsvp(make_meeting(team["coalition"]), team["member"])
        monkeypatch.setattr(socket, "getaddrinfo", _CountingResolver("127.0.0.1"))
        assert delivery.deliver_webhooks()["retry"] == 1
    finally:
        app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    row = db.session.scalar(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    assert row.sent_at is None and "private or local" in row.last_error
