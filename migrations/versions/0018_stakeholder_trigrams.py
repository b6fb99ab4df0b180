"""PostgreSQL: a trigram index for the stakeholders search (name, organization, email contain the words)

Revision ID: 0018_stakeholder_trigrams
Revises: 0017_growth
Create Date: 2026-12-01 00:45:00

The search of the stakeholders list is `lower(name) LIKE '%word%' OR lower(organization) LIKE ... OR email LIKE ...`:
a B-tree cannot answer a LIKE with a leading %, so each search (and its count) read every stakeholder of the
coalition. A GIN index of trigrams (the pg_trgm extension, shipped with PostgreSQL and trusted since version 13: the
database's owner may create it) answers all three with one bitmap. Where the extension cannot be created, the
search works as before, only slower: the migration says so and goes on. SQLite needs nothing (its scans are local).
The index is made by hand, not by the models (coalition/core/migrations.py leaves it out of comparisons).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_stakeholder_trigrams'
down_revision = '0017_growth'
branch_labels = None
depends_on = None

INDEX = "ix_stakeholders_search_trgm"


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    try:
        with connection.begin_nested():
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        print(f"pg_trgm is not available ({error.orig}); the stakeholders search will read every stakeholder.")
        return
    connection.execute(
        sa.text(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON stakeholders USING gin "
            "(lower(name) gin_trgm_ops, lower(organization) gin_trgm_ops, email gin_trgm_ops)"
        )
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
