"""Signed webhooks (Standard Webhooks): endpoints, deliveries queued with the change, and the delivery worker.

A domain event (core.signals) queues one delivery row per subscribed endpoint in the same transaction as the
change. `flask webhooks send` claims each due row with one conditional UPDATE (so several workers never send a
delivery twice), POSTs the signed body, and retries with backoff; an endpoint failing WEBHOOKS_DISABLE_AFTER times
in a row is disabled and the leads are told by mail. Addresses resolving to private, loopback or link-local
networks are refused unless WEBHOOKS_ALLOW_PRIVATE (development, tests). Sending lives in `delivery`.
"""

import base64
import ipaddress
import json
import secrets
import socket
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from coalition.api import hal
from coalition.api.models import WebhookDelivery, WebhookEndpoint
from coalition.coalitions.models import Coalition
from coalition.core.audit import record_audit
from coalition.core.errors import DomainError
from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
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


def resolve_address(url: str) -> str:
    """The one IP address a webhook to `url` will connect to, checked: refuse URLs that are not http(s) or whose host
    resolves to a private, loopback or link-local address. The sender connects to this very address (no second DNS
    lookup), so a name that changes its answer between the check and the connection (DNS rebinding) gains nothing."""
    parts = urlsplit(url or "")
    allow_private = current_app.config["WEBHOOKS_ALLOW_PRIVATE"]
    if parts.scheme not in ("https", "http") or not parts.hostname or (parts.scheme == "http" and not allow_private):
        raise DomainError(_("Please give an https:// address."), "url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        raise DomainError(_("This address cannot be found."), "url") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not allow_private and any(not a.is_global or a.is_multicast for a in addresses):
        raise DomainError(_("Webhooks cannot be sent to private or local network addresses."), "url")
    return str(addresses[0])


def create_endpoint(coalition: Coalition, by, *, url: str, events: list[str]) -> WebhookEndpoint:
    """Register an endpoint for some events; its signing secret is made here."""
    url = (url or "").strip()
    resolve_address(url)
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
            WebhookDelivery(
                coalition_id=endpoint.coalition_id,
                endpoint_id=endpoint.id,
                message_id=message_id,
                event_type=event_type,
                body=body,
            )
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
