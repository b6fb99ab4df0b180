"""The coalition's menu and the site's fixed links: which items a person sees, which one is the current page's.

The header is on every page, so its work is kept small: each link's address is built once per process (it depends
only on the endpoint, the coalition's slug and where the site is mounted) and each label is translated once per
language; what is left per request is asking `can()` about each item.
"""

from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from flask import current_app, g, request, url_for
from markupsafe import Markup

from coalition.core.i18n import template_catalog

#: Addresses built by `fixed_url`: (mount point, coalition slug, endpoint, values) -> URL. Cleared when full.
_fixed_urls: dict[tuple, str] = {}
MAX_FIXED_URLS = 4096


def fixed_url(endpoint: str, **values) -> str:
    """`url_for` of a link that every page shows the same way (the header, the menu), built once per process.

    Only for endpoints whose address takes nothing from the request but the current coalition's slug.
    """
    coalition = g.get("coalition")
    key = (request.root_path, coalition.slug if coalition is not None else None, endpoint, *values.items())
    url = _fixed_urls.get(key)
    if url is None:
        if len(_fixed_urls) >= MAX_FIXED_URLS:
            _fixed_urls.clear()
        url = _fixed_urls[key] = url_for(endpoint, **values)
    return url


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    #: The text of the link (a lazy string, translated when shown).
    label: object
    #: What a person must be allowed to do in the coalition (`can(action, coalition)`) to see the item.
    action: str


class Menu:
    """A coalition's menu: the items a person may use, each linked, the current page's one marked."""

    def __init__(self, items: list[MenuItem], also: dict[str, list[str]] | None = None) -> None:
        self.items = items
        #: item endpoint -> other pages that belong to it (see `current_item`).
        self.also = also or {}
        #: catalog (one per language and app) -> the labels in its language.
        self._labels: WeakKeyDictionary = WeakKeyDictionary()

    def links(self, coalition, endpoint: str | None, may: Callable) -> list[tuple[str, Markup, bool]]:
        """(address, label, is the current page's) of each item the viewer `may(action, coalition)` use."""
        labels = self._translated()
        views = current_app.view_functions
        visible = [
            (item, label)
            for item, label in zip(self.items, labels, strict=True)
            if item.endpoint in views and may(item.action, coalition)
        ]
        here = current_item([item.endpoint for item, _ in visible], endpoint, self.also)
        return [(fixed_url(item.endpoint), label, item.endpoint == here) for item, label in visible]

    def _translated(self) -> list[Markup]:
        """The labels in the viewer's language, as a template's `_()` gives them; made once per language (and app)."""
        catalog = template_catalog()
        labels = self._labels.get(catalog)
        if labels is None:
            # As Jinja's new-style _(): the translation is trusted markup, %-formatted.
            labels = self._labels[catalog] = [Markup(str(item.label)) % {} for item in self.items]  # noqa: S704
        return labels


def current_item(endpoints: list[str], endpoint: str | None, also: dict[str, list[str]] | None = None) -> str | None:
    """The menu endpoint the page `endpoint` belongs to: itself; else the one that lists it (or "its_blueprint.*")
    in `also`; else the longest one it extends ('stakeholders.follow_ups_section' → 'stakeholders.follow_ups');
    else its blueprint's index."""
    if not endpoint:
        return None
    if endpoint in endpoints:
        return endpoint
    blueprint = endpoint.split(".")[0]
    for item, others in (also or {}).items():
        if item in endpoints and (endpoint in others or f"{blueprint}.*" in others):
            return item
    same = [e for e in endpoints if e.split(".")[0] == blueprint]
    extended = [e for e in same if endpoint.startswith(e + "_")]
    if extended:
        return max(extended, key=len)
    return next((e for e in same if e.endswith(".index")), None)
