"""Helpers for tests that follow links out of queued mail."""

import re
from urllib.parse import urlsplit


def mail_link(message, path_prefix: str) -> str:
    """The first absolute link in a queued message whose path starts with `path_prefix`."""
    for url in re.findall(r"https?://\S+", message.body_text):
        if urlsplit(url).path.startswith(path_prefix):
            return url
    raise AssertionError(f"no link to {path_prefix} in: {message.body_text}")


def mail_path(message, path_prefix: str) -> str:
    """Path (and query) of the first link to `path_prefix` in a queued message, ready for the test client."""
    parts = urlsplit(mail_link(message, path_prefix))
    return parts.path + (f"?{parts.query}" if parts.query else "")
