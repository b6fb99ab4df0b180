"""form submissions: single-use form nonces, so that a form sent twice creates once

Revision ID: 0010_defects
Revises: 0009_perf
Create Date: 2026-12-01 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import coalition.core.models


# revision identifiers, used by Alembic.
revision = '0010_defects'
down_revision = '0009_perf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_submissions',
    sa.Column('nonce_hash', sa.String(length=64), nullable=False),
    sa.Column('result', sa.String(length=1000), nullable=False),
    sa.Column('created_at', coalition.core.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('nonce_hash', name=op.f('pk_form_submissions'))
    )
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submissions_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submissions_created_at'))

    op.drop_table('form_submissions')
