"""The audit log: who did what to which object, kept for leads to read."""

from datetime import datetime

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, Index, String, insert
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.core import pagecache
from coalition.core.models import UTCDateTime, utcnow
from coalition.core.work import commit_with_response
from coalition.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    # The id too: the log pages through ids from the index alone (newest first), then loads the page's entries.
    __table_args__ = (Index("ix_audit_entries_coalition_created", "coalition_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int | None] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    #: Kept NULL once the acting person deletes their account; the entry itself stays.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", lazy="joined")


def record_audit(action: str, *, actor=None, coalition=None, obj=None, **detail) -> AuditEntry:
    """Add an audit entry for `action` to the session (the request's commit keeps it)."""
    fields = {
        "action": action,
        "actor_id": getattr(actor, "id", None),
        "coalition_id": getattr(coalition, "id", None),
        "object_type": type(obj).__name__ if obj is not None else None,
        "object_id": getattr(obj, "id", None),
        "detail": detail,
    }
    # A page kept for serving again (core.pagecache) records this entry again each time it is served.
    pagecache.note_replay("audit", **fields)
    return _add_entry(fields)


def _values(fields: dict) -> dict:
    return {**fields, "ip_address": request.remote_addr if has_request_context() else None}


def _add_entry(fields: dict) -> AuditEntry:
    entry = AuditEntry(**_values(fields))
    db.session.add(entry)
    return entry


def replay_audit(**fields) -> None:
    """Record again the audit entry of a page served from the page cache, committed with the response: one INSERT,
    without an object for the session's unit of work to flush (a kept page is served in a few milliseconds, and the
    flush with its bookkeeping took a third of them)."""
    db.session.execute(insert(AuditEntry).values(**_values(fields)))
    commit_with_response()
