"""Performance (issue 13): stored search column on PostgreSQL, kept story counts

Revision ID: 0009_perf
Revises: 0008_api
Create Date: 2026-11-30 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_perf'
down_revision = '0008_api'
branch_labels = None
depends_on = None

# PostgreSQL full text: the words of each story in a stored generated column with its GIN index, instead of the
# expression index of 0003 (whose every recheck re-parsed the story). SQLite keeps its FTS5 table.
_PG_SEARCH = (
    "ALTER TABLE stories ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(body, ''))) STORED",
    "DROP INDEX IF EXISTS ix_stories_fulltext",
    "CREATE INDEX IF NOT EXISTS ix_stories_fulltext_vector ON stories USING GIN (search_vector)",
)
_PG_SEARCH_DOWN = (
    "DROP INDEX IF EXISTS ix_stories_fulltext_vector",
    "ALTER TABLE stories DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX IF NOT EXISTS ix_stories_fulltext ON stories USING GIN "
    "(to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(body, '')))",
)


_COUNTED = ("s.campaign_id IS NOT NULL AND s.status = 'approved' AND s.withdrawn_at IS NULL "
            "AND s.deleted_at IS NULL")
_INSERT = "INSERT INTO story_counts (coalition_id, campaign_id, kind, key, label, count) "
_ANSWER_KEY = "substr(CAST(a.question_id AS VARCHAR(20)) || ':' || a.value, 1, 300)"
_BACKFILL = (
    _INSERT + "SELECT s.coalition_id, s.campaign_id, 'total', '', NULL, count(*) FROM stories s "
    f"WHERE {_COUNTED} GROUP BY s.coalition_id, s.campaign_id",
    _INSERT + "SELECT s.coalition_id, s.campaign_id, 'consenting', '', NULL, count(*) FROM stories s "
    f"WHERE {_COUNTED} AND s.share_with_decision_makers GROUP BY s.coalition_id, s.campaign_id",
    _INSERT + "SELECT s.coalition_id, s.campaign_id, 'area', lower(trim(coalesce(s.location, ''))), "
    f"nullif(min(trim(coalesce(s.location, ''))), ''), count(*) FROM stories s WHERE {_COUNTED} "
    "GROUP BY s.coalition_id, s.campaign_id, lower(trim(coalesce(s.location, '')))",
    _INSERT + "SELECT s.coalition_id, s.campaign_id, 'tag', t.tag, NULL, count(*) FROM stories s "
    f"JOIN story_tags t ON t.story_id = s.id WHERE {_COUNTED} GROUP BY s.coalition_id, s.campaign_id, t.tag",
    _INSERT + "SELECT s.coalition_id, s.campaign_id, 'answered', CAST(a.question_id AS VARCHAR(20)), NULL, "
    f"count(*) FROM stories s JOIN story_answers a ON a.story_id = s.id WHERE {_COUNTED} "
    "GROUP BY s.coalition_id, s.campaign_id, a.question_id",
    _INSERT + f"SELECT s.coalition_id, s.campaign_id, 'answer', {_ANSWER_KEY}, NULL, count(*) "
    "FROM stories s JOIN story_answers a ON a.story_id = s.id JOIN campaign_questions q ON q.id = a.question_id "
    f"WHERE {_COUNTED} AND q.kind IN ('yes_no', 'choice') GROUP BY s.coalition_id, s.campaign_id, {_ANSWER_KEY}",
)


def upgrade():
    op.create_table('story_counts',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('coalition_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_story_counts_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coalition_id'], ['coalitions.id'], name=op.f('fk_story_counts_coalition_id_coalitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'kind', 'key', name=op.f('pk_story_counts'))
    )
    op.create_index('ix_story_counts_coalition', 'story_counts', ['coalition_id'], unique=False)
    # The counts of the stories already there.
    for statement in _BACKFILL:
        op.execute(statement)
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG_SEARCH:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG_SEARCH_DOWN:
            op.execute(statement)
    op.drop_index('ix_story_counts_coalition', table_name='story_counts')
    op.drop_table('story_counts')
