"""Read-only story queries: lists, search, counts, and the audit of organizers' reads of private stories.

Every list starts from the rules (`rules.visible_stories()` or `rules.visible_parts()`), so no list can show a
story its viewer may not see; `display_options()` loads what `present_story()` reads, so query counts stay bounded.
"""

from functools import cache

from sqlalchemy import bindparam, func, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from coalition.campaigns.models import Campaign
from coalition.coalitions.models import Coalition
from coalition.core.audit import record_audit
from coalition.core.plans import planned_for_its_values
from coalition.core.tags import parse_tags
from coalition.extensions import db
from coalition.stories import counts
from coalition.stories.models import ExcerptStatus, Story, StoryAnswer, StoryExcerpt, StoryStatus, StoryTag
from coalition.stories.rules import (
    audience_counted,
    reads_are_audited,
    role_parts,
    viewer_id,
    viewer_role,
    visible_clause,
    visible_parts,
    visible_stories,
)
from coalition.stories.search import matches, search_words, searched


def display_options():
    """Loader options for everything `present_story()` reads, so lists run a fixed number of queries."""
    return (joinedload(Story.storyteller), joinedload(Story.campaign), selectinload(Story.excerpts))


def list_options():
    """`display_options()` for a page of a story list, in one statement: a list shows an accepted excerpt, never the
    others, so only the accepted ones are joined (loading every excerpt took a second statement: ~1.5 ms a page).
    The results need `.unique()` (paginate() asks for it). For pages loaded by id: with LIMIT and OFFSET ("my
    stories") the join wraps the stories in a subquery and gains nothing."""
    return (joinedload(Story.storyteller), joinedload(Story.campaign), joinedload(Story.accepted_excerpts))


def campaign_story_counts(campaign_ids) -> dict[int, int]:
    """Approved stories that are neither withdrawn nor deleted, per campaign, in one query (kept counts)."""
    return counts.campaign_totals(campaign_ids)


def question_answer_counts(question_ids) -> dict[int, int]:
    """{question id: how many stories answered it} for the given questions, in one query (absent: none)."""
    ids = list(question_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(StoryAnswer.question_id, func.count(func.distinct(StoryAnswer.story_id)))
        .where(StoryAnswer.question_id.in_(ids))
        .group_by(StoryAnswer.question_id)
    )
    return {question_id: count for question_id, count in rows}


def decision_maker_stories(coalition: Coalition, campaign: Campaign | None = None):
    """select(Story): approved stories whose storytellers allow sharing them with decision-makers, the most recently
    approved first."""
    statement = select(Story).where(*consenting(coalition.id)).options(*display_options()).order_by(*CONSENTING_ORDER)
    if campaign is not None:
        statement = statement.where(Story.campaign_id == campaign.id)
    return statement


def consenting(coalition_id) -> tuple:
    """The conditions of `decision_maker_stories()`; the coalition's id is a value or a bound parameter."""
    return (
        Story.coalition_id == coalition_id,
        Story.status == StoryStatus.APPROVED,
        Story.share_with_decision_makers.is_(True),
        Story.withdrawn_at.is_(None),
        Story.deleted_at.is_(None),
    )


#: The order of `decision_maker_stories()`: the most recently approved first.
CONSENTING_ORDER = (Story.approved_at.desc(), Story.id.desc())


def _story_filters(q=None, campaign_id=None, status=None, language=None, rows=Story) -> list:
    """WHERE clauses for the list filters other than the tag, on Story or on StoryTag's copies (without `q`)."""
    clauses = [matches(q, newest_first=True)] if rows is Story else []
    if campaign_id:
        clauses.append(rows.campaign_id == campaign_id)
    if status in {s.value for s in StoryStatus}:
        clauses.append(rows.status == status)
    if language:
        clauses.append(rows.language == language)
    return [clause for clause in clauses if clause is not None]


def _tagged(coalition_id: int, tag: str):
    return select(StoryTag.story_id).where(StoryTag.coalition_id == coalition_id, StoryTag.tag == tag)


def _filtered(statement, coalition_id: int, *, tag=None, **filters):
    statement = statement.where(*_story_filters(**filters))
    tags = parse_tags(tag or "")
    if tags:
        statement = statement.where(Story.id.in_(_tagged(coalition_id, tags[0])))
    return statement.order_by(Story.created_at.desc(), Story.id.desc())


def search_stories(viewer, coalition: Coalition, **filters):
    """select(Story) of what `viewer` may see, searched (`q`) and filtered (campaign_id, tag, status, language)."""
    return _filtered(visible_stories(viewer, coalition), coalition.id, **filters).options(*display_options())


