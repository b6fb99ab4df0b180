"""The persistent mail outbox.

Mail is queued as a row in the same transaction as the change that caused it, and delivered later by
`flask outbox send`. Each message is claimed by an atomic UPDATE before sending, so two workers never send
one message twice; failures are retried with exponential backoff; an SMTP outage loses nothing.
"""

import base64
import secrets
from datetime import datetime, timedelta
from email.utils import make_msgid

from flask import current_app
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import JSON, Index, String, Text, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from coalition.core.models import UTCDateTime, utcnow
from coalition.extensions import db, mail

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next_attempt", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    #: [{"filename", "content_type", "data" (base64)}]
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    #: What caused the mail (e.g. "password_reset"), for operators reading the table.
    kind: Mapped[str] = mapped_column(String(60), default="mail")
    #: When set, the same logical mail (e.g. one reminder per RSVP) can only ever be queued once.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: Stable Message-ID header, so a receiving server can recognise a repeated delivery.
    message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def queue_mail(
    to: str,
    subject: str,
    template: str,
    *,
    kind: str = "mail",
    dedupe_key: str | None = None,
    attachments: list[tuple[str, str, bytes | str]] | None = None,
    locale: str | None = None,
    **context,
) -> OutboxMessage | None:
    """Render `templates/email/<template>.txt` (and `.html` if present) and add it to the outbox.

    Returns None when a message with the same `dedupe_key` was already queued. Never commits.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        context.setdefault("site_url", current_app.config["SITE_URL"])
        body_text = _render(f"email/{template}.txt", **context)
        body_html = _render_optional(f"email/{template}.html", **context)
        subject = str(subject)
    message = OutboxMessage(
        to_address=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        dedupe_key=dedupe_key,
        message_id=make_msgid(domain=_mail_domain()),
        attachments=[
            {
                "filename": name,
                "content_type": ctype,
                "data": base64.b64encode(data.encode() if isinstance(data, str) else data).decode(),
            }
            for name, ctype, data in attachments or []
        ],
    )
    if dedupe_key is None:
        db.session.add(message)
        return message
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return None
    return message


def _render(template: str, **context) -> str:
    # Straight from the Jinja environment, without the page context processors: mail is also queued by CLI
    # commands and workers, where there is no request and no logged-in person.
    return current_app.jinja_env.get_template(template).render(**context)


def _render_optional(template: str, **context) -> str | None:
    if template in current_app.jinja_env.list_templates(filter_func=lambda name: name == template):
        return _render(template, **context)
    return None


def _mail_domain() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender.rsplit("@", 1)[-1].rstrip(">") if "@" in sender else "coalition.localhost"


def _due_clause(now: datetime):
    stale = now - current_app.config["OUTBOX_CLAIM_TIMEOUT"]
    return or_(
        (OutboxMessage.status == PENDING) & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == SENDING) & (OutboxMessage.claimed_at < stale),
    )


def claim_message(message_id: int) -> str | None:
    """Atomically claim one due message for this worker; return the claim token, or None if another took it."""
    now = utcnow()
    token = secrets.token_hex(16)
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due_clause(now))
        .values(status=SENDING, claim_token=token, claimed_at=now)
    )
    db.session.commit()
    return token if result.rowcount == 1 else None


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 360))


def _to_flask_message(message: OutboxMessage) -> Message:
    msg = Message(
        subject=message.subject,
        recipients=[message.to_address],
        body=message.body_text,
        html=message.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    msg.msgId = message.message_id
    for item in message.attachments or []:
        msg.attach(item["filename"], item["content_type"], base64.b64decode(item["data"]))
    return msg


def deliver_outbox(batch_size: int = 100) -> dict[str, int]:
    """Send due messages once each; return counts of sent, retried and failed messages."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    due_ids = db.session.scalars(
        select(OutboxMessage.id).where(_due_clause(utcnow())).order_by(OutboxMessage.id).limit(batch_size)
    ).all()
    for message_id in due_ids:
        token = claim_message(message_id)
        if token is None:
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            mail.send(_to_flask_message(message))
        except Exception as exc:  # noqa: BLE001 - any delivery failure is retried later
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
                message.status = FAILED
                counts["failed"] += 1
            else:
                message.status = PENDING
                message.next_attempt_at = utcnow() + _backoff(message.attempts)
                counts["retry"] += 1
        else:
            message.status = SENT
            message.sent_at = utcnow()
            counts["sent"] += 1
        message.claim_token = None
        db.session.commit()
    return counts
