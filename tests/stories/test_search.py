"""Full-text search over the stories a viewer may see, with filters (runs on SQLite FTS5 and PostgreSQL)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stories.models import Story
from coalition.stories.queries import search_stories, visible_story_ids
from coalition.stories.search import install_search, matches, search_words


def _titles(viewer, coalition, **filters):
    return {s.title for s in db.session.scalars(search_stories(viewer, coalition, **filters))}


@pytest.fixture
def stories(make_story, coalition, people, make_campaign):
    campaign = make_campaign(coalition)
    return [
        make_story(coalition, people["storyteller"], title="Heating broke", body="No heat for eleven days.",
                   visibility="members", tags=["heating"], campaign=campaign, language="en"),
        make_story(coalition, people["storyteller"], title="Moho en la pared", body="La humedad no se va.",
                   visibility="members", tags=["mould"], language="es"),
        make_story(coalition, people["storyteller"], title="Eviction notice", body="Heating complaint, then eviction.",
                   visibility="team", status="submitted", tags=["retaliation"]),
    ]  # fmt: skip


def test_search_finds_words_in_title_and_body(stories, coalition, people):
    assert _titles(people["organizer"], coalition, q="heating") == {"Heating broke", "Eviction notice"}
    assert _titles(people["organizer"], coalition, q="eleven") == {"Heating broke"}


def test_search_matches_word_beginnings_and_ignores_case(stories, coalition, people):
    assert _titles(people["organizer"], coalition, q="EVICT") == {"Eviction notice"}


def test_search_needs_every_word(stories, coalition, people):
    assert _titles(people["organizer"], coalition, q="heating eleven") == {"Heating broke"}


def test_search_only_returns_stories_the_viewer_may_see(stories, coalition, people):
    assert _titles(people["member"], coalition, q="heating") == {"Heating broke"}


def test_search_ignores_operators_and_punctuation(stories, coalition, people):
    for query in ('heat" OR *', "heating & | ! :*", "NEAR(heating)", "'; DROP TABLE stories; --"):
        _titles(people["organizer"], coalition, q=query)  # no error
    assert _titles(people["organizer"], coalition, q='"heating"') == {"Heating broke", "Eviction notice"}


def test_search_finds_accented_words(stories, coalition, people):
    assert _titles(people["member"], coalition, q="humedad") == {"Moho en la pared"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"tag": "mould"}, {"Moho en la pared"}),
        ({"language": "es"}, {"Moho en la pared"}),
        ({"status": "submitted"}, {"Eviction notice"}),
        ({"tag": "heating", "q": "heat"}, {"Heating broke"}),
    ],
)
def test_filters_narrow_the_results(stories, coalition, people, filters, expected):
    assert _titles(people["organizer"], coalition, **filters) == expected


def test_campaign_filter(stories, coalition, people):
    assert _titles(people["organizer"], coalition, campaign_id=stories[0].campaign_id) == {"Heating broke"}


def test_edited_text_is_found_by_its_new_words(stories, coalition, people):
    story = stories[0]
    story.body = "The boiler was finally replaced."
    db.session.commit()
    assert _titles(people["organizer"], coalition, q="boiler") == {"Heating broke"}
    assert _titles(people["organizer"], coalition, q="eleven") == set()


def test_deleted_stories_are_not_found(stories, coalition, people):
    db.session.delete(stories[0])
    db.session.commit()
    assert _titles(people["organizer"], coalition, q="heating") == {"Eviction notice"}


def test_search_page_filters_by_query_string(client_for, stories, coalition, people):
    page = (
        client_for(people["member"]).get(f"/c/{coalition.slug}/stories/?q=humedad&language=es").get_data(as_text=True)
    )
    assert "Moho en la pared" in page and "Heating broke" not in page


def test_install_search_is_safe_to_run_again_and_keeps_results(stories, coalition, people):
    with db.engine.begin() as connection:
        install_search(connection)
    assert _titles(people["organizer"], coalition, q="heating") == {"Heating broke", "Eviction notice"}


def test_search_words_are_cleaned_and_bounded():
    assert search_words('Heat" OR *mould* ' + "x " * 50) == ["heat", "or", "mould", "x"]


def test_search_uses_the_fulltext_index(stories, coalition, people):
    statement = search_stories(people["organizer"], coalition, q="heating")
    sql = str(statement.compile(db.engine))
    # PostgreSQL: the stored, GIN-indexed words column (issue 13), no longer the to_tsvector() expression.
    assert ("stories_fts" in sql) if db.engine.dialect.name == "sqlite" else ("search_vector @@" in sql)
    assert db.session.scalar(select(Story).where(Story.id == stories[0].id))


def test_query_plan_uses_the_fulltext_index(stories):
    statement = select(Story.id).where(matches("heating"))
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}"))
            assert "ix_stories_fulltext" in plan, plan
        else:
            plan = " ".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
            assert "stories_fts VIRTUAL TABLE INDEX" in plan


@pytest.mark.parametrize("many", [False, True])
def test_a_search_lists_its_matches_newest_first_however_many_there_are(
    many, monkeypatch, client_for, make_story, coalition, people, app
):
    """SQLite reads the matches and sorts them when they are few, and walks the stories by date when they are many
    (DATE_WALK_MATCHES): the page shows the same stories in the same order either way, dates not following ids."""
    monkeypatch.setattr("coalition.stories.search.DATE_WALK_MATCHES", 1 if many else 10**9)
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    days = [5, 1, 9, 3, 7, 2, 8]  # made in this order; written that many days ago
    for n, ago in enumerate(days):
        story = make_story(coalition, people["storyteller"], title=f"Leak {n}", visibility="members")
        story.created_at = utcnow() - timedelta(days=ago)
    make_story(coalition, people["storyteller"], title="Heating", visibility="members")
    db.session.commit()
    client = client_for(people["member"])
    shown = []
    for page in (1, 2, 3):
        html = client.get(f"/c/{coalition.slug}/stories/?q=leak&page={page}").get_data(as_text=True)
        shown += sorted((html.index(f"Leak {n}<"), n) for n in range(len(days)) if f"Leak {n}<" in html)
        assert "7 in all" in html
    newest_first = sorted(range(len(days)), key=lambda n: days[n])
    assert [n for _at, n in shown] == newest_first


def test_a_sqlite_search_with_many_matches_walks_the_stories_by_date(monkeypatch, stories, coalition, people, app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's planner knows how many stories match (the stored words' statistics)")
    monkeypatch.setattr("coalition.stories.search.DATE_WALK_MATCHES", 1)
    with app.test_request_context("/"):
        first = visible_story_ids(people["member"], coalition, q="heating")
        plans = {}
        for ordered in (True, False):
            sql = str(first(26, ordered).compile(db.engine, compile_kwargs={"literal_binds": True}))
            plans[ordered] = " ".join(str(row[3]) for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    # a page walks the date index and reads no match's story by its id; a count starts from the matches
    assert "ix_stories_coalition_created" in plans[True] and "rowid=?" not in plans[True]
    assert "rowid=?" in plans[False]
