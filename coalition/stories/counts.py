"""Counts of each campaign's counted stories, and of each coalition's stories per status, kept up to date in the
same transaction as the change (`core.kept`).

A story counts when it belongs to a campaign, is approved, and is neither withdrawn nor deleted (the rule of goal
progress and of the evidence report). For those stories `story_counts` holds, per campaign: the total, the stories
that may go to decision-makers, the stories per tag and per area, the answers per question, and the answers per
yes/no, choice or number value. Goal progress and the evidence report read these rows (one query) instead of re-counting
tens of thousands of stories on every request. `story_status_counts` holds, per coalition, the stories in each
status and visibility that are neither withdrawn nor deleted (the dashboard's "waiting for review", and the total of
an unfiltered story list: what each role sees is a set of statuses and visibilities, `rules.audience_counted`);
`story_tag_counts` holds the same per tag (the total of a story list filtered by one tag), and
`story_campaign_counts` per campaign (the total of a story list filtered by one campaign).

How they stay right: before a flush, the contribution of every story the flush touches (a story, or one of its
answers or tag rows) is read from the database as it stands; after the flush, again; the difference is added with
`INSERT ... ON CONFLICT DO UPDATE count = count + delta` (concurrent writers serialize on the row, nothing is
lost). Bulk loads that bypass the ORM (the benchmark seeder) call `core.kept.rebuild_kept()`.
"""

from collections import Counter
from collections.abc import Iterable
from functools import cache

from sqlalchemy import ForeignKey, Index, String, bindparam, delete, func, literal, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from coalition.campaigns.models import CampaignQuestion, QuestionKind
from coalition.campaigns.providers import COUNTED_STORIES
from coalition.core.kept import Keeper, add_to, register_keeper
from coalition.extensions import db
from coalition.stories.models import TAG_MAX, Story, StoryAnswer, StoryStatus, StoryTag

TOTAL, CONSENTING, TAG, AREA, ANSWERED, ANSWER = "total", "consenting", "tag", "area", "answered", "answer"
#: The questions whose answers are counted per value ("answer" rows): yes/no, a choice, a number.
VALUE_KINDS = (QuestionKind.YES_NO, QuestionKind.CHOICE, QuestionKind.NUMBER)
#: The kind of the coalition-wide counts per status (kept in `story_status_counts`, campaign None in a key).
STATUS = "status"
#: The kind of the coalition-wide counts per tag and status (kept in `story_tag_counts`, campaign None in a key, the
#: tag the key and (status, visibility) the label).
TAG_STATUS = "tag_status"
#: The kind of the counts per campaign, status and visibility (kept in `story_campaign_counts`; the status the key and
#: the visibility the label).
CAMPAIGN_STATUS = "campaign_status"
KEY_MAX = 300


class StoryCount(db.Model):
    """How many counted stories (or answers) of a campaign fall under one kind and key."""

    __tablename__ = "story_counts"
    __table_args__ = (Index("ix_story_counts_coalition", "coalition_id"),)

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    #: "total", "consenting", "tag", "area", "answered" (key: question id) or "answer" (key: "question id:value", for
    #: VALUE_KINDS).
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX), primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    #: Areas: the first spelling in sort order (as the report showed it when it counted with MIN()).
    label: Mapped[str | None] = mapped_column(String(KEY_MAX))
    count: Mapped[int] = mapped_column(default=0)


