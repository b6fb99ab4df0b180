"""Full-text search over stories: SQLite FTS5 or a PostgreSQL GIN tsvector index, same behaviour on both.

The query is cut into words (letters and digits); each word must appear in the title or text, as a word or the
start of one ("evict" finds "eviction"). No stemming, so every language behaves the same ('simple' config).

The index is created with the `stories` table (DDL events, for `db.create_all()`) and, for databases built by
Alembic, by calling `install_search(op.get_bind())` in the migrations (0003 made it, 0012 moved PostgreSQL to a stored
`search_vector` column).
"""

import re

from sqlalchemy import DDL, bindparam, column, event, literal_column, table, text

from coalition.core.plans import for_its_values
from coalition.extensions import db
from coalition.stories.models import Story

_SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS stories_fts USING fts5(title, body, content='stories', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS stories_fts_insert AFTER INSERT ON stories BEGIN "
    "INSERT INTO stories_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS stories_fts_delete AFTER DELETE ON stories BEGIN "
    "INSERT INTO stories_fts(stories_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS stories_fts_update AFTER UPDATE OF title, body ON stories BEGIN "
    "INSERT INTO stories_fts(stories_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO stories_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)
_SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS stories_fts_insert",
    "DROP TRIGGER IF EXISTS stories_fts_delete",
    "DROP TRIGGER IF EXISTS stories_fts_update",
    "DROP TABLE IF EXISTS stories_fts",
)
#: PostgreSQL: a stored generated column holds each story's parsed words, so a match never re-parses the text (the
#: planner may walk the date index and stop after a page, or read the GIN index for rare words) and the column's
#: statistics give the planner real selectivities. The words are stripped of their positions (nothing ranks or
#: searches phrases): small enough to stay in the story's row, so testing a story reads no out-of-line storage
#: (migration 0024). It is not in the model: select(Story) never loads it.
SEARCH_COLUMN = "search_vector"
_PG_DOCUMENT = f"stories.{SEARCH_COLUMN}"
_PG_DDL = (
    f"ALTER TABLE stories ADD COLUMN IF NOT EXISTS {SEARCH_COLUMN} tsvector GENERATED ALWAYS AS "
    "(strip(to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(body, '')))) STORED",
    # The expression index of the first version: it made every recheck re-parse the story.
    "DROP INDEX IF EXISTS ix_stories_fulltext",
    f"CREATE INDEX IF NOT EXISTS ix_stories_fulltext_vector ON stories USING GIN ({SEARCH_COLUMN})",
)
_PG_DROP = (
    "DROP INDEX IF EXISTS ix_stories_fulltext_vector",
    f"ALTER TABLE stories DROP COLUMN IF EXISTS {SEARCH_COLUMN}",
)

_DDL_EVENTS = (
    [("after_create", DDL(statement).execute_if(dialect="sqlite")) for statement in _SQLITE_DDL]
    + [("before_drop", DDL(statement).execute_if(dialect="sqlite")) for statement in _SQLITE_DROP]
    + [("after_create", DDL(statement).execute_if(dialect="postgresql")) for statement in _PG_DDL]
)


def install_ddl_events() -> None:
    """Create the search index with the stories table when `db.create_all()` builds it (once per process)."""
    for name, ddl in _DDL_EVENTS:
        if not event.contains(Story.__table__, name, ddl):
            event.listen(Story.__table__, name, ddl)


def install_search(connection) -> None:
    """Create the full-text index of stories (and fill it) on an existing database; safe to run twice."""
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_DDL:
            connection.execute(text(statement))
        connection.execute(text("INSERT INTO stories_fts(stories_fts) VALUES ('rebuild')"))
    elif connection.dialect.name == "postgresql":
        for statement in _PG_DDL:
            connection.execute(text(statement))


def uninstall_search(connection) -> None:
    """Remove the full-text index (for a migration's downgrade)."""
    statements = {"sqlite": _SQLITE_DROP, "postgresql": _PG_DROP}.get(connection.dialect.name, ())
    for statement in statements:
        connection.execute(text(statement))


