"""Pagination of select() statements: one count query and one page query, whatever the data size; no count when
the page is not filled (it is the list's last: its size is known), so a short list runs its page query alone.

Two options for large lists:
- `ids=`: page through a select() of ids first (filter, order, LIMIT/OFFSET carry ids only), then load the page's
  rows, with their eager loads, by id — a deep page no longer sorts whole rows and their joins. `ids` may also be a
  function `ids(n, ordered)` that gives a select() of the first n ids, or of any n of them when not `ordered` (for
  counting): a list merged from parts, each part limited to n rows;
- `depth=`: the list is browsable that deep (rows) and no deeper: a page past it reads nothing and says so
  (`beyond_depth`), the pager stops there, and the count stops at `count_cap` (give one at least `depth`);
- `total=`: the size of the list when the caller already knows it (no count query);
- `rows=True`: the list is a select() of columns (rows, not objects);
- `count_cap=`: count at most that many rows (a LIMITed subquery); the pager then says "more than N". On a page at
  or beyond the cap, the count would stop at the end of the page: the page query reads one more id instead.
"""

import math

import sqlalchemy as sa
from flask import current_app, request
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy.orm import lazyload

from coalition.extensions import db

#: A sensible cap for lists that can hold tens of thousands of rows.
COUNT_CAP = 10_000
#: Full-text searches count fewer: every counted match is tested against the query ("more than 500 stories"); and
#: they are browsed no deeper: nobody reads the 5,000th match, and an OFFSET that deep tests every match before it.
SEARCH_COUNT_CAP = 500


def page_number() -> int:
    """The `page` query argument, clamped to a sane positive integer."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), 100_000)


class Page(SelectPagination):
    """Flask-SQLAlchemy's pagination, optionally paging through ids first and with a capped count."""

    #: True when the count stopped at its cap: `total` is then a lower bound ("more than `count_limit`").
    total_is_capped = False
    count_limit: int | None = None
    #: The list's size as the page query found it (offset + rows read): when the page was the list's last (not
    #: filled), or when the page sets the count (see `_page_sets_the_count`). No count is run then.
    _seen_total: int | None = None

    def _first_ids(self, n: int | None, ordered: bool = True):
        """select() of the first n ids of the list (all of them for None); any n of them if not `ordered`."""
        ids = self._query_args["ids"]
        if callable(ids):
            return ids(n, ordered)
        ids = ids if ordered else ids.order_by(None)
        return ids.limit(n) if n is not None else ids

    @property
    def beyond_depth(self) -> bool:
        """Is this page past the depth the list can be browsed to (it then shows nothing)?"""
        depth = self._query_args.get("depth")
        return depth is not None and (self.page - 1) * self.per_page >= depth

    @property
    def pages(self) -> int:
        pages = super().pages
        depth = self._query_args.get("depth")
        return min(pages, math.ceil(depth / self.per_page)) if depth is not None else pages

    def _query_items(self) -> list:
        if self.beyond_depth:
            return []
        if self._query_args.get("rows"):
            statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
            return self._read(self._query_args["session"].execute(statement).all())
        if self._query_args.get("ids") is None:
            return self._read(super()._query_items())
        session = self._query_args["session"]
        offset, wanted = self._query_offset, self.per_page
        if self._page_sets_the_count():
            wanted += 1  # one more id tells whether there is a next page: the count would say no more
        first = self._first_ids(offset + wanted)
        page_ids = self._read(list(session.scalars(first.limit(wanted).offset(offset))))
        if not page_ids:
            return []
        if wanted > self.per_page:
            self._seen_total = offset + len(page_ids)
            page_ids = page_ids[: self.per_page]
        select = self._query_args["select"]
        key = sa.inspect(select.column_descriptions[0]["entity"]).primary_key[0]
        rows = session.execute(select.where(key.in_(page_ids))).unique().scalars()
        by_id = {getattr(row, key.key): row for row in rows}
        return [by_id[i] for i in page_ids if i in by_id]

    def _read(self, found: list) -> list:
        """Note what the page query read: a page it did not fill is the list's last, and tells the list's size."""
        if found and len(found) < self.per_page or not found and self.page == 1:
            self._seen_total = self._query_offset + len(found)
        return found

    def _page_sets_the_count(self) -> bool:
        """Does the capped count stop at the end of this page (a page at or beyond the cap)?"""
        cap = self._query_args.get("count_cap")
        return bool(cap) and self._query_offset + self.per_page >= cap

    def _query_count(self) -> int:
        if self._query_args.get("total") is not None:
            return self._query_args["total"]
        cap = self._query_args.get("count_cap")
        if cap:
            # Count past the current page, so "Next" stays right on pages beyond the cap (unless they cannot be seen).
            self.count_limit = cap if self._query_args.get("depth") else max(cap, self.page * self.per_page)
        total = self._seen_total
        if total is None:
            total = self._count_rows(self.count_limit + 1 if cap else None)
        self.total_is_capped = bool(cap) and total > self.count_limit
        return total

    def _count_rows(self, limit: int | None) -> int:
        if self._query_args.get("ids") is not None:
            source = self._first_ids(limit, ordered=False)
        else:
            source = self._query_args["select"].options(lazyload("*"))
            source = source.limit(limit) if limit is not None else source
        source = source.order_by(None)
        session = self._query_args["session"]
        return session.execute(sa.select(sa.func.count()).select_from(source.subquery())).scalar()


def paginate(
    statement,
    per_page: int | None = None,
    *,
    ids=None,
    count_cap: int | None = None,
    total: int | None = None,
    depth: int | None = None,
    rows: bool = False,
    page: int | None = None,
) -> Page:
    """Paginate a select(); out-of-range pages give an empty page, not an error.

    With `ids` (a select() of the same rows' ids, filtered and ordered, or a function `ids(n, ordered)` giving the
    first n of them), the page's ids are selected first and `statement` (a select(Model) with its loader options)
    loads those rows; with `count_cap`, counting stops there; a known `total` is not counted again; pages past
    `depth` rows read nothing; with `rows`, the items are the rows of a select() of columns, not objects; `page`
    chooses the page instead of the request's `page` argument.
    """
    return Page(
        select=statement,
        session=db.session(),
        ids=ids,
        count_cap=count_cap,
        total=total,
        depth=depth,
        rows=rows,
        page=page or page_number(),
        per_page=per_page or current_app.config["PER_PAGE"],
        max_per_page=100,
        error_out=False,
    )