class StoryStatusCount(db.Model):
    """How many stories of a coalition are in a status with a visibility, withdrawn and deleted ones left out."""

    __tablename__ = "story_status_counts"

    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(30), primary_key=True)
    visibility: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class StoryTagCount(db.Model):
    """How many stories of a coalition carry a tag in a status with a visibility (withdrawn and deleted ones left
    out)."""

    __tablename__ = "story_tag_counts"

    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(TAG_MAX), primary_key=True)
    status: Mapped[str] = mapped_column(String(30), primary_key=True)
    visibility: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class StoryCampaignCount(db.Model):
    """How many stories of a campaign are in a status with a visibility (withdrawn and deleted ones left out)."""

    __tablename__ = "story_campaign_counts"
    __table_args__ = (Index("ix_story_campaign_counts_coalition", "coalition_id"),)

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(30), primary_key=True)
    visibility: Mapped[str] = mapped_column(String(20), primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    count: Mapped[int] = mapped_column(default=0)


#: {(coalition_id, campaign_id, kind, key, label): n}; for STATUS: (coalition_id, None, STATUS, status, visibility);
#: for TAG_STATUS: (coalition_id, None, TAG_STATUS, tag, (status, visibility)); for CAMPAIGN_STATUS:
#: (coalition_id, campaign_id, CAMPAIGN_STATUS, status, visibility).
Contribution = Counter


def contributions(story_ids: Iterable[int]) -> Contribution:
    """What the given stories add to the counts, read from the database as it stands (one to three queries)."""
    ids = sorted({i for i in story_ids if i is not None})
    found: Contribution = Counter()
    if not ids:
        return found
    present = db.session.execute(
        select(
            Story.id,
            Story.coalition_id,
            Story.campaign_id,
            Story.status,
            Story.location,
            Story.share_with_decision_makers,
            Story.visibility,
        ).where(Story.id.in_(ids), Story.withdrawn_at.is_(None), Story.deleted_at.is_(None))
    ).all()
    for row in present:
        found[(row.coalition_id, None, STATUS, str(row.status), str(row.visibility))] += 1
        if row.campaign_id is not None:
            found[(row.coalition_id, row.campaign_id, CAMPAIGN_STATUS, str(row.status), str(row.visibility))] += 1
    if not present:
        return found
    stories = [row for row in present if row.campaign_id is not None and row.status == StoryStatus.APPROVED]
    where = {row.id: (row.coalition_id, row.campaign_id) for row in stories}
    # The tags of every story present, counted or not: the counts per tag and status need them all.
    states = {row.id: (row.coalition_id, (str(row.status), str(row.visibility))) for row in present}
    for story_id, tag in db.session.execute(
        select(StoryTag.story_id, StoryTag.tag).where(StoryTag.story_id.in_(list(states)))
    ):
        coalition_id, state = states[story_id]
        found[(coalition_id, None, TAG_STATUS, tag, state)] += 1
        if story_id in where:
            found[(*where[story_id], TAG, tag[:KEY_MAX], None)] += 1
    if not stories:
        return found
    for row in stories:
        place = where[row.id]
        found[(*place, TOTAL, "", None)] += 1
        if row.share_with_decision_makers:
            found[(*place, CONSENTING, "", None)] += 1
        area = (row.location or "").strip(" ")
        found[(*place, AREA, area.lower()[:KEY_MAX], area[:KEY_MAX] or None)] += 1
    answers = db.session.execute(
        select(StoryAnswer.story_id, StoryAnswer.question_id, StoryAnswer.value, CampaignQuestion.kind)
        .join(CampaignQuestion, CampaignQuestion.id == StoryAnswer.question_id)
        .where(StoryAnswer.story_id.in_(where))
    )
    for story_id, question_id, value, kind in answers:
        found[(*where[story_id], ANSWERED, str(question_id), None)] += 1
        if kind in VALUE_KINDS:
            found[(*where[story_id], ANSWER, f"{question_id}:{value}"[:KEY_MAX], None)] += 1
    return found


def apply(session: Session, delta: dict) -> None:
    """Add `delta` ({(coalition, campaign, kind, key, label): n}) to the counts, in the session's transaction."""
    rows: dict[tuple, dict] = {}  # one row per primary key (one INSERT may not touch a row twice)
    statuses, tags, campaigns = [], [], []
    for (coalition_id, campaign_id, kind, key, label), change in delta.items():
        if kind == STATUS:
            statuses.append({"coalition_id": coalition_id, "status": key, "visibility": label, "count": change})
            continue
        if kind == CAMPAIGN_STATUS:
            campaigns.append(
                {
                    "coalition_id": coalition_id,
                    "campaign_id": campaign_id,
                    "status": key,
                    "visibility": label,
                    "count": change,
                }
            )
            continue
        if kind == TAG_STATUS:
            status, visibility = label
            tags.append(
                {"coalition_id": coalition_id, "tag": key, "status": status, "visibility": visibility, "count": change}
            )
            continue
        row = rows.setdefault(
            (campaign_id, kind, key),
            {"coalition_id": coalition_id, "campaign_id": campaign_id, "kind": kind, "key": key, "count": 0},
        )
        row["count"] += change
        row["label"] = min((x for x in (row.get("label"), label) if x is not None), default=None)
    table = StoryCount.__table__

    def first_label(excluded):
        label = db.case(
            (table.c.label.is_(None), excluded["label"]),
            (excluded["label"] < table.c.label, excluded["label"]),
            else_=table.c.label,
        )
        return {"label": label}

    if rows:
        add_to(session, table, list(rows.values()), ["campaign_id", "kind", "key"], also=first_label)
    if statuses:
        add_to(session, StoryStatusCount.__table__, statuses, ["coalition_id", "status", "visibility"])
    if tags:
        add_to(session, StoryTagCount.__table__, tags, ["coalition_id", "tag", "status", "visibility"])
    if campaigns:
        add_to(session, StoryCampaignCount.__table__, campaigns, ["campaign_id", "status", "visibility"])


def touched_story_ids(session: Session) -> set[int]:
    """The ids of the stories a flush touches: stories, and the stories of answers and tag rows."""
    ids = set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, Story):
            ids.add(obj.id)
        elif isinstance(obj, StoryAnswer | StoryTag):
            ids.add(obj.story_id if obj.story_id is not None else getattr(obj.story, "id", None))
    ids.discard(None)
    return ids