_WORD = re.compile(r"\w+", re.UNICODE)


def search_words(query: str | None) -> list[str]:
    """The words of a search query (at most 12, each at most 60 characters), lower-cased."""
    words = [w.lower()[:60] for w in _WORD.findall(query or "")]
    return list(dict.fromkeys(words))[:12]


def matches(query: str | None, *, newest_first: bool = False):
    """A WHERE clause selecting the stories whose title or text contain every word of `query`; None if no words.

    `newest_first`: the clause is for a list in date order, stopped after a page (SQLite then picks its way in; see
    `_sqlite_key`); without it, for a count or any order.
    """
    words = search_words(query)
    if not words:
        return None
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        tsquery = " & ".join(f"{w}:*" for w in words)
        # Planned for its words: a rare word reads the full-text index, a frequent one walks the dates (core.plans).
        document = literal_column(for_its_values(_PG_DOCUMENT))
        return document.op("@@")(db.func.to_tsquery(literal_column("'simple'::regconfig"), tsquery))
    if dialect == "sqlite":
        fts_query = _fts_query(words)
        matching = text("SELECT rowid FROM stories_fts WHERE stories_fts MATCH :fts_query").bindparams(
            fts_query=fts_query
        )
        key = _sqlite_key(fts_query) if newest_first else Story.id
        return key.in_(matching.columns(db.column("rowid")))
    # Any other database: a slow but correct fallback.
    return db.and_(*[(Story.title + " " + Story.body).ilike(f"%{w}%") for w in words])


def searched(statement, query: str | None, *, newest_first: bool):
    """`statement` (a select() from stories) narrowed to the stories matching every word of `query`.

    For a count (`newest_first=False`) on SQLite, a join that starts from the full-text index and reads each match's
    story as it goes, so a count capped at 500 stops after about that many matches: `matches()`'s IN (...) first
    collects every match (8 ms for 38,000 matches, against 2 ms).
    """
    if newest_first or db.session.get_bind().dialect.name != "sqlite" or not search_words(query):
        clause = matches(query, newest_first=newest_first)
        return statement if clause is None else statement.where(clause)
    fts_query = _fts_query(search_words(query))
    # rowid + 0: SQLite may not look a story's id up in the index (each look-up re-reads every word's matches).
    return statement.join(_FTS, _FTS.c.rowid + 0 == Story.id).where(
        literal_column("stories_fts").op("MATCH")(bindparam("fts_query", fts_query))
    )


_FTS = table("stories_fts", column("rowid"))


def _fts_query(words: list[str]) -> str:
    """An FTS5 query of every word as the start of a word ("evict" finds "eviction"), operators quoted away."""
    return " ".join('"' + w.replace('"', "") + '"*' for w in words)


#: SQLite: from this many matching stories (in every coalition), a search walks the stories newest first and stops
#: after a page, testing each against the matches, rather than reading every match and sorting them all by date.
DATE_WALK_MATCHES = 5_000


def _sqlite_key(fts_query: str):
    """The story id a SQLite search tests against the full-text matches, chosen by how many there are.

    SQLite does not know how many stories a MATCH finds, and always starts from the matches: each one's story is
    read, then all of them sorted by date (70 ms for 38,000 matches). Counting the matches costs a read of the
    index alone (2 ms). For many matches, `id + 0` (the same id, but no longer a way into the table) makes SQLite
    walk the stories' date index instead, stopping after a page (10 ms); for few, reading the matches is cheaper
    than a walk past every story that does not match. A count (in any order) starts from the matches: it stops
    after its cap, and the walk would not. The matches are counted up to `DATE_WALK_MATCHES` only: past it, how many
    more does not change the choice.
    """
    found = db.session.scalar(
        text(
            "SELECT count(*) FROM (SELECT rowid FROM stories_fts WHERE stories_fts MATCH :fts_query LIMIT :enough)"
        ).bindparams(fts_query=fts_query, enough=DATE_WALK_MATCHES)
    )
    return Story.id + 0 if found >= DATE_WALK_MATCHES else Story.id