def story_ids(statement, q=None):
    """The ids of a story search, in its order: page through these, then load the page with `stories_by_id()`.

    On PostgreSQL the words of each story are stored (`search.SEARCH_COLUMN`), so the planner may walk the stories'
    date index and test each row cheaply until it has a page (page 1 of a frequent word reads ~70 rows), or read the
    GIN index for a rare word and sort the few matches; no match is re-parsed and not every match is sorted.
    """
    return statement.with_only_columns(Story.id)


def visible_story_ids(viewer, coalition: Coalition, *, tag=None, **filters):
    """The ids of what `viewer` may see, searched and filtered like `search_stories()`, newest first, for paginate().

    Returns a function of (n, ordered) giving a select() of the first n ids (any n of them when not `ordered`, for
    counting; see core.pagination.paginate). The rules' two parts (`visible_parts`) are walked apart, each newest
    first and at most n rows, then merged: each part reads an index in list order (a partial index of what the
    viewer's role sees; the viewer's own stories), and a tag list reads the copies in story_tags without touching
    the stories, so counts and deep pages read indexes, not stories. A count walks the parts in order too (SQLite
    picks the partial index only then). A search walks the whole rule at once, and counts its matches in any order.
    """
    tags = parse_tags(tag or "")
    searching = bool(search_words(filters.get("q")))
    if searching:
        # Each candidate's words are tested anyway: one walk over the whole rule reads less than one per part (and
        # SQLite would read the full-text index once per part). The words are tested one way for a page in date
        # order, another for a count (search.matches).
        tagged = [Story.id.in_(_tagged(coalition.id, tags[0]))] if tags else []

        def parts_of(ordered: bool) -> list[tuple]:
            found = _story_filters(**{**filters, "q": None})
            rows = select(Story.id, Story.created_at).where(visible_clause(viewer, coalition), *found, *tagged)
            return [(searched(rows, filters["q"], newest_first=ordered), Story.id, Story.created_at)]
    else:
        parts = _parts(viewer, coalition, tags[0] if tags else None, filters)

        def parts_of(ordered: bool) -> list[tuple]:
            return parts

    def first(n: int | None, ordered: bool = True):
        walked = []
        for rows, key, created in parts_of(ordered):
            rows = rows.order_by(created.desc(), key.desc()) if ordered or not searching else rows
            walked.append((rows.limit(n) if n is not None else rows).subquery())
        merged = union_all(*[select(*part.c) for part in walked]).subquery() if len(walked) > 1 else walked[0]
        id_column, created_column = merged.c
        listed = select(id_column).order_by(created_column.desc(), id_column.desc()) if ordered else select(id_column)
        # Planned for its values: a generic plan of a member's list was 13× slower at scale 0.1 (core.plans).
        listed = planned_for_its_values(listed)
        return listed.limit(n) if n is not None else listed

    return first


def visible_total(viewer, coalition: Coalition, *, tag=None, campaign_id=None, status=None, **filters) -> int | None:
    """How many stories `viewer` sees in the list, exactly, from the kept counts (one statement), when the list is
    unfiltered or filtered by one tag or one campaign, and maybe a status: what the viewer's role sees, plus their own
    stories outside it. None when a search, a language, or a tag and a campaign together narrow the list (then the
    list counts its rows)."""
    tags = parse_tags(tag or "")
    if any(filters.values()) or (tags and campaign_id):
        return None
    kind = "tag" if tags else "campaign" if campaign_id else None
    user_id = viewer_id(viewer)
    statement = _total_statement(
        viewer_role(viewer, coalition.id), kind, status if status in STATUS_VALUES else None, user_id is not None
    )
    values = {"coalition_id": coalition.id, "tag": tags[0] if tags else None, "campaign_id": campaign_id}
    return db.session.scalar(statement, {**values, "user_id": user_id} if user_id is not None else values)


STATUS_VALUES = frozenset(StoryStatus)


