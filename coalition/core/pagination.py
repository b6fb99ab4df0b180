"""Pagination of select() statements: one count query and one page query, whatever the data size.

Two options for large lists:
- `ids=`: page through a select() of ids first (filter, order, LIMIT/OFFSET carry ids only), then load the page's
  rows, with their eager loads, by id — a deep page no longer sorts whole rows and their joins;
- `count_cap=`: count at most that many rows (a LIMITed subquery); the pager then says "more than N".
"""

import sqlalchemy as sa
from flask import current_app, request
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy.orm import lazyload

from coalition.extensions import db

#: A sensible cap for lists that can hold tens of thousands of rows.
COUNT_CAP = 10_000
#: Full-text searches count fewer: every counted match is tested against the query ("more than 500 stories").
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

    def _query_items(self) -> list:
        ids = self._query_args.get("ids")
        if ids is None:
            return super()._query_items()
        session = self._query_args["session"]
        page_ids = list(session.scalars(ids.limit(self.per_page).offset(self._query_offset)))
        if not page_ids:
            return []
        select = self._query_args["select"]
        key = sa.inspect(select.column_descriptions[0]["entity"]).primary_key[0]
        rows = session.execute(select.where(key.in_(page_ids))).unique().scalars()
        by_id = {getattr(row, key.key): row for row in rows}
        return [by_id[i] for i in page_ids if i in by_id]

    def _query_count(self) -> int:
        cap = self._query_args.get("count_cap")
        source = self._query_args.get("ids")
        if source is None:
            source = self._query_args["select"].options(lazyload("*"))
        source = source.order_by(None)
        if cap:
            # Count past the current page, so "Next" stays right on pages beyond the cap.
            self.count_limit = max(cap, self.page * self.per_page)
            source = source.limit(self.count_limit + 1)
        session = self._query_args["session"]
        total = session.execute(sa.select(sa.func.count()).select_from(source.subquery())).scalar()
        self.total_is_capped = bool(cap) and total > self.count_limit
        return total


def paginate(statement, per_page: int | None = None, *, ids=None, count_cap: int | None = None) -> Page:
    """Paginate a select(); out-of-range pages give an empty page, not an error.

    With `ids` (a select() of the same rows' ids, filtered and ordered), the page's ids are selected first and
    `statement` (a select(Model) with its loader options) loads those rows; with `count_cap`, counting stops there.
    """
    return Page(
        select=statement,
        session=db.session(),
        ids=ids,
        count_cap=count_cap,
        page=page_number(),
        per_page=per_page or current_app.config["PER_PAGE"],
        max_per_page=100,
        error_out=False,
    )
