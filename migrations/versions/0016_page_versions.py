"""page_versions: a version per table, new each time it is written to, for the page cache (core/pagecache.py)

Revision ID: 0016_page_versions
Revises: 0015_search_triggers
Create Date: 2026-11-30 20:40:00

Every transaction that writes to a table gives that table's row here a new random version before it commits; a kept
page is served again only while the tables it read keep the versions they had. A table with no row yet is at 0.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_page_versions'
down_revision = '0015_search_triggers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'page_versions',
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_page_versions')),
    )


def downgrade():
    op.drop_table('page_versions')
