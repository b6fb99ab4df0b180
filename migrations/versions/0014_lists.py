"""story lists that do not grow with the data: tag rows copy their story's state; partial indexes per audience

Revision ID: 0014_lists
Revises: 0011_ui
Create Date: 2026-11-30 18:30:00

story_tags rows get copies of their story's status, visibility, withdrawal, deletion and creation dates, campaign and
language (kept equal by the ORM, `stories.models.copy_story_state`), so a tag list walks a partial index of story_tags
newest first and never reads the stories. Stories get partial indexes for what members, the organizing team and everyone see (newest
first, per coalition; the team's also per campaign) and for the stories a campaign's evidence report counts;
story_answers gets an index on (story, question) in place of the one on the story alone.

On PostgreSQL the two tables are vacuumed afterwards: the backfill rewrote every tag row, and until a vacuum marks
the pages all-visible, an index-only scan still visits the table (autovacuum does it too, later).
"""
from alembic import op
import sqlalchemy as sa

from coalition.core.models import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0014_lists'
down_revision = '0013_momentum'
branch_labels = None
depends_on = None

MEMBER_AUDIENCE = (
    "status = 'approved' AND visibility IN ('members', 'public') AND withdrawn_at IS NULL AND deleted_at IS NULL"
)
TEAM_AUDIENCE = "status IN ('submitted', 'approved', 'returned') AND withdrawn_at IS NULL AND deleted_at IS NULL"
PUBLIC_AUDIENCE = "status = 'approved' AND visibility = 'public' AND withdrawn_at IS NULL AND deleted_at IS NULL"
COUNTED = "status = 'approved' AND withdrawn_at IS NULL AND deleted_at IS NULL"

COPIES = ("status", "visibility", "withdrawn_at", "deleted_at", "created_at", "campaign_id", "language")
FILTERS = ["campaign_id", "status", "language"]
STORY_INDEXES = (
    ("ix_stories_member_list", MEMBER_AUDIENCE, ["coalition_id", "created_at", "id", *FILTERS]),
    ("ix_stories_team_list", TEAM_AUDIENCE, ["coalition_id", "created_at", "id", *FILTERS]),
    ("ix_stories_public_list", PUBLIC_AUDIENCE, ["coalition_id", "created_at", "id", *FILTERS]),
    ("ix_stories_team_campaign", TEAM_AUDIENCE, ["coalition_id", "campaign_id", "created_at", "id", "status", "language"]),
    ("ix_stories_counted_campaign", COUNTED,
     ["coalition_id", "campaign_id", "approved_at", "id", "share_with_decision_makers"]),
)
TAG_INDEXES = (
    ("ix_story_tags_member_list", MEMBER_AUDIENCE, ["coalition_id", "tag", "created_at", "story_id", *FILTERS]),
    ("ix_story_tags_team_list", TEAM_AUDIENCE, ["coalition_id", "tag", "created_at", "story_id", *FILTERS]),
)


def _create(name, table, condition, columns):
    op.create_index(
        name, table, columns, unique=False, postgresql_where=sa.text(condition), sqlite_where=sa.text(condition)
    )


def upgrade():
    with op.batch_alter_table('story_tags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('visibility', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('created_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_story_tags_campaign_id_campaigns'), 'campaigns', ['campaign_id'], ['id'], ondelete='SET NULL'
        )
    # The copies of the rows already there (the same statement works on SQLite and PostgreSQL).
    copied = ", ".join(f"{name} = (SELECT s.{name} FROM stories s WHERE s.id = story_tags.story_id)" for name in COPIES)
    op.execute(f"UPDATE story_tags SET {copied}")
    with op.batch_alter_table('story_tags', schema=None) as batch_op:
        for name in ("status", "visibility"):
            batch_op.alter_column(name, existing_type=sa.String(length=30), nullable=False)
        batch_op.alter_column('created_at', existing_type=UTCDateTime(), nullable=False)
        batch_op.alter_column('language', existing_type=sa.String(length=10), nullable=False)
    for name, condition, columns in STORY_INDEXES:
        _create(name, 'stories', condition, columns)
    for name, condition, columns in TAG_INDEXES:
        _create(name, 'story_tags', condition, columns)
    # A story's answer to one question in one lookup (the evidence report walks stories and looks their answers up).
    op.create_index('ix_story_answers_story_question', 'story_answers', ['story_id', 'question_id'], unique=False)
    op.drop_index('ix_story_answers_story_id', table_name='story_answers')
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("VACUUM ANALYZE story_tags")
            op.execute("VACUUM ANALYZE stories")


def downgrade():
    op.create_index('ix_story_answers_story_id', 'story_answers', ['story_id'], unique=False)
    op.drop_index('ix_story_answers_story_question', table_name='story_answers')
    for name, _condition, _columns in TAG_INDEXES:
        op.drop_index(name, table_name='story_tags')
    for name, _condition, _columns in STORY_INDEXES:
        op.drop_index(name, table_name='stories')
    with op.batch_alter_table('story_tags', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_story_tags_campaign_id_campaigns'), type_='foreignkey')
        for name in reversed(COPIES):
            batch_op.drop_column(name)
