"""Dashboard panels: each domain contributes a panel to a coalition's dashboard.

A provider is `func(coalition, user) -> dict | None`; it returns the context of its template
(`templates/<domain>/_dashboard_panel.html`), or None to show nothing. Each must run a bounded number of queries.
"""

from collections.abc import Callable

PANELS: list[tuple[int, str, Callable]] = []


def dashboard_panel(order: int, template: str):
    """Register a dashboard panel rendered with `template`, sorted by `order`."""

    def decorator(func):
        PANELS.append((order, template, func))
        PANELS.sort(key=lambda item: item[0])
        return func

    return decorator


def panels_for(coalition, user) -> list[tuple[str, dict]]:
    """The (template, context) of every panel that has something to show."""
    result = []
    for _order, template, func in PANELS:
        context = func(coalition, user)
        if context is not None:
            result.append((template, context))
    return result
