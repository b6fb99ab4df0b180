"""Counts of each campaign's counted stories, kept up to date in the same transaction as the change.

A story counts when it belongs to a campaign, is approved, and is neither withdrawn nor deleted (the rule of goal
progress and of the evidence report). For those stories `story_counts` holds, per campaign: the total, the stories
that may go to decision-makers, the stories per tag and per area, the answers per question, and the answers per
yes/no or choice value. Goal progress and the evidence report read these rows (one query) instead of re-counting
tens of thousands of stories on every request.

How they stay right: before a flush, the contribution of every story the flush touches (a story, or one of its
answers or tag rows) is read from the database as it stands; after the flush, again; the difference is added with
`INSERT ... ON CONFLICT DO UPDATE count = count + delta` (concurrent writers serialize on the row, nothing is
lost). Bulk loads that bypass the ORM (the benchmark seeder) call `rebuild_story_counts()`.
"""

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import ForeignKey, Index, String, delete, event, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from coalition.campaigns.models import CampaignQuestion, QuestionKind
from coalition.extensions import db
from coalition.stories.models import Story, StoryAnswer, StoryStatus, StoryTag

TOTAL, CONSENTING, TAG, AREA, ANSWERED, ANSWER = "total", "consenting", "tag", "area", "answered", "answer"
KEY_MAX = 300


class StoryCount(db.Model):
    """How many counted stories (or answers) of a campaign fall under one kind and key."""

    __tablename__ = "story_counts"
    __table_args__ = (Index("ix_story_counts_coalition", "coalition_id"),)

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    #: "total", "consenting", "tag", "area", "answered" (key: question id) or "answer" (key: "question id:value").
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX), primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    #: Areas: the first spelling in sort order (as the report showed it when it counted with MIN()).
    label: Mapped[str | None] = mapped_column(String(KEY_MAX))
    count: Mapped[int] = mapped_column(default=0)


Contribution = Counter  # {(coalition_id, campaign_id, kind, key, label): n}


def contributions(story_ids: Iterable[int]) -> Contribution:
    """What the given stories add to the counts, read from the database as it stands (three queries)."""
    ids = sorted({i for i in story_ids if i is not None})
    found: Contribution = Counter()
    if not ids:
        return found
    stories = db.session.execute(
        select(Story.id, Story.coalition_id, Story.campaign_id, Story.location, Story.share_with_decision_makers).where(
            Story.id.in_(ids),
            Story.campaign_id.is_not(None),
            Story.status == StoryStatus.APPROVED,
            Story.withdrawn_at.is_(None),
            Story.deleted_at.is_(None),
        )
    ).all()
    if not stories:
        return found
    where = {row.id: (row.coalition_id, row.campaign_id) for row in stories}
    for row in stories:
        place = where[row.id]
        found[(*place, TOTAL, "", None)] += 1
        if row.share_with_decision_makers:
            found[(*place, CONSENTING, "", None)] += 1
        area = (row.location or "").strip(" ")
        found[(*place, AREA, area.lower()[:KEY_MAX], area[:KEY_MAX] or None)] += 1
    for story_id, tag in db.session.execute(
        select(StoryTag.story_id, StoryTag.tag).where(StoryTag.story_id.in_(where))
    ):
        found[(*where[story_id], TAG, tag[:KEY_MAX], None)] += 1
    answers = db.session.execute(
        select(StoryAnswer.story_id, StoryAnswer.question_id, StoryAnswer.value, CampaignQuestion.kind)
        .join(CampaignQuestion, CampaignQuestion.id == StoryAnswer.question_id)
        .where(StoryAnswer.story_id.in_(where))
    )
    for story_id, question_id, value, kind in answers:
        found[(*where[story_id], ANSWERED, str(question_id), None)] += 1
        if kind in (QuestionKind.YES_NO, QuestionKind.CHOICE):
            found[(*where[story_id], ANSWER, f"{question_id}:{value}"[:KEY_MAX], None)] += 1
    return found


def apply(session: Session, delta: dict) -> None:
    """Add `delta` ({(coalition, campaign, kind, key, label): n}) to the counts, in the session's transaction."""
    connection = session.connection()
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[connection.dialect.name]
    table = StoryCount.__table__
    for (coalition_id, campaign_id, kind, key, label), change in sorted(delta.items(), key=lambda i: i[0][1:4]):
        if not change:
            continue
        statement = dialect.insert(table).values(
            coalition_id=coalition_id, campaign_id=campaign_id, kind=kind, key=key, label=label, count=change
        )
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=["campaign_id", "kind", "key"],
            set_={
                "count": table.c.count + excluded["count"],
                "label": db.case(
                    (table.c.label.is_(None), excluded["label"]),
                    (excluded["label"] < table.c.label, excluded["label"]),
                    else_=table.c.label,
                ),
            },
        )
        connection.execute(statement)


def _touched_story_ids(session: Session) -> set[int]:
    ids = set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, Story):
            ids.add(obj.id)
        elif isinstance(obj, StoryAnswer | StoryTag):
            ids.add(obj.story_id if obj.story_id is not None else getattr(obj.story, "id", None))
    ids.discard(None)
    return ids


def _before_flush(session: Session, _context, _instances) -> None:
    touched = _touched_story_ids(session)
    with session.no_autoflush:
        session.info["story_counts_before"] = (touched, contributions(touched))


def _after_flush(session: Session, _context) -> None:
    before_ids, before = session.info.pop("story_counts_before", (set(), Counter()))
    touched = before_ids | _touched_story_ids(session)
    if not touched:
        return
    after = contributions(touched)
    delta = Counter(after)
    delta.subtract(before)
    apply(session, {key: change for key, change in delta.items() if change})


def track_story_counts() -> None:
    """Keep `story_counts` up to date on every flush (once per process; called from the stories' register())."""
    for name, listener in (("before_flush", _before_flush), ("after_flush", _after_flush)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


# --- Reading ---------------------------------------------------------------------------------------------------


def campaign_totals(campaign_ids: Iterable[int]) -> dict[int, int]:
    """{campaign id: counted stories} for the given campaigns, one query (absent: none)."""
    ids = list(campaign_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(StoryCount.campaign_id, StoryCount.count).where(
            StoryCount.campaign_id.in_(ids), StoryCount.kind == TOTAL, StoryCount.count > 0
        )
    )
    return dict(rows.all())


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
    f"WHERE {COUNTED} AND q.kind IN ('yes_no', 'choice') GROUP BY s.coalition_id, s.campaign_id, {_ANSWER_KEY}",
)


def rebuild_story_counts(coalition_id: int) -> None:
    """Count a coalition's stories from scratch (after a bulk load that bypassed the ORM); the caller commits."""
    db.session.execute(delete(StoryCount).where(StoryCount.coalition_id == coalition_id))
    for statement in REBUILD:
        db.session.execute(text(statement), {"coalition_id": coalition_id})
