"""The accounts of the benchmark dataset (see `coalition.core.bulk` for the shared context)."""

from datetime import timedelta

from coalition.accounts.models import User
from coalition.accounts.passwords import hash_password
from coalition.core.bulk import FIRST, LAST, insert_rows


def bench_rows(ctx, emails: list[str], password: str) -> None:
    """Insert one verified account per email, all with `password` (hashed once); add their ids as `ctx["users"]`."""
    rng, now = ctx["rng"], ctx["now"]
    password_hash = hash_password(password)
    users = [
        {
            "email": email,
            "password_hash": password_hash,
            "display_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "locale": rng.choice(["en", "en", "en", "es"]),
            "email_verified_at": now - timedelta(days=rng.randint(1, 700)),
        }
        for email in emails
    ]
    user_ids = insert_rows(User, users, returning=True)
    ctx["users"] = user_ids
    ctx["emails"] = dict(zip(user_ids, emails, strict=True))
