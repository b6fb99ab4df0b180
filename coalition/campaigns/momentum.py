"""A campaign's momentum: progress computed from the data (never typed in) and its timeline.

The numbers of higher domains (meetings, stances, outreach, timeline entries) come through `campaigns.providers`;
people reached, targets by stance and outreach per month are kept up to date by `campaigns.tallies`. Small counts
are suppressed (`core.suppression`) for members and the public; the organizing team sees exact numbers, on pages
that say so. Everything here runs a fixed number of queries for any number of campaigns, stories, meetings or
people; counts over a campaign's history are kept, not recounted, and latest dates walk an index to one row.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from sqlalchemy import DateTime, Integer, String, bindparam, cast, literal, literal_column, null, select, union_all

from coalition.accounts.models import User
from coalition.campaigns import providers
from coalition.campaigns.models import Campaign, CampaignUpdate
from coalition.campaigns.providers import MeetingsProgress, StanceSummary, TimelineEntry, TimelineRows
from coalition.campaigns.tallies import PEOPLE, counted_stories, tallies_of
from coalition.core.models import utcnow
from coalition.core.permissions import can
from coalition.core.suppression import Count, suppress_count
from coalition.extensions import db

#: Timeline entries per page; pages beyond MAX_TIMELINE_PAGES are not offered (each page reads page × size rows).
TIMELINE_PAGE_SIZE = 20
MAX_TIMELINE_PAGES = 50
DEFAULT_SINCE_DAYS = 30


@dataclass
class Progress:
    """A campaign's progress as one viewer may see it."""

    campaign: Campaign
    collected: Count
    percent: int | None
    meetings: MeetingsProgress
    attended: Count
    people_reached: Count
    #: None when the viewer may not see stakeholders (members, the public).
    stances: StanceSummary | None
    #: (last month, this month), or None when the viewer may not see outreach.
    outreach: tuple[int, int] | None
    #: Exact numbers (the organizing team's own page), or small counts suppressed.
    exact: bool
    threshold: int


def month_starts(now: datetime) -> tuple[datetime, datetime]:
    """The first instants (UTC) of last month and of this month."""
    this = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last = (this - timedelta(days=1)).replace(day=1)
    return last, this


def default_since(now: datetime | None = None) -> datetime:
    """The date stance movement is measured from when none is chosen: 30 days ago."""
    return (now or utcnow()) - timedelta(days=DEFAULT_SINCE_DAYS)


