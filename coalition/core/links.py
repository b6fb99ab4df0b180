"""Absolute links for mail, calendar feeds and the API: built from SITE_URL, never from the request's Host header."""

from flask import current_app


def site_link(path: str) -> str:
    """An absolute link built from SITE_URL, never from the request's Host header."""
    return current_app.config["SITE_URL"] + path
