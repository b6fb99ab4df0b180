"""API keys: created and revoked by leads, found by their hash, acting as an organizer of one coalition."""

from dataclasses import dataclass

from flask import current_app, g, request
from sqlalchemy import select, update

from coalition.api.models import ApiKey, KeyScope
from coalition.core.audit import record_audit
from coalition.core.errors import DomainError
from coalition.core.i18n import gettext as _
from coalition.core.models import utcnow
from coalition.core.permissions import Role
from coalition.core.tokens import hash_token, new_token
from coalition.extensions import db

TOKEN_HEADER = "OSDI-API-Token"  # noqa: S105 - a header name, not a secret
#: last_used_at is written at most this often per key (a busy key should not write on every read).
LAST_USED_EVERY_SECONDS = 60


@dataclass(frozen=True)
class KeyMembership:
    """The membership a key acts with: an organizer of its one coalition."""

    coalition_id: int
    role: Role = Role.ORGANIZER
    status: str = "active"


class ApiActor:
    """The acting party of an API request: permission checks see an organizer of the key's coalition, the audit
    log sees no person (the key's name is written in each entry)."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    id = None

    def __init__(self, key: ApiKey):
        self.key = key
        self.display_name = key.name
        self.locale = None

    def active_memberships(self) -> dict:
        """{coalition id: organizer membership} for the key's coalition only."""
        return {self.key.coalition_id: KeyMembership(self.key.coalition_id)}

    def get_id(self):
        """API actors have no log-in session."""
        return None


def create_key(coalition, by, *, name: str, scope: str) -> tuple[ApiKey, str]:
    """Create a key; returns it and the raw secret, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Please give the key a name."), "name")
    raw, token_hash = new_token()
    raw = "osdi_" + raw
    key = ApiKey(
        coalition_id=coalition.id,
        name=name[:100],
        scope=KeyScope(scope),
        token_hash=hash_token(raw),
        prefix=raw[:12],
        created_by_id=getattr(by, "id", None),
    )
    db.session.add(key)
    db.session.flush()
    record_audit("api_key.create", actor=by, coalition=coalition, obj=key, name=key.name, scope=str(key.scope))
    return key, raw


def revoke_key(key: ApiKey, by) -> None:
    """Revoke a key: it stops working at once."""
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        record_audit("api_key.revoke", actor=by, coalition=key.coalition, obj=key, name=key.name)


def keys_of(coalition) -> list[ApiKey]:
    """The coalition's keys, newest first."""
    return list(
        db.session.scalars(select(ApiKey).where(ApiKey.coalition_id == coalition.id).order_by(ApiKey.id.desc()))
    )


def find_active_key(raw: str | None) -> ApiKey | None:
    """The unrevoked key behind a raw token, or None."""
    if not raw or len(raw) > 200:
        return None
    key = db.session.scalar(select(ApiKey).where(ApiKey.token_hash == hash_token(raw)))
    return key if key is not None and not key.is_revoked else None


def note_use(key: ApiKey) -> None:
    """Record that the key was used (at most once a minute per key)."""
    now = utcnow()
    if key.last_used_at is not None and (now - key.last_used_at).total_seconds() < LAST_USED_EVERY_SECONDS:
        return
    db.session.execute(
        update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now).execution_options(synchronize_session=False)
    )


def rate_limit_key() -> str:
    """Flask-Limiter key: the hash of the token sent (one bucket per key), else the client's address."""
    raw = request.headers.get(TOKEN_HEADER)
    return "apikey:" + hash_token(raw) if raw else "apiaddr:" + (request.remote_addr or "")


def rate_limit() -> str:
    """The configured API limit (RATELIMIT_API)."""
    return current_app.config["RATELIMIT_API"]


def audit_api(action: str, obj=None, **detail) -> None:
    """Write an audit entry for a read of personal data or a write through the API, naming the key."""
    key = g.api_key
    record_audit(
        f"api.{action}", coalition=key.coalition, obj=obj, api_key=key.name, api_key_id=key.public_id, **detail
    )