@cache
def _total_statement(role, kind: str | None, status: str | None, signed_in: bool):
    """Built once per role, kind of list ("tag", "campaign" or None), status and whether someone is signed in (every
    story list asks): the statement of `visible_total()`, on :coalition_id, :tag, :campaign_id and :user_id."""
    statuses, visibilities = audience_counted(role)
    if status is not None:
        statuses = [s for s in statuses if s == status]
    coalition_id = bindparam("coalition_id")
    if kind == "tag":
        total = counts.kept_tag_total(coalition_id, bindparam("tag"), statuses, visibilities)
    elif kind == "campaign":
        total = counts.kept_campaign_total(coalition_id, bindparam("campaign_id"), statuses, visibilities)
    else:
        total = counts.kept_total(coalition_id, statuses, visibilities)
    if signed_in:
        _shared, own = role_parts(role, coalition_id, bindparam("user_id"))
        own_rows = select(func.count()).select_from(Story).where(own)
        if kind == "campaign":
            own_rows = own_rows.where(Story.campaign_id == bindparam("campaign_id"))
        if status is not None:
            own_rows = own_rows.where(Story.status == status)
        if kind == "tag":
            # Tested per own story by the tag rows' key (the viewer's own stories are few; the tag's rows may not be).
            own_rows = own_rows.where(
                select(StoryTag.story_id)
                .where(StoryTag.story_id == Story.id, StoryTag.tag == bindparam("tag"))
                .exists()
            )
        total = total + own_rows.scalar_subquery()
    return select(total)


def _parts(viewer, coalition: Coalition, tag: str | None, filters: dict) -> list[tuple]:
    """(select(id, created), id column, created column) for each of the rules' parts, filtered.

    The audience's part reads its partial index alone: the filters' columns are in it (for a tag, in the tag rows'
    copies); the viewer's own stories are few.
    """
    shared, own = visible_parts(viewer, coalition, StoryTag if tag else Story)
    own_filters = _story_filters(**filters)
    if tag:
        shared_rows = select(StoryTag.story_id, StoryTag.created_at).where(
            shared, StoryTag.tag == tag, *_story_filters(**filters, rows=StoryTag)
        )
        own_filters.append(Story.id.in_(_tagged(coalition.id, tag)))
        parts = [(shared_rows, StoryTag.story_id, StoryTag.created_at)]
    else:
        parts = [(select(Story.id, Story.created_at).where(shared, *own_filters), Story.id, Story.created_at)]
    if own is not None:
        parts.append((select(Story.id, Story.created_at).where(own, *own_filters), Story.id, Story.created_at))
    return parts


def stories_by_id():
    """select(Story) with what lists display, for loading one page of ids (see core.pagination.paginate)."""
    return select(Story).options(*list_options())


def mine(user_id, coalition_id) -> tuple:
    """The conditions of a person's own stories (withdrawn ones included, deleted ones not); the ids are values or
    bound parameters."""
    return Story.coalition_id == coalition_id, Story.storyteller_id == user_id, Story.deleted_at.is_(None)


#: The order of a person's own stories: newest first.
MINE_ORDER = (Story.created_at.desc(), Story.id.desc())


def my_stories(user, coalition: Coalition):
    """select(Story) of a person's own stories (withdrawn ones included, deleted ones not), newest first."""
    return select(Story).where(*mine(user.id, coalition.id)).options(*display_options()).order_by(*MINE_ORDER)


def waiting_for_review_count(coalition: Coalition) -> int:
    """How many submitted stories wait for the organizers' review."""
    return db.session.scalar(
        select(func.count(Story.id)).where(
            Story.coalition_id == coalition.id,
            Story.status == StoryStatus.SUBMITTED,
            Story.withdrawn_at.is_(None),
            Story.deleted_at.is_(None),
        )
    )


def excerpts_waiting_for(user, coalition: Coalition, limit: int = 10) -> list[tuple[int, str]]:
    """The (id, title) of this person's stories whose proposed excerpt waits for their answer, newest first."""
    return db.session.execute(
        select(Story.id, Story.title)
        .join(StoryExcerpt, StoryExcerpt.story_id == Story.id)
        .where(
            Story.coalition_id == coalition.id,
            Story.storyteller_id == user.id,
            Story.withdrawn_at.is_(None),
            Story.deleted_at.is_(None),
            StoryExcerpt.status == ExcerptStatus.PROPOSED,
        )
        .order_by(StoryExcerpt.id.desc())
        .limit(limit)
    ).all()


def note_private_reads(stories, viewer, coalition: Coalition, place: str) -> bool:
    """Write to the audit log that an organizer read stories their storytellers kept to the organizing team.

    Returns True when an entry was added (the caller commits it).
    """
    private = [s for s in stories if reads_are_audited(s, viewer)]
    if not private:
        return False
    record_audit(
        "story.read_private",
        actor=viewer,
        coalition=coalition,
        obj=private[0] if len(private) == 1 else None,
        place=place,
        story_ids=[s.id for s in private],
    )
    return True