def keep_story_counts() -> None:
    """Keep `story_counts`, `story_status_counts`, `story_tag_counts` and `story_campaign_counts` up to date on every
    flush (from the stories' register())."""
    register_keeper("story_counts", Keeper(touched_story_ids, contributions, apply, rebuild_story_counts))


# --- Reading ---------------------------------------------------------------------------------------------------


def campaign_totals(campaign_ids: Iterable[int]) -> dict[int, int]:
    """{campaign id: counted stories} for the given campaigns, one query (absent: none)."""
    ids = list(campaign_ids)
    if not ids:
        return {}
    return dict(db.session.execute(_totals_statement(), {"campaign_ids": ids}).all())


@cache
def _totals_statement():
    """Built once (every campaign list and dashboard asks): the counted stories of :campaign_ids."""
    return select(StoryCount.campaign_id, StoryCount.count).where(
        StoryCount.campaign_id.in_(bindparam("campaign_ids", expanding=True)),
        StoryCount.kind == TOTAL,
        StoryCount.count > 0,
    )


def counted_per_campaign(campaign_ids):
    """The campaigns' tallies' "kept" source: select() of (campaign_id, kind, key, count) giving the counted stories
    of the campaigns in `campaign_ids` (an expanding bound parameter), read with the campaigns' own tallies."""
    return select(
        StoryCount.campaign_id,
        literal(COUNTED_STORIES, String).label("kind"),
        literal("", String).label("key"),
        StoryCount.count,
    ).where(StoryCount.campaign_id.in_(campaign_ids), StoryCount.kind == TOTAL, StoryCount.count > 0)


