"""outreach entries indexed by (coalition, follow-up owner, done, date, id): "my follow-ups" read one range

Revision ID: 0021_own_follow_ups
Revises: 0020_people_in_name_order
Create Date: 2026-12-01 05:05:00

The follow-ups page of one person counts and lists their open follow-ups per section (overdue, this week, later).
PostgreSQL combined the owner's index with the coalition's follow-up index and read every matching row; with the
owner in the index, each section is one range of it, read in the page's order.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021_own_follow_ups'
down_revision = '0020_people_in_name_order'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_outreach_entries_owner_follow_up',
        'outreach_entries',
        ['coalition_id', 'follow_up_owner_id', 'follow_up_done', 'follow_up_on', 'id'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_outreach_entries_owner_follow_up', table_name='outreach_entries')
