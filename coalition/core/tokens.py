"""Secret tokens for links: only a hash is stored, so a database leak reveals no usable link."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """Return (raw token for the link, hash to store)."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    """Return the stored form of a raw token."""
    return hashlib.sha256(raw.encode()).hexdigest()
