"""meeting languages and interpretation stored as language codes (data only)

Revision ID: 0011_ui
Revises: 0010_defects
Create Date: 2026-11-30 16:00:00.000000

Meetings kept the languages spoken and the interpretation offered as typed names ("English, Spanish"), and RSVPs
the chosen interpretation ("Spanish"). They become language codes ("en, es", "es"), shown by name in each viewer's
language; a name that is not a known language stays as typed. Downgrading writes English names back.
"""
from alembic import op
import sqlalchemy as sa
from babel import Locale

from coalition.core.i18n import language_codes, split_languages


# revision identifiers, used by Alembic.
revision = '0011_ui'
down_revision = '0010_defects'
branch_labels = None
depends_on = None

meetings = sa.table(
    "meetings", sa.column("id", sa.Integer), sa.column("languages", sa.String), sa.column("interpretation", sa.String)
)
rsvps = sa.table("meeting_rsvps", sa.column("id", sa.Integer), sa.column("interpretation_language", sa.String))


def _english_names(codes):
    names = Locale("en").languages
    return ", ".join(names.get(code, code) for code in split_languages(codes))


def _convert(convert):
    conn = op.get_bind()
    for row in conn.execute(sa.select(meetings.c.id, meetings.c.languages, meetings.c.interpretation)).all():
        values = {"languages": convert(row.languages), "interpretation": convert(row.interpretation)}
        if values != {"languages": row.languages, "interpretation": row.interpretation}:
            conn.execute(meetings.update().where(meetings.c.id == row.id).values(**values))
    chosen = conn.execute(
        sa.select(rsvps.c.interpretation_language).where(rsvps.c.interpretation_language != "").distinct()
    ).scalars().all()
    for value in chosen:
        if convert(value) != value:
            conn.execute(
                rsvps.update().where(rsvps.c.interpretation_language == value).values(interpretation_language=convert(value))
            )


def upgrade():
    _convert(lambda text: language_codes(text or ""))


def downgrade():
    _convert(lambda codes: _english_names(codes or ""))
