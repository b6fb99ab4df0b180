"""Hooks through which each domain contributes to "export my data" and "delete my account".

A domain registers, at import time:
- an exporter: `exporter(user) -> dict` (JSON-serialisable), shown under its key in the export;
- an eraser: `eraser(user, keep_stories_anonymised: bool)`, called before the user row is deleted, inside the
  same transaction; it must remove or anonymise everything of that person the domain holds.
"""

from collections.abc import Callable

EXPORTERS: dict[str, Callable] = {}
ERASERS: dict[str, Callable] = {}


def personal_data_exporter(key: str):
    """Register `func(user) -> dict` as the export section named `key`."""

    def decorator(func):
        EXPORTERS[key] = func
        return func

    return decorator


def personal_data_eraser(key: str):
    """Register `func(user, keep_stories_anonymised)` to run when an account is deleted."""

    def decorator(func):
        ERASERS[key] = func
        return func

    return decorator
