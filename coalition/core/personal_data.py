"""Hooks through which each domain contributes to "export my data" and "delete my account".

A domain registers, from its `register(app)`, with `register_personal_data(key, exporter=..., eraser=...)`:
- an exporter: `exporter(user) -> dict` (JSON-serialisable), shown under its key in the export;
- an eraser: `eraser(user, keep_stories_anonymised: bool)`, called before the user row is deleted, inside the
  same transaction; it must remove or anonymise everything of that person the domain holds.
"""

from collections.abc import Callable

EXPORTERS: dict[str, Callable] = {}
ERASERS: dict[str, Callable] = {}


def register_personal_data(key: str, exporter: Callable | None = None, eraser: Callable | None = None) -> None:
    """Register a domain's export section and/or account eraser under `key`."""
    if exporter is not None:
        EXPORTERS[key] = exporter
    if eraser is not None:
        ERASERS[key] = eraser
