"""Dashboard panels: each domain contributes a panel to a coalition's dashboard.

A domain registers its panels from its `register(app)` with `register_panel(order, template, provider)`. A provider
is `func(coalition, user) -> dict | None`; it returns the context of its template
(`templates/<domain>/_dashboard_panel.html`), or None to show nothing. Each must run a bounded number of queries.
"""

from collections.abc import Callable

#: template -> (order, provider); keyed so that registering again (a second app in one process) changes nothing.
PANELS: dict[str, tuple[int, Callable]] = {}


def register_panel(order: int, template: str, provider: Callable) -> None:
    """Register a dashboard panel rendered with `template`, sorted by `order`."""
    PANELS[template] = (order, provider)


def panels_for(coalition, user) -> list[tuple[str, dict]]:
    """The (template, context) of every panel that has something to show."""
    result = []
    for template, (_order, provider) in sorted(PANELS.items(), key=lambda item: item[1][0]):
        context = provider(coalition, user)
        if context is not None:
            result.append((template, context))
    return result
