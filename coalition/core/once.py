"""Forms that create something create it once, however often they are sent.

Every form (`core.forms.BaseForm`) carries a hidden single-use nonce, new each time the form is shown. A view that
creates something calls `claim_submission(form)` inside its unit of work, before the service: it records the nonce
in `form_submissions`, whose primary key refuses it a second time, in the same transaction as the creation (so a
failed attempt, rolled back, claims nothing). When the same form arrives again — a double click, a browser
resending the POST — the claim finds the first one and answers with its result instead of creating again: a
redirect to what the first submission created, which the view named with `submission_led_to(form, url)` in the
same transaction, or, when it named nothing, back to the form with a message that it was already saved. A second
submission sent while the first is still running waits for it (the primary key) and then gets that same answer;
one sent after it is answered before the view even validates the form (`register_repeat_check`), since the first
one may have changed what the form accepts (an invited member is no longer on the list of people to invite).

Only a hash of the nonce is stored, and the result is stored encrypted with the nonce itself: a result may be a
private link (a visitor's story), which only the browser that holds the form can get back.
"""

import base64
import hashlib
import re
from datetime import datetime, timedelta

from flask import Flask, abort, flash, redirect, request
from sqlalchemy import String, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from coalition.core.i18n import gettext as _
from coalition.core.models import UTCDateTime, utcnow
from coalition.extensions import db

#: How long a sent form is remembered; a page kept open longer and sent again creates again.
KEEP_FOR = timedelta(days=14)
#: At most this many expired rows are deleted by each claim (rows locked by another claim are skipped).
PRUNE_BATCH = 100
_NONCE = re.compile(r"[A-Za-z0-9_-]{20,64}")
_MULTIPART = "multipart/form-data"


class FormSubmission(db.Model):
    """A form that was sent and saved: its nonce's hash, and (encrypted with the nonce) where it led."""

    __tablename__ = "form_submissions"

    #: SHA-256 of the form's nonce, hex.
    nonce_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The address of what the submission created, encrypted with the nonce; "" when the view named none.
    result: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def _nonce_of(form) -> str | None:
    field = getattr(form, "form_nonce", None)
    value = field.data if field is not None else None
    return value if isinstance(value, str) and _NONCE.fullmatch(value) else None


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _keystream(nonce: str, length: int) -> bytes:
    # SHAKE-256 keyed with the nonce (random, single use) as a stream cipher: each key encrypts one address.
    return hashlib.shake_256(b"coalition form result\x00" + nonce.encode()).digest(length)


def _xor(nonce: str, data: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, _keystream(nonce, len(data)), strict=True))


def _encrypt(nonce: str, url: str) -> str:
    return base64.urlsafe_b64encode(_xor(nonce, url.encode())).decode()


def _decrypt(nonce: str, result: str) -> str:
    try:
        url = _xor(nonce, base64.urlsafe_b64decode(result.encode())).decode()
    except ValueError:
        return ""
    # Only ever back to a page of this site.
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else ""


def _answer_repeat(nonce: str, result: str | None):
    flash(_("This was already saved. It was sent twice, and saved once."), "info")
    return redirect(_decrypt(nonce, result or "") or _back())


def _result_of(nonce: str) -> str | None:
    """The stored (encrypted) result of a saved form, "" when it named none, or None if it was never saved."""
    return db.session.scalar(select(FormSubmission.result).where(FormSubmission.nonce_hash == _hash(nonce)))


def register_repeat_check(app: Flask) -> None:
    """Answer a POST whose form was already saved with the first result, before any view sees it again."""

    @app.before_request
    def answer_repeated_form():
        if request.method != "POST" or request.mimetype not in ("application/x-www-form-urlencoded", _MULTIPART):
            return None
        nonce = request.form.get("form_nonce", "")
        if not _NONCE.fullmatch(nonce):
            return None
        result = _result_of(nonce)
        return None if result is None else _answer_repeat(nonce, result)


def claim_submission(form) -> None:
    """Record, in the current transaction, that this form was sent; if it was already saved, answer as it did.

    The answer to a repeat is a redirect (raised as an HTTP exception) to where the first submission led, with a
    message. A form without a valid nonce (a client that never showed it) is not tracked.
    """
    nonce = _nonce_of(form)
    if nonce is None:
        return
    _prune()
    try:
        with db.session.begin_nested():
            db.session.add(FormSubmission(nonce_hash=_hash(nonce), result="", created_at=utcnow()))
    except IntegrityError:
        result = _result_of(nonce)
        db.session.rollback()
        abort(_answer_repeat(nonce, result))
    form.claimed_submission = nonce


def submission_led_to(form, url: str) -> str:
    """Remember, in the same transaction, where this form's submission led (what it created); return `url`."""
    nonce = getattr(form, "claimed_submission", None)
    if nonce is not None and len(url) <= 700:
        db.session.get(FormSubmission, _hash(nonce)).result = _encrypt(nonce, url)
    return url


def _back() -> str:
    """The page the repeated form was sent from (or the form's own address, when it can be shown)."""
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return request.full_path.rstrip("?")
    referrer = request.referrer or ""
    if referrer.startswith(request.host_url):
        return "/" + referrer[len(request.host_url) :]
    return "/"


def _prune() -> None:
    """Forget forms sent longer ago than KEEP_FOR, a few at a time, skipping rows another request holds."""
    expired = (
        select(FormSubmission.nonce_hash)
        .where(FormSubmission.created_at < utcnow() - KEEP_FOR)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    db.session.execute(
        delete(FormSubmission)
        .where(FormSubmission.nonce_hash.in_(expired.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
