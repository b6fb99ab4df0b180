"""SQLite: put back the triggers that keep the stories' full-text index up to date, and rebuild the index

Revision ID: 0015_search_triggers
Revises: 0014_lists
Create Date: 2026-11-30 19:45:00

A batch ALTER on SQLite copies the `stories` table into a new one, and the triggers on the old table go with it:
since 0008 a database built by the migrations (the demo of `make run`) left new and edited stories out of search.
This revision creates the three triggers again (their own copy, as in 0003) and rebuilds the index from the stories.
PostgreSQL keeps its words in a stored generated column and needs nothing. Later migrations that batch-alter
`stories` must do the same; tests/test_migrations.py checks that a story written after `upgrade()` is found.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_search_triggers'
down_revision = '0014_lists'
branch_labels = None
depends_on = None

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
    "INSERT INTO stories_fts(stories_fts) VALUES ('rebuild')",
)


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_DDL:
            connection.execute(sa.text(statement))


def downgrade():
    # The triggers belong to the index made in 0003; an earlier revision's batch ALTER would drop them again anyway.
    pass