def status_counts(coalition_id: int) -> dict[str, int]:
    """{status: stories} of a coalition, withdrawn and deleted ones left out, one query."""
    rows = db.session.execute(
        select(StoryStatusCount.status, func.sum(StoryStatusCount.count))
        .where(StoryStatusCount.coalition_id == coalition_id)
        .group_by(StoryStatusCount.status)
        .having(func.sum(StoryStatusCount.count) != 0)
    )
    return dict(rows.all())


def kept_total(coalition_id, statuses: Iterable[str], visibilities: Iterable[str] | None = None):
    """A scalar subquery: the kept number of the coalition's stories in one of `statuses` (and, when given, one of
    `visibilities`), withdrawn and deleted ones left out. `coalition_id` may be a value or a column."""
    where = [StoryStatusCount.coalition_id == coalition_id, StoryStatusCount.status.in_([str(s) for s in statuses])]
    if visibilities is not None:
        where.append(StoryStatusCount.visibility.in_([str(v) for v in visibilities]))
    return select(func.coalesce(func.sum(StoryStatusCount.count), 0)).where(*where).scalar_subquery()


def kept_tag_total(coalition_id, tag: str, statuses: Iterable[str], visibilities: Iterable[str] | None = None):
    """A scalar subquery: the kept number of the coalition's stories with `tag` in one of `statuses` (and, when given,
    one of `visibilities`), withdrawn and deleted ones left out."""
    return _kept_sum(
        StoryTagCount, [StoryTagCount.coalition_id == coalition_id, StoryTagCount.tag == tag], statuses, visibilities
    )


def kept_campaign_total(
    coalition_id, campaign_id: int, statuses: Iterable[str], visibilities: Iterable[str] | None = None
):
    """A scalar subquery: the kept number of the coalition's stories in campaign `campaign_id`, in one of `statuses`
    (and, when given, one of `visibilities`), withdrawn and deleted ones left out (0 for another coalition's
    campaign)."""
    where = [StoryCampaignCount.coalition_id == coalition_id, StoryCampaignCount.campaign_id == campaign_id]
    return _kept_sum(StoryCampaignCount, where, statuses, visibilities)


def _kept_sum(table, where: list, statuses: Iterable[str], visibilities: Iterable[str] | None):
    where = [*where, table.status.in_([str(s) for s in statuses])]
    if visibilities is not None:
        where.append(table.visibility.in_([str(v) for v in visibilities]))
    return select(func.coalesce(func.sum(table.count), 0)).where(*where).scalar_subquery()


def campaign_counts(campaign_id: int) -> list[StoryCount]:
    """Every non-zero count of one campaign, one query."""
    return list(
        db.session.scalars(select(StoryCount).where(StoryCount.campaign_id == campaign_id, StoryCount.count > 0))
    )


# --- Rebuilding --------------------------------------------------------------------------------------------------

