"""Dashboard panels: each domain contributes a panel to a coalition's dashboard.

A domain registers its panels from its `register(app)` with `register_panel(order, template, provider, action=...)`.
A provider is `func(coalition, user) -> dict | None`; it returns the context of its template
(`templates/<domain>/_dashboard_panel*.html`), or None to show nothing. With `action`, the panel is offered only to
people who may do that action in the coalition (e.g. "story.review" for the organizing team, "coalition.manage"
for leads): that is how each role gets its own dashboard. Each provider must run a bounded number of queries.
"""

from collections.abc import Callable

from coalition.core.permissions import can

#: template -> (order, provider, action); keyed so that registering again (a second app in one process) changes
#: nothing.
PANELS: dict[str, tuple[int, Callable, str | None]] = {}


def register_panel(order: int, template: str, provider: Callable, action: str | None = None) -> None:
    """Register a dashboard panel rendered with `template`, sorted by `order`, for those who may do `action`."""
    PANELS[template] = (order, provider, action)


def panels_for(coalition, user) -> list[tuple[str, dict]]:
    """The (template, context) of every panel the person may see that has something to show."""
    result = []
    for template, (_order, provider, action) in sorted(PANELS.items(), key=lambda item: item[1][0]):
        if action is not None and not can(action, coalition, user):
            continue
        context = provider(coalition, user)
        if context is not None:
            result.append((template, context))
    return result
