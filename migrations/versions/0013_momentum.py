"""Dashboards and campaign pages that do not grow with the data (issue 13): kept numbers and date indexes

Revision ID: 0013_momentum
Revises: 0011_ui
Create Date: 2026-11-30 18:04:50.854564

New kept numbers, backfilled here from the rows already there (the same rules as the code that keeps them):
- story_status_counts: stories per coalition and status, withdrawn and deleted ones left out;
- campaign_reach: each person a campaign reached (members "u:<id>", visitors "e:<email>") with how many rows of
  stories, RSVPs and decision answers reach them; campaign_tallies "people" counts them per campaign;
- campaign_tallies "stance" (targets per stance), "outreach" (outreach per UTC month), "meetings" (meetings not
  cancelled) and "checked_in" (people checked in at them);
- meetings.checked_in: RSVPs marked attended plus walk-ins.
Indexes on (campaign_id, date) let each campaign's latest activity be found by walking backwards to one row; stance
changes carry their target's campaign, so that a campaign's stance history by date is one index; outreach by
(coalition, date) and open action items by due date serve the dashboards.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_momentum'
down_revision = '0012_coalition_ids'
branch_labels = None
depends_on = None


def _person(user_id, email):
    by_user = f"'u:' || CAST({user_id} AS VARCHAR(20))"
    return by_user if email is None else f"CASE WHEN {user_id} IS NOT NULL THEN {by_user} ELSE 'e:' || lower(trim({email})) END"


_STORY_EMAIL = "CASE WHEN s.storyteller_id IS NULL THEN s.intake_email END"
#: (coalition_id, campaign_id, person) of every row that reaches someone, as in each domain's reach contributions.
_REACHED = (
    f"SELECT s.coalition_id, s.campaign_id, {_person('s.storyteller_id', _STORY_EMAIL)} AS person FROM stories s "
    "WHERE s.campaign_id IS NOT NULL AND s.status <> 'draft' AND s.withdrawn_at IS NULL AND s.deleted_at IS NULL "
    f"UNION ALL SELECT r.coalition_id, m.campaign_id, {_person('r.user_id', 'r.visitor_email')} "
    "FROM meeting_rsvps r JOIN meetings m ON m.id = r.meeting_id WHERE m.campaign_id IS NOT NULL "
    "AND m.status <> 'cancelled' AND (r.response IN ('yes', 'maybe') OR r.attended) "
    f"UNION ALL SELECT a.coalition_id, d.campaign_id, {_person('a.user_id', None)} "
    "FROM decision_answers a JOIN decisions d ON d.id = a.decision_id WHERE d.campaign_id IS NOT NULL "
    f"UNION ALL SELECT p.coalition_id, d.campaign_id, {_person('p.user_id', None)} "
    "FROM decision_participations p JOIN decisions d ON d.id = p.decision_id WHERE d.campaign_id IS NOT NULL"
)
_TALLY = "INSERT INTO campaign_tallies (campaign_id, kind, key, coalition_id, count) "
_BACKFILL = (
    "INSERT INTO story_status_counts (coalition_id, status, count) SELECT coalition_id, status, count(*) "
    "FROM stories WHERE withdrawn_at IS NULL AND deleted_at IS NULL GROUP BY coalition_id, status",
    "INSERT INTO campaign_reach (campaign_id, person, coalition_id, refs) "
    f"SELECT campaign_id, person, min(coalition_id), count(*) FROM ({_REACHED}) reached "
    "WHERE person IS NOT NULL GROUP BY campaign_id, person",
    _TALLY + "SELECT campaign_id, 'people', '', min(coalition_id), count(*) FROM campaign_reach GROUP BY campaign_id",
    _TALLY + "SELECT campaign_id, 'stance', stance, min(coalition_id), count(*) FROM campaign_targets "
    "GROUP BY campaign_id, stance",
    "UPDATE meetings SET checked_in = "
    "(SELECT count(*) FROM meeting_rsvps r WHERE r.meeting_id = meetings.id AND r.attended) + "
    "(SELECT count(*) FROM meeting_walk_ins w WHERE w.meeting_id = meetings.id)",
    _TALLY + "SELECT campaign_id, 'meetings', '', min(coalition_id), count(*) FROM meetings "
    "WHERE campaign_id IS NOT NULL AND status <> 'cancelled' GROUP BY campaign_id",
    _TALLY + "SELECT campaign_id, 'checked_in', '', min(coalition_id), sum(checked_in) FROM meetings "
    "WHERE campaign_id IS NOT NULL AND status <> 'cancelled' GROUP BY campaign_id HAVING sum(checked_in) > 0",
)
#: The UTC month of an outreach ("2026-11"): timestamps are stored as naive UTC.
_MONTH = {"postgresql": "to_char(occurred_at, 'YYYY-MM')", "sqlite": "strftime('%Y-%m', occurred_at)"}


def _backfill():
    for statement in _BACKFILL:
        op.execute(statement)
    month = _MONTH[op.get_bind().dialect.name]
    op.execute(
        _TALLY + f"SELECT campaign_id, 'outreach', {month}, min(coalition_id), count(*) FROM outreach_entries "
        f"WHERE campaign_id IS NOT NULL GROUP BY campaign_id, {month}"
    )


def upgrade():
    op.create_table('story_status_counts',
    sa.Column('coalition_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['coalition_id'], ['coalitions.id'], name=op.f('fk_story_status_counts_coalition_id_coalitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('coalition_id', 'status', name=op.f('pk_story_status_counts'))
    )
    op.create_table('campaign_reach',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('person', sa.String(length=330), nullable=False),
    sa.Column('coalition_id', sa.Integer(), nullable=False),
    sa.Column('refs', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_reach_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coalition_id'], ['coalitions.id'], name=op.f('fk_campaign_reach_coalition_id_coalitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'person', name=op.f('pk_campaign_reach'))
    )
    with op.batch_alter_table('campaign_reach', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_reach_coalition', ['coalition_id'], unique=False)

    op.create_table('campaign_tallies',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('coalition_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_tallies_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coalition_id'], ['coalitions.id'], name=op.f('fk_campaign_tallies_coalition_id_coalitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'kind', 'key', name=op.f('pk_campaign_tallies'))
    )
    with op.batch_alter_table('campaign_tallies', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_tallies_coalition', ['coalition_id'], unique=False)

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index('ix_decisions_campaign_closed', ['campaign_id', 'closed_at'], unique=False)

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_in', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_meetings_campaign_end', ['campaign_id', 'end_at'], unique=False)
        batch_op.create_index('ix_meetings_coalition_end_start', ['coalition_id', 'end_at', 'start_at'], unique=False)

    with op.batch_alter_table('outreach_entries', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_entries_campaign_occurred', ['campaign_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_outreach_entries_coalition_occurred', ['coalition_id', 'occurred_at'], unique=False)

    with op.batch_alter_table('meeting_action_items', schema=None) as batch_op:
        batch_op.create_index(
            'ix_meeting_action_items_coalition_status_due', ['coalition_id', 'status', 'due_on'], unique=False
        )

    # Each stance change carries its target's campaign (a target never changes campaign).
    with op.batch_alter_table('stance_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE stance_changes SET campaign_id = "
        "(SELECT t.campaign_id FROM campaign_targets t WHERE t.id = stance_changes.target_id)"
    )
    with op.batch_alter_table('stance_changes', schema=None) as batch_op:
        batch_op.alter_column('campaign_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            op.f('fk_stance_changes_campaign_id_campaigns'), 'campaigns', ['campaign_id'], ['id'], ondelete='CASCADE'
        )
        batch_op.create_index('ix_stance_changes_campaign_created', ['campaign_id', 'created_at'], unique=False)

    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.create_index('ix_stories_campaign_submitted', ['campaign_id', 'submitted_at'], unique=False)

    _backfill()


def downgrade():
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_index('ix_stories_campaign_submitted')

    with op.batch_alter_table('stance_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_stance_changes_campaign_created')
        batch_op.drop_constraint(op.f('fk_stance_changes_campaign_id_campaigns'), type_='foreignkey')
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('meeting_action_items', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_action_items_coalition_status_due')

    with op.batch_alter_table('outreach_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_entries_coalition_occurred')
        batch_op.drop_index('ix_outreach_entries_campaign_occurred')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_coalition_end_start')
        batch_op.drop_index('ix_meetings_campaign_end')
        batch_op.drop_column('checked_in')

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_decisions_campaign_closed')

    with op.batch_alter_table('campaign_tallies', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_tallies_coalition')

    op.drop_table('campaign_tallies')
    with op.batch_alter_table('campaign_reach', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_reach_coalition')

    op.drop_table('campaign_reach')
    op.drop_table('story_status_counts')
