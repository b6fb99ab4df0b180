"""users indexed by (display_name, id): a page of a coalition's people walks the names in order

Revision ID: 0020_people_in_name_order
Revises: 0019_story_audiences
Create Date: 2026-12-01 04:30:00

The people list pages a coalition's members in name order. Without an index PostgreSQL joined and sorted every
member for each page (the page grew with the coalition); with it, the planner can walk the names in order and stop at
the page.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020_people_in_name_order'
down_revision = '0019_story_audiences'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_users_display_name_id', 'users', ['display_name', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_users_display_name_id', table_name='users')
