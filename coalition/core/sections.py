"""Page sections: a higher domain adds a section to a lower domain's page without the lower one importing it
(e.g. decisions lists a campaign's decisions on the campaign page).

A domain registers, from its `register(app)`, `register_section(page, order, template, provider)`; a provider is
`func(obj, user) -> dict | None` returning its template's context (None shows nothing). The page's template loops
over `sections_for(page, obj, user)` and includes each template with `context` set. Each provider runs a bounded
number of queries.
"""

from collections.abc import Callable

#: page -> {template: (order, provider)}; keyed so that registering again changes nothing.
SECTIONS: dict[str, dict[str, tuple[int, Callable]]] = {}


def register_section(page: str, order: int, template: str, provider: Callable) -> None:
    """Register a section of `page` (e.g. "campaigns.show") rendered with `template`, sorted by `order`."""
    SECTIONS.setdefault(page, {})[template] = (order, provider)


def sections_for(page: str, obj, user) -> list[tuple[str, dict]]:
    """The (template, context) of every section of `page` that has something to show for `obj`."""
    result = []
    for template, (_order, provider) in sorted(SECTIONS.get(page, {}).items(), key=lambda item: item[1][0]):
        context = provider(obj, user)
        if context is not None:
            result.append((template, context))
    return result
