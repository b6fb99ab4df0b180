"""API keys, webhook endpoints and the persistent queue of webhook deliveries."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core.models import PublicIdMixin, UTCDateTime, enum_column, utcnow
from coalition.extensions import db


class KeyScope(enum.StrEnum):
    READ = "read"
    READ_WRITE = "read_write"


class ApiKey(PublicIdMixin, db.Model):
    """A secret a coalition's tools send as `OSDI-API-Token`; it acts as an organizer of that one coalition."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[KeyScope] = enum_column(KeyScope, default=KeyScope.READ)
    #: SHA-256 of the raw key (core.tokens); the key itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the raw key, so leads can tell their keys apart.
    prefix: Mapped[str] = mapped_column(String(12))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    coalition = relationship("Coalition")
    created_by = relationship("User")

    @property
    def can_write(self) -> bool:
        return self.scope == KeyScope.READ_WRITE

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class WebhookEndpoint(db.Model):
    """An HTTPS address a coalition's lead registered to be told of chosen events."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    #: Event types this endpoint receives, e.g. ["attendance.created", "person.joined"].
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: "whsec_" + base64 key; kept in clear because signing needs it (shown to leads to configure the receiver).
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Failed attempts in a row; the endpoint is disabled when it reaches WEBHOOKS_DISABLE_AFTER.
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    coalition = relationship("Coalition")


class WebhookDelivery(db.Model):
    """One event for one endpoint, queued in the transaction of the change and sent by `flask webhooks send`."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_status_next_attempt", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    #: The endpoint's coalition; deliveries are read by endpoint or, by the sender, across coalitions: not indexed.
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    #: The `webhook-id` header: the same for every attempt, so receivers can drop repeats.
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    event_type: Mapped[str] = mapped_column(String(40))
    #: The exact JSON body that is signed and sent.
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_status: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    endpoint = relationship("WebhookEndpoint")
