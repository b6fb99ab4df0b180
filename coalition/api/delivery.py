"""Sending webhooks: sign (Standard Webhooks), claim each due delivery atomically, POST it to the address checked
once, retry with backoff, disable an endpoint that keeps failing and tell the leads."""

import base64
import hashlib
import hmac
import http.client
import secrets
import socket
import ssl
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import or_, select, update

from coalition.api.models import WebhookDelivery, WebhookEndpoint
from coalition.api.webhooks import FAILED, PENDING, SENDING, SENT, resolve_address
from coalition.coalitions.services import leads_of
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.links import site_link
from coalition.core.models import utcnow
from coalition.core.outbox import queue_mail
from coalition.extensions import db


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` value: "v1," + base64 HMAC-SHA256 of "id.timestamp.body" with the secret's key."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a checked IP address; the Host header still names the endpoint's host."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked IP address; SNI, certificate check and Host header use the endpoint's host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(delivery: WebhookDelivery) -> int:
    """POST one delivery, signed, to the address checked once (redirects are not followed); return the HTTP status
    (raises on network errors and refused addresses)."""
    endpoint = delivery.endpoint
    address = resolve_address(endpoint.url)
    parts = urlsplit(endpoint.url)
    https = parts.scheme == "https"
    kind = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = kind(
        parts.hostname, parts.port or (443 if https else 80), address, current_app.config["WEBHOOKS_TIMEOUT"]
    )
    timestamp = int(utcnow().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Coalition-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(endpoint.secret, delivery.message_id, timestamp, delivery.body),
    }
    path = parts.path or "/"
    try:
        connection.request("POST", f"{path}?{parts.query}" if parts.query else path, delivery.body.encode(), headers)
        return connection.getresponse().status
    finally:
        connection.close()


def _due_clause(now):
    stale = now - current_app.config["WEBHOOKS_CLAIM_TIMEOUT"]
    return or_(
        (WebhookDelivery.status == PENDING) & (WebhookDelivery.next_attempt_at <= now),
        (WebhookDelivery.status == SENDING) & (WebhookDelivery.claimed_at < stale),
    )


def claim(delivery_id: int) -> bool:
    """Atomically claim one due delivery for this worker (False when another worker took it)."""
    now = utcnow()
    result = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, _due_clause(now))
        .values(status=SENDING, claim_token=secrets.token_hex(16), claimed_at=now)
    )
    db.session.commit()
    return result.rowcount == 1


def _failed(delivery: WebhookDelivery, error: str) -> str:
    delivery.attempts += 1
    delivery.last_error = error[:2000]
    endpoint = delivery.endpoint
    endpoint.consecutive_failures += 1
    if endpoint.active and endpoint.consecutive_failures >= current_app.config["WEBHOOKS_DISABLE_AFTER"]:
        _disable(endpoint)
    if delivery.attempts >= current_app.config["WEBHOOKS_MAX_ATTEMPTS"] or not endpoint.active:
        delivery.status = FAILED
        return "failed"
    delivery.status = PENDING
    delivery.next_attempt_at = utcnow() + timedelta(minutes=min(2**delivery.attempts, 360))
    return "retry"


def _disable(endpoint: WebhookEndpoint) -> None:
    endpoint.active, endpoint.disabled_at = False, utcnow()
    coalition = endpoint.coalition
    for lead in leads_of(coalition):
        queue_mail(
            lead.email,
            _l("A webhook of %(name)s was disabled", name=coalition.name),
            "api/webhook_disabled",
            kind="webhook_disabled",
            locale=lead.locale,
            coalition=coalition,
            endpoint=endpoint,
            settings_url=site_link(f"/c/{coalition.slug}/settings/webhooks"),
        )


def deliver_webhooks(batch_size: int = 100) -> dict[str, int]:
    """Send due deliveries once each; return counts of sent, retried and failed ones."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    due = db.session.scalars(
        select(WebhookDelivery.id).where(_due_clause(utcnow())).order_by(WebhookDelivery.id).limit(batch_size)
    ).all()
    for delivery_id in due:
        if not claim(delivery_id):
            continue
        delivery = db.session.get(WebhookDelivery, delivery_id)
        try:
            status = post(delivery)
        except Exception as exc:  # noqa: BLE001 - any failure (network, refused address, HTTP error) is retried
            counts[_failed(delivery, f"{type(exc).__name__}: {exc}")] += 1
        else:
            delivery.response_status = status
            if 200 <= status < 300:
                delivery.status, delivery.sent_at = SENT, utcnow()
                delivery.endpoint.consecutive_failures = 0
                counts["sent"] += 1
            else:
                counts[_failed(delivery, f"HTTP {status}")] += 1
        delivery.claim_token = None
        db.session.commit()
    return counts
