"""every coalition table carries coalition_id

Revision ID: 0012_coalition_ids
Revises: 0011_ui
Create Date: 2026-12-02 10:00:00.000000

Nine tables held a coalition's data only through a parent row (a story's answers, a packet's items, ...). Each gets
a `coalition_id` copied from its parent, NOT NULL, with a foreign key to coalitions (ON DELETE CASCADE), so that the
schema can later be distributed by coalition (Citus). No index: these rows are always read through their parent.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_coalition_ids'
down_revision = '0011_ui'
branch_labels = None
depends_on = None

#: (table, parent table, the table's column that points at the parent)
CHILDREN = (
    ("campaign_questions", "campaigns", "campaign_id"),
    ("campaign_followers", "campaigns", "campaign_id"),
    ("story_answers", "stories", "story_id"),
    ("story_consent_changes", "stories", "story_id"),
    ("story_excerpts", "stories", "story_id"),
    ("packet_items", "packets", "packet_id"),
    ("outreach_participants", "outreach_entries", "outreach_id"),
    ("decision_action_items", "decisions", "decision_id"),
    ("webhook_deliveries", "webhook_endpoints", "endpoint_id"),
)


def upgrade():
    for table, parent, parent_id in CHILDREN:
        op.add_column(table, sa.Column('coalition_id', sa.Integer(), nullable=True))
        # A correlated subquery rather than UPDATE ... FROM: the same statement runs on SQLite and PostgreSQL.
        op.execute(
            f"UPDATE {table} SET coalition_id = "
            f"(SELECT {parent}.coalition_id FROM {parent} WHERE {parent}.id = {table}.{parent_id})"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('coalition_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_coalition_id_coalitions'), 'coalitions', ['coalition_id'], ['id'],
                ondelete='CASCADE',
            )


def downgrade():
    for table, _parent, _parent_id in reversed(CHILDREN):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_coalition_id_coalitions'), type_='foreignkey')
            batch_op.drop_column('coalition_id')