#: The counted stories, as SQL (the same rule as `contributions()`).
COUNTED = (
    "s.campaign_id IS NOT NULL AND s.status = 'approved' AND s.withdrawn_at IS NULL AND s.deleted_at IS NULL"
    " AND s.coalition_id = :coalition_id"
)
_INSERT = "INSERT INTO story_counts (coalition_id, campaign_id, kind, key, label, count) "
_ANSWER_KEY = "substr(CAST(a.question_id AS VARCHAR(20)) || ':' || a.value, 1, 300)"
#: Constant SQL (no input goes into it): one INSERT ... SELECT per kind.
REBUILD = (
    _INSERT + "SELECT s.coalition_id, s.campaign_id, 'total', '', NULL, count(*) FROM stories s "  # noqa: S608
    f"WHERE {COUNTED} GROUP BY s.coalition_id, s.campaign_id",
    _INSERT + "SELECT s.coalition_id, s.campaign_id, 'consenting', '', NULL, count(*) FROM stories s "  # noqa: S608
    f"WHERE {COUNTED} AND s.share_with_decision_makers GROUP BY s.coalition_id, s.campaign_id",
    _INSERT + "SELECT s.coalition_id, s.campaign_id, 'area', lower(trim(coalesce(s.location, ''))), "  # noqa: S608
    f"nullif(min(trim(coalesce(s.location, ''))), ''), count(*) FROM stories s WHERE {COUNTED} "
    "GROUP BY s.coalition_id, s.campaign_id, lower(trim(coalesce(s.location, '')))",
    _INSERT + "SELECT s.coalition_id, s.campaign_id, 'tag', t.tag, NULL, count(*) FROM stories s "  # noqa: S608
    f"JOIN story_tags t ON t.story_id = s.id WHERE {COUNTED} GROUP BY s.coalition_id, s.campaign_id, t.tag",
    _INSERT + "SELECT s.coalition_id, s.campaign_id, 'answered', CAST(a.question_id AS VARCHAR(20)), NULL, "  # noqa: S608
    f"count(*) FROM stories s JOIN story_answers a ON a.story_id = s.id WHERE {COUNTED} "
    "GROUP BY s.coalition_id, s.campaign_id, a.question_id",
    _INSERT + f"SELECT s.coalition_id, s.campaign_id, 'answer', {_ANSWER_KEY}, NULL, count(*) "  # noqa: S608
    "FROM stories s JOIN story_answers a ON a.story_id = s.id JOIN campaign_questions q ON q.id = a.question_id "
    f"WHERE {COUNTED} AND q.kind IN ('yes_no', 'choice', 'number') "
    f"GROUP BY s.coalition_id, s.campaign_id, {_ANSWER_KEY}",
)
REBUILD_STATUS = (
    "INSERT INTO story_status_counts (coalition_id, status, visibility, count) "
    "SELECT s.coalition_id, s.status, s.visibility, count(*) FROM stories s "
    "WHERE s.coalition_id = :coalition_id AND s.withdrawn_at IS NULL AND s.deleted_at IS NULL "
    "GROUP BY s.coalition_id, s.status, s.visibility"
)
#: The counts per tag and status (migration 0023 runs the same SQL for every coalition).
REBUILD_TAGS = (
    "INSERT INTO story_tag_counts (coalition_id, tag, status, visibility, count) "
    "SELECT s.coalition_id, t.tag, s.status, s.visibility, count(*) "
    "FROM stories s JOIN story_tags t ON t.story_id = s.id "
    "WHERE s.coalition_id = :coalition_id AND s.withdrawn_at IS NULL AND s.deleted_at IS NULL "
    "GROUP BY s.coalition_id, t.tag, s.status, s.visibility"
)
#: The counts per campaign and status (migration 0025 runs the same SQL for every coalition).
REBUILD_CAMPAIGNS = (
    "INSERT INTO story_campaign_counts (coalition_id, campaign_id, status, visibility, count) "
    "SELECT s.coalition_id, s.campaign_id, s.status, s.visibility, count(*) FROM stories s "
    "WHERE s.coalition_id = :coalition_id AND s.campaign_id IS NOT NULL "
    "AND s.withdrawn_at IS NULL AND s.deleted_at IS NULL "
    "GROUP BY s.coalition_id, s.campaign_id, s.status, s.visibility"
)


def rebuild_story_counts(coalition_id: int) -> None:
    """Count a coalition's stories from scratch (after a bulk load that bypassed the ORM); the caller commits."""
    db.session.execute(delete(StoryCount).where(StoryCount.coalition_id == coalition_id))
    db.session.execute(delete(StoryStatusCount).where(StoryStatusCount.coalition_id == coalition_id))
    db.session.execute(delete(StoryTagCount).where(StoryTagCount.coalition_id == coalition_id))
    db.session.execute(delete(StoryCampaignCount).where(StoryCampaignCount.coalition_id == coalition_id))
    for statement in (*REBUILD, REBUILD_STATUS, REBUILD_TAGS, REBUILD_CAMPAIGNS):
        db.session.execute(text(statement), {"coalition_id": coalition_id})
