"""Tags, one way everywhere: one normaliser, and a mixin that mirrors a model's tag list into indexed rows.

A tag is lower-case ASCII words joined by hyphens, at most 40 characters ('Mould & Damp ' -> 'mould-damp').
"""

import re

from sqlalchemy.orm import validates

from coalition.core.text import slugify

MAX_TAG_LENGTH = 40


def normalize_tag(tag: str) -> str:
    """'Mould & Damp ' -> 'mould-damp' (lower-case ASCII words joined by hyphens); '' for nothing."""
    if not tag or not tag.strip():
        return ""
    return re.sub(r"[^a-z0-9]+", "-", slugify(tag, fallback="")).strip("-")[:MAX_TAG_LENGTH].strip("-")


def parse_tags(value: str | list[str] | None) -> list[str]:
    """Tags from "a, b; c" or a list: normalised, de-duplicated, in the order given."""
    items = re.split(r"[;,]", value) if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(tag for tag in map(normalize_tag, items) if tag))


class TaggedMixin:
    """A model with a `tags` list (JSON, for display) and `tag_rows` (one indexed row per tag, for the filter).

    Whoever sets `tags`, the rows follow; the row class is the one `tag_rows` relates to.
    """

    @validates("tags")
    def _sync_tag_rows(self, _key, tags):
        """Keep `tag_rows` equal to the new tag list (rows of kept tags stay, new ones are added)."""
        tags = list(dict.fromkeys(tags or []))
        row_class = type(self).tag_rows.property.mapper.class_
        kept = [row for row in self.tag_rows if row.tag in tags]
        known = {row.tag for row in kept}
        self.tag_rows = kept + [row_class(tag=tag) for tag in tags if tag not in known]
        return tags