def parse_since(text: str | None, now: datetime | None = None) -> datetime:
    """The start of the chosen day (YYYY-MM-DD, UTC) for stance movement; 30 days ago when missing or invalid."""
    try:
        chosen = date.fromisoformat((text or "").strip())
    except ValueError:
        return default_since(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return datetime.combine(min(chosen, (now or utcnow()).date()), time(), tzinfo=UTC)


def people_reached(campaign_ids, tallies: dict | None = None) -> dict[int, int]:
    """{campaign id: distinct people reached}, kept by `campaigns.tallies` (one query, none given the tallies).

    Each person counts once per campaign however many ways the campaign reached them: a member who told a story,
    came to two meetings and answered a decision is one person, and so is a visitor known by the same email twice.
    """
    tallies = tallies_of(campaign_ids) if tallies is None else tallies
    return {campaign_id: numbers.get((PEOPLE, ""), 0) for campaign_id, numbers in tallies.items()}


def last_activity(campaign_ids) -> dict[int, datetime]:
    """{campaign id: when something last happened}: the latest date of each domain's activity, one query.

    Each source is a correlated subquery that walks an index on (campaign_id, date) backwards to its first row, so
    the cost does not depend on how much happened before.
    """
    ids = [i for i in campaign_ids if i is not None]
    if not ids:
        return {}
    statement = _last_activity_statement(tuple(providers.sources("last_activity")))
    result = {}
    for campaign_id, *dates in db.session.execute(statement, {"campaign_ids": ids, "now": utcnow()}):
        known = [_aware(at) for at in dates if at is not None]
        if known:
            result[campaign_id] = max(known)
    return result


@cache
def _last_activity_statement(sources: tuple):
    """Built once for the registered sources: the latest date of each, per campaign of :campaign_ids (`:now` is the
    current time, for sources that need it)."""
    own = (
        select(CampaignUpdate.created_at)
        .where(CampaignUpdate.campaign_id == Campaign.id)
        .order_by(CampaignUpdate.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    latest = [own, *[source(Campaign.id) for source in sources]]
    return select(Campaign.id, *latest).where(Campaign.id.in_(bindparam("campaign_ids", expanding=True)))


def _aware(value):
    """SQLite returns a UNION's datetimes as naive (or text): read them as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sees_exact_numbers(obj, viewer) -> bool:
    """The organizing team sees exact numbers on its own pages (of a campaign, or of the coalition); everyone else
    sees small counts suppressed."""
    return bool(getattr(viewer, "is_authenticated", False)) and can("campaign.evidence", obj, viewer)


def progress_for(campaigns, viewer, *, since: datetime | None = None, public: bool = False) -> dict[int, Progress]:
    """{campaign id: Progress} of `campaigns` (one coalition) as `viewer` may see it; public: visitors' totals."""
    campaigns = list(campaigns)
    if not campaigns:
        return {}
    ids = [c.id for c in campaigns]
    now = utcnow()
    team = not public and sees_exact_numbers(campaigns[0], viewer)
    tallies = tallies_of(ids)
    collected = counted_stories(tallies)
    meetings = providers.meetings_progress(ids, now, tallies)
    reached = people_reached(ids, tallies)
    stances = providers.stance_counts(ids, since or default_since(now), tallies) if team else {}
    outreach = providers.outreach_by_month(ids, *month_starts(now), tallies) if team else {}
    threshold = 0 if team else campaigns[0].coalition.suppression_threshold
    result = {}
    for campaign in campaigns:
        stories = collected.get(campaign.id, 0)
        meeting = meetings.get(campaign.id, MeetingsProgress())
        result[campaign.id] = Progress(
            campaign=campaign,
            collected=suppress_count(stories, threshold),
            percent=_percent(campaign, stories, threshold),
            meetings=meeting,
            attended=suppress_count(meeting.attended, threshold),
            people_reached=suppress_count(reached.get(campaign.id, 0), threshold),
            stances=stances.get(campaign.id, StanceSummary()) if team else None,
            outreach=outreach.get(campaign.id, (0, 0)) if team else None,
            exact=team,
            threshold=campaigns[0].coalition.suppression_threshold,
        )
    return result


def _percent(campaign: Campaign, stories: int, threshold: int) -> int | None:
    if not campaign.story_goal or 0 < stories < threshold:  # a percentage would give the small count away
        return None
    return min(100, round(100 * stories / campaign.story_goal))


# --- Timeline ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateShown:
    """A campaign update as the timeline shows it in full."""

    id: int
    body: str
    #: None when the author's account was deleted.
    author_name: str | None


def _updates(campaign: Campaign, _viewer) -> TimelineRows:
    rows = (
        select(CampaignUpdate.created_at, CampaignUpdate.id, CampaignUpdate.body, User.display_name)
        .outerjoin(User, User.id == CampaignUpdate.author_id)
        .where(CampaignUpdate.campaign_id == campaign.id)
    )
    return TimelineRows(rows, _update_entry)


def _update_entry(at, update_id, body, author_name) -> TimelineEntry:
    return TimelineEntry(at, "update", "", f"#update-{update_id}", update=UpdateShown(update_id, body, author_name))


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    page: int
    has_prev: bool
    has_next: bool


#: The columns every timeline source's rows are padded to: at, id, and three texts; named, so that the merged rows
#: are read by name (`_MERGED`) without SQLAlchemy building the columns of each source's subquery (~0.25 ms each).
_NAMES = ("at", "row_id", "text1", "text2", "text3")
_MERGED = (
    literal_column("source", Integer),
    literal_column("at", DateTime),
    literal_column("row_id", Integer),
    *(literal_column(name, String) for name in _NAMES[2:]),
)


def timeline(campaign: Campaign, viewer, page: int = 1, per_page: int = TIMELINE_PAGE_SIZE) -> TimelinePage:
    """One page of the campaign's timeline, newest first, in one statement whatever the data size: each source's
    newest page × per_page + 1 rows (each walks its (campaign, date) index backwards), merged by date; pages stop at
    MAX_TIMELINE_PAGES."""
    page = max(1, min(page, MAX_TIMELINE_PAGES))
    offset = (page - 1) * per_page
    limit = offset + per_page + 1
    sources = [_updates(campaign, viewer)]
    sources += [source(campaign, viewer) for source in providers.sources("timeline")]
    sources = [source for source in sources if source is not None]
    parts, widths = [], []
    for number, source in enumerate(sources):
        at, key, *texts = source.rows.selected_columns
        widths.append(len(texts))
        padded = (at, key, *texts, *(cast(null(), String) for _ in range(len(_NAMES) - 2 - len(texts))))
        newest = (
            source.rows.with_only_columns(
                literal(number, Integer).label("source"),
                *(column.label(name) for column, name in zip(padded, _NAMES, strict=True)),
            )
            .order_by(at.desc(), key.desc())
            .limit(limit)
        )
        parts.append(select(literal_column("*")).select_from(newest.subquery()))
    source_column, at_column, key_column = _MERGED[:3]
    rows = db.session.execute(
        select(*_MERGED)
        .select_from(union_all(*parts).subquery("timeline"))
        .order_by(at_column.desc(), source_column, key_column.desc())
        .limit(limit)
    ).all()
    entries = []
    for number, at, key, *texts in rows[offset : offset + per_page]:
        entries.append(sources[number].entry(_aware(at), key, *texts[: widths[number]]))
    return TimelinePage(
        entries=entries,
        page=page,
        has_prev=page > 1,
        has_next=len(rows) > offset + per_page and page < MAX_TIMELINE_PAGES,
    )
