"""outreach entries know whether they are their stakeholder's latest: the no-response list reads one partial index

Revision ID: 0017_growth
Revises: 0016_page_versions
Create Date: 2026-11-30 20:50:00

`outreach_entries.is_latest` is set on each stakeholder's latest entry (by occurred_at, then id) and kept by the
outreach services (`stakeholders.outreach.mark_latest`); the follow-ups page's "no response after N days" section
walks the partial index of latest entries by (coalition, response, occurred_at) instead of comparing every awaiting
entry with the later ones. campaign_targets gets an index on (campaign, influence, id, stance): the power map reads
a campaign's most influential targets first and counts its cells from the index. The name index of stakeholders
and the date index of the audit log get the id as their last column, so their lists page through ids from the index
alone.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_growth'
down_revision = '0016_page_versions'
branch_labels = None
depends_on = None

#: The same statement works on SQLite and PostgreSQL.
BACKFILL = (
    "UPDATE outreach_entries SET is_latest = NOT EXISTS (SELECT 1 FROM outreach_entries later "
    "WHERE later.stakeholder_id = outreach_entries.stakeholder_id AND (later.occurred_at > outreach_entries.occurred_at "
    "OR (later.occurred_at = outreach_entries.occurred_at AND later.id > outreach_entries.id)))"
)


#: (index, table, columns before, columns after)
WIDENED = (
    ('ix_stakeholders_coalition_name', 'stakeholders', ['coalition_id', 'name'], ['coalition_id', 'name', 'id']),
    (
        'ix_audit_entries_coalition_created',
        'audit_entries',
        ['coalition_id', 'created_at'],
        ['coalition_id', 'created_at', 'id'],
    ),
)


def upgrade():
    for name, table, _before, after in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, after, unique=False)
    with op.batch_alter_table('outreach_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_latest', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(BACKFILL)
    op.create_index(
        'ix_outreach_entries_latest_response_occurred',
        'outreach_entries',
        ['coalition_id', 'response', 'occurred_at'],
        unique=False,
        postgresql_where=sa.text('is_latest'),
        sqlite_where=sa.text('is_latest'),
    )
    op.create_index(
        'ix_campaign_targets_campaign_influence',
        'campaign_targets',
        ['campaign_id', 'influence', 'id', 'stance'],
        unique=False,
    )


def downgrade():
    for name, table, before, _after in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, before, unique=False)
    op.drop_index('ix_campaign_targets_campaign_influence', table_name='campaign_targets')
    op.drop_index('ix_outreach_entries_latest_response_occurred', table_name='outreach_entries')
    with op.batch_alter_table('outreach_entries', schema=None) as batch_op:
        batch_op.drop_column('is_latest')
