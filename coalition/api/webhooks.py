"""Signed webhooks (Standard Webhooks): endpoints, deliveries queued with the change, and the delivery worker.

A domain event (core.signals) queues one delivery row per subscribed endpoint in the same transaction as the
change. `flask webhooks send` claims each due row with one conditional UPDATE (so several workers never send a
delivery twice), POSTs the signed body, and retries with backoff; an endpoint failing WEBHOOKS_DISABLE_AFTER times
in a row is disabled and the leads are told by mail. Addresses resolving to private, loopback or link-local
networks are refused unless WEBHOOKS_ALLOW_PRIVATE (development, tests).
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from coalition.api import hal
from coalition.api.models import WebhookDelivery, WebhookEndpoint
from coalition.coalitions.models import Coalition
from coalition.coalitions.services import leads_of
from coalition.core.audit import record_audit
from coalition.core.errors import DomainError
from coalition.core.links import site_link
from coalition.core.models import utcnow
from coalition.core.outbox import queue_mail
from coalition.extensions import db

EVENT_TYPES = (
    "person.joined",
    "person.left",
    "attendance.created",
    "attendance.updated",
    "story.submitted",
    "outreach.logged",
    "event.cancelled",
)
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


# --- Endpoints ------------------------------------------------------------------------------------------------


def check_address(url: str) -> None:
    """Refuse URLs that are not http(s) or whose host resolves to a private, loopback or link-local address."""
    parts = urlsplit(url or "")
    allow_private = current_app.config["WEBHOOKS_ALLOW_PRIVATE"]
    if parts.scheme not in ("https", "http") or not parts.hostname or (parts.scheme == "http" and not allow_private):
        raise DomainError(_("Please give an https:// address."), "url")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise DomainError(_("This address cannot be found."), "url") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise DomainError(_("Webhooks cannot be sent to private or local network addresses."), "url")


def create_endpoint(coalition: Coalition, by, *, url: str, events: list[str]) -> WebhookEndpoint:
    """Register an endpoint for some events; its signing secret is made here."""
    url = (url or "").strip()
    check_address(url)
    chosen = [e for e in EVENT_TYPES if e in set(events or [])]
    if not chosen:
        raise DomainError(_("Please choose at least one event."), "events")
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    endpoint = WebhookEndpoint(coalition_id=coalition.id, url=url[:500], events=chosen, secret=secret)
    endpoint.created_by_id = getattr(by, "id", None)
    db.session.add(endpoint)
    db.session.flush()
    record_audit("webhook.create", actor=by, coalition=coalition, obj=endpoint, url=endpoint.url)
    return endpoint


def set_endpoint_active(endpoint: WebhookEndpoint, active: bool, by) -> None:
    """Enable (failures forgotten) or disable an endpoint."""
    endpoint.active = active
    endpoint.consecutive_failures = 0
    endpoint.disabled_at = None if active else utcnow()
    record_audit(
        "webhook.active" if active else "webhook.disable", actor=by, coalition=endpoint.coalition, obj=endpoint
    )


def delete_endpoint(endpoint: WebhookEndpoint, by) -> None:
    """Remove an endpoint and its queued deliveries."""
    record_audit("webhook.delete", actor=by, coalition=endpoint.coalition, obj=endpoint, url=endpoint.url)
    db.session.delete(endpoint)
    db.session.flush()


# --- Queueing -------------------------------------------------------------------------------------------------


def queue_event(coalition_id: int, event_type: str, data: dict) -> int:
    """Queue one delivery per active endpoint of the coalition that chose `event_type`; never commits."""
    endpoints = db.session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.coalition_id == coalition_id, WebhookEndpoint.active.is_(True))
    ).all()
    chosen = [e for e in endpoints if event_type in (e.events or [])]
    body = json.dumps({"type": event_type, "timestamp": hal.iso(utcnow()), "data": data}, separators=(",", ":"))
    for endpoint in chosen:
        message_id = "msg_" + secrets.token_hex(16)
        db.session.add(
            WebhookDelivery(endpoint_id=endpoint.id, message_id=message_id, event_type=event_type, body=body)
        )
    return len(chosen)


def _ids(obj) -> list[str] | None:
    return hal.identifiers(obj) if obj is not None else None


def on_member_joined(coalition_id, membership, **_):
    """Queue `person.joined`."""
    queue_event(coalition_id, "person.joined", {"person": {"identifiers": _ids(membership)}})


def on_member_left(coalition_id, membership, **_):
    """Queue `person.left`."""
    queue_event(coalition_id, "person.left", {"person": {"identifiers": _ids(membership)}})


def on_rsvp_changed(coalition_id, rsvp, created=False, **_):
    """Queue `attendance.created` or `attendance.updated` (status only: needs stay in the API)."""
    waitlisted = rsvp.waitlisted and str(rsvp.response) == "yes"
    data = {
        "attendance": {"identifiers": _ids(rsvp), "response": str(rsvp.response), "waitlisted": waitlisted},
        "event": {"identifiers": _ids(rsvp.meeting)},
    }
    queue_event(coalition_id, "attendance.created" if created else "attendance.updated", data)


def on_story_submitted(coalition_id, story, **_):
    """Queue `story.submitted`: its id and campaign only, never its text."""
    data = {"story": {"identifiers": _ids(story)}, "advocacy_campaign": {"identifiers": _ids(story.campaign)}}
    queue_event(coalition_id, "story.submitted", data)


def on_outreach_logged(coalition_id, outreach, **_):
    """Queue `outreach.logged`."""
    data = {"outreach": {"identifiers": _ids(outreach)}, "advocacy_campaign": {"identifiers": _ids(outreach.campaign)}}
    queue_event(coalition_id, "outreach.logged", data)


def on_meeting_cancelled(coalition_id, meeting, **_):
    """Queue `event.cancelled`."""
    queue_event(coalition_id, "event.cancelled", {"event": {"identifiers": _ids(meeting)}})


# --- Signing and sending --------------------------------------------------------------------------------------


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` value: "v1," + base64 HMAC-SHA256 of "id.timestamp.body" with the secret's key."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead to a private address: treat it as a failure."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(delivery: WebhookDelivery) -> int:
    """POST one delivery, signed; return the HTTP status (raises on network errors and refused addresses)."""
    endpoint = delivery.endpoint
    check_address(endpoint.url)
    timestamp = int(utcnow().timestamp())
    request = urllib.request.Request(  # noqa: S310 - check_address allowed http(s) only
        endpoint.url,
        data=delivery.body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Coalition-Webhooks/1",
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(endpoint.secret, delivery.message_id, timestamp, delivery.body),
        },
    )
    with _opener.open(request, timeout=current_app.config["WEBHOOKS_TIMEOUT"]) as response:
        return response.status


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


def recent_deliveries(endpoint: WebhookEndpoint, limit: int = 20) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first (for the settings page)."""
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )
