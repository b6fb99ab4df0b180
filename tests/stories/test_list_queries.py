"""Story lists do not grow with the data: the same statements at two sizes, each walking its audience's index."""

import pytest
from sqlalchemy import text

from coalition.core import pagination
from coalition.extensions import db
from coalition.stories.queries import stories_by_id, visible_story_ids


def _add(make_story, coalition, storyteller, n):
    for i in range(n):
        make_story(coalition, storyteller, visibility="members", tags=["mould"], title=f"Story {i}")


@pytest.mark.parametrize("query", ["?tag=mould", "?tag=mould&page=2", "?page=2", "?q=story&page=2"])
def test_a_list_runs_the_same_statements_at_two_sizes(query, client_for, make_story, coalition, people, count_queries):
    client = client_for(people["member"])
    url = f"/c/{coalition.slug}/stories/{query}"
    _add(make_story, coalition, people["storyteller"], 60)
    client.get(url)
    with count_queries() as smaller:
        page = client.get(url).get_data(as_text=True)
    assert "60 in all" in page
    _add(make_story, coalition, people["storyteller"], 90)
    with count_queries() as larger:
        page = client.get(url).get_data(as_text=True)
    assert "150 in all" in page
    assert larger.statements == smaller.statements


@pytest.mark.parametrize(("page", "total", "capped"), [(2, 21, True), (3, 30, False), (4, 30, False)])
def test_a_page_at_or_beyond_the_count_cap_reads_one_more_id_instead_of_counting(
    app, page, total, capped, make_story, coalition, people, count_queries
):
    _add(make_story, coalition, people["storyteller"], 30)
    with app.test_request_context(f"/?page={page}"), count_queries() as counter:
        ids = visible_story_ids(people["member"], coalition, tag="mould")
        result = pagination.paginate(stories_by_id(), 10, ids=ids, count_cap=10)
    assert (result.total, result.total_is_capped, len(result.items)) == (total, capped, 10 if page < 4 else 0)
    counted = any("count(*)" in statement for statement in counter.statements)
    assert counted == (page == 4)  # an empty page past the end still counts, for the pager


def _uses(statement, table: str, index: str) -> bool:
    """Can (and does) the database walk `index` for the first part of a list (its audience's part)?

    SQLite is told to use the index (INDEXED BY fails when the WHERE clause does not imply the index's); PostgreSQL
    is kept from every other way to get the rows in list order (scans of the table, bitmaps, sorts), so it walks one
    of the audience's partial indexes (on empty tables it may take the one for the coalition for a campaign's list).
    """
    sql = str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        sql = sql.replace(f"FROM {table} ", f"FROM {table} INDEXED BY {index} ", 1)
        plan = " ".join(row[3] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    else:
        for setting in ("seqscan", "bitmapscan", "sort", "incremental_sort"):
            db.session.execute(text(f"SET LOCAL enable_{setting} = off"))
        plan = " ".join(row[0] for row in db.session.execute(text("EXPLAIN " + sql)))
    return index in plan or (index.endswith("_campaign") and index.replace("_campaign", "_list") in plan)


@pytest.mark.parametrize(
    ("viewer", "filters", "table", "index"),
    [
        ("member", {}, "stories", "ix_stories_member_list"),
        ("organizer", {}, "stories", "ix_stories_team_list"),
        ("organizer", {"campaign_id": 1}, "stories", "ix_stories_team_campaign"),
        ("member", {"tag": "mould"}, "story_tags", "ix_story_tags_member_list"),
        ("organizer", {"tag": "mould"}, "story_tags", "ix_story_tags_team_list"),
        (None, {}, "stories", "ix_stories_public_list"),
    ],
)
def test_each_audience_walks_its_partial_index(viewer, filters, table, index, coalition, people):
    """The rules write their conditions as the indexes' WHERE clauses say them (a drift would lose the index)."""
    assert _uses(visible_story_ids(people.get(viewer), coalition, **filters)(25), table, index)


def test_a_list_with_arguments_url_for_takes_for_its_own_still_shows_and_links_its_pages(
    app, client_for, make_story, coalition, people, monkeypatch
):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    _add(make_story, coalition, people["storyteller"], 5)
    client = client_for(people["lead"])

    response = client.get(f"/c/{coalition.slug}/stories/?tag=mould&page=2&endpoint=x&_anchor=y&_method=z")

    assert response.status_code == 200  # it was a 500: url_for got "endpoint" twice
    page = response.get_data(as_text=True).replace("&amp;", "&")
    pager = page[page.index('aria-label="Pages"') :]
    assert f'/c/{coalition.slug}/stories/?tag=mould&page=1" rel="prev"' in pager
    assert f'/c/{coalition.slug}/stories/?tag=mould&page=3" rel="next"' in pager
    assert f'/c/{coalition.slug}/stories/export.csv?tag=mould&page=2"' in page
    assert "endpoint=" not in page and "_anchor=" not in page and "_method=" not in page
