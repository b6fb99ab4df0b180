"""Rich text: a safe Markdown subset rendered to HTML and sanitised with nh3 (an allow-list)."""

import re
import unicodedata
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("zero", {"linkify": False, "breaks": True, "html": False}).enable(
    ["emphasis", "list", "blockquote", "link", "newline", "heading", "hr", "backticks"]
)

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a", "h3", "h4", "hr", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
#: Rendered texts remembered (a list page shows at most a few dozen).
RENDERED_TEXTS = 512


def render_markdown(text: str | None) -> Markup:
    """Render a safe Markdown subset to sanitised HTML (no raw HTML, no scripts, only http(s)/mailto links)."""
    if not text:
        return Markup("")
    return Markup(_rendered(text))  # noqa: S704 - sanitised by nh3 in _rendered


@lru_cache(maxsize=RENDERED_TEXTS)
def _rendered(text: str) -> str:
    """The sanitised HTML of a text: the same text always renders the same, so lists shown again (stories, quotes)
    do not parse it again; kept in this process's memory only, the least recently shown dropped first."""
    html = _markdown.render(text)
    # Headings in user text are demoted so they never compete with the page's own outline.
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h4>").replace("</h2>", "</h4>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return clean


def excerpt(text: str | None, length: int = 200) -> str:
    """Return the first `length` characters of plain text, cut at a word boundary."""
    if not text:
        return ""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


def normalize_email(email: str) -> str:
    """Lower-case and strip an email address, the form in which it is stored."""
    return (email or "").strip().lower()


def slugify(text: str, fallback: str = "coalition") -> str:
    """A URL-safe slug from a name ('Tenants United!' -> 'tenants-united')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or fallback
