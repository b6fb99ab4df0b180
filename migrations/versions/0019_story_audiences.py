"""story_status_counts per status and visibility: an unfiltered story list reads its total from the kept counts

Revision ID: 0019_story_audiences
Revises: 0018_stakeholder_trigrams
Create Date: 2026-12-01 04:20:00

The counts are derived data: the table is made again with `visibility` in its key and counted from the stories
(the rule of `stories.counts.REBUILD_STATUS`). The story lists of organizers, members and visitors then take their
total from these rows (exact, where they used to stop counting at 10,000) instead of counting the stories.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_story_audiences'
down_revision = '0018_stakeholder_trigrams'
branch_labels = None
depends_on = None


def _table(with_visibility: bool):
    columns = [
        sa.Column('coalition_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=30), nullable=False),
    ]
    key = ['coalition_id', 'status']
    if with_visibility:
        columns.append(sa.Column('visibility', sa.String(length=20), nullable=False))
        key.append('visibility')
    op.create_table(
        'story_status_counts',
        *columns,
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['coalition_id'], ['coalitions.id'], name=op.f('fk_story_status_counts_coalition_id_coalitions'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint(*key, name=op.f('pk_story_status_counts')),
    )


def upgrade():
    op.drop_table('story_status_counts')
    _table(with_visibility=True)
    op.execute(
        "INSERT INTO story_status_counts (coalition_id, status, visibility, count) "
        "SELECT coalition_id, status, visibility, count(*) FROM stories "
        "WHERE withdrawn_at IS NULL AND deleted_at IS NULL GROUP BY coalition_id, status, visibility"
    )


def downgrade():
    op.drop_table('story_status_counts')
    _table(with_visibility=False)
    op.execute(
        "INSERT INTO story_status_counts (coalition_id, status, count) SELECT coalition_id, status, count(*) "
        "FROM stories WHERE withdrawn_at IS NULL AND deleted_at IS NULL GROUP BY coalition_id, status"
    )
