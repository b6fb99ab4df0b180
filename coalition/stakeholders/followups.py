"""The follow-up queue: overdue and upcoming follow-ups, stakeholders with no response, the weekly digest."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import aliased, joinedload

from coalition.accounts.models import User
from coalition.coalitions.models import Coalition, Membership
from coalition.coalitions.queries import active_members
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.links import site_link
from coalition.core.models import utcnow
from coalition.core.outbox import queue_mail
from coalition.core.permissions import can, roles_with
from coalition.extensions import db
from coalition.stakeholders.models import Outreach, Response, Stakeholder

UPCOMING_DAYS = 7
QUEUE_LIMIT = 200
#: Rows of each section on the follow-ups page: a working list of the oldest first, not the whole backlog;
#: "show all" pages through the rest.
SECTION_LIMIT = 10


def coalition_today(coalition, now: datetime | None = None) -> date:
    """Today's date where the coalition works (follow-up dates are calendar dates there)."""
    now = now or utcnow()
    try:
        zone = zoneinfo.ZoneInfo(coalition.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = UTC
    return now.astimezone(zone).date()


def _open_follow_ups(coalition, owner: User | None):
    statement = select(Outreach).where(
        Outreach.coalition_id == coalition.id,
        Outreach.follow_up_done.is_(False),
        Outreach.follow_up_on.is_not(None),
    )
    if owner is not None:
        statement = statement.where(Outreach.follow_up_owner_id == owner.id)
    return statement


def _with_related(statement):
    # Joined: each row names one stakeholder, owner and campaign, so one query carries them (not three more).
    return statement.options(
        joinedload(Outreach.stakeholder), joinedload(Outreach.follow_up_owner), joinedload(Outreach.campaign)
    )


def follow_up_statements(coalition, *, owner: User | None = None, today: date | None = None) -> dict:
    """{"overdue": select(), "upcoming": select()}: open follow-ups (of `owner`, or everyone's), oldest first."""
    today = today or coalition_today(coalition)
    base = _open_follow_ups(coalition, owner)
    order = (Outreach.follow_up_on, Outreach.id)
    soon = today + timedelta(days=UPCOMING_DAYS)
    return {
        "overdue": _with_related(base.where(Outreach.follow_up_on < today).order_by(*order)),
        "upcoming": _with_related(
            base.where(Outreach.follow_up_on >= today, Outreach.follow_up_on <= soon).order_by(*order)
        ),
    }


def follow_ups(coalition, *, owner: User | None = None, today: date | None = None, limit=QUEUE_LIMIT) -> dict:
    """{"overdue": [...], "upcoming": [...]} open follow-ups (of `owner`, or the whole coalition), oldest first."""
    today = today or coalition_today(coalition)
    statements = follow_up_statements(coalition, owner=owner, today=today)
    return {
        "today": today,
        "overdue": list(db.session.scalars(statements["overdue"].limit(limit))),
        "upcoming": list(db.session.scalars(statements["upcoming"].limit(limit))),
    }


#: The partial index's own condition, `WHERE is_latest`, as written: SQLAlchemy writes `Outreach.is_latest` as
#: `is_latest = 1` on SQLite, which SQLite does not match with the index's condition, so it read every awaiting
#: entry of the coalition instead (a follow-ups page 4.7× slower at 100,000 stories than at 10,000).
LATEST = text("outreach_entries.is_latest")


def awaiting_statement(coalition, *, user: User | None = None, now: datetime | None = None):
    """select(Outreach): each stakeholder's latest outreach, if still awaiting a response after the waiting time.

    "Latest" is the entry's `is_latest` flag, so only awaiting latest entries past the cutoff are read (one index).
    """
    now = now or utcnow()
    statement = select(Outreach).where(
        Outreach.coalition_id == coalition.id,
        LATEST,
        Outreach.response == Response.AWAITING,
        Outreach.occurred_at < now - timedelta(days=coalition.no_response_days),
    )
    if user is not None:
        statement = statement.where((Outreach.follow_up_owner_id == user.id) | (Outreach.logged_by_id == user.id))
    return _with_related(statement.order_by(Outreach.occurred_at, Outreach.id))


def awaiting_response(coalition, *, user: User | None = None, now: datetime | None = None, limit=QUEUE_LIMIT):
    """Latest outreach of each stakeholder still awaiting a response after the coalition's no-response days."""
    return list(db.session.scalars(awaiting_statement(coalition, user=user, now=now).limit(limit)))


def first_rows(statements: dict, limit: int = SECTION_LIMIT) -> dict:
    """{name: (the first `limit` rows, the size)} of each section: a LIMITed query per section and one query that
    counts them all (from their indexes alone, without the joined rows), whatever their sizes."""
    sizes = db.session.execute(
        select(
            *(
                select(func.count()).select_from(statement.order_by(None).subquery()).scalar_subquery()
                for statement in statements.values()
            )
        )
    ).one()
    return {
        name: (list(db.session.scalars(statement.limit(limit))), size)
        for (name, statement), size in zip(statements.items(), sizes, strict=True)
    }


def follow_up_panel(coalition, user):
    """My overdue and upcoming follow-ups: how many of each, and the first five (one query), for organizers and
    leads."""
    if not can("outreach.log", coalition, user=user):
        return None
    today = coalition_today(coalition)
    first = db.session.execute(
        _panel_statement(),
        {
            "coalition_id": coalition.id,
            "owner_id": user.id,
            "today": today,
            "soon": today + timedelta(days=UPCOMING_DAYS),
        },
    ).all()
    overdue = int(first[0].overdue) if first else 0
    upcoming = first[0].due - overdue if first else 0
    return {"overdue_count": overdue, "upcoming_count": upcoming, "first": first, "today": today}


@cache
def _panel_statement():
    """Built once (every dashboard of the team asks): the first five open follow-ups of :owner_id in :coalition_id
    due by :soon, with their stakeholder's name (columns only); each row also carries how many there are in all
    (`due`) and how many of them are due before :today (`overdue`). The two counts read the follow-ups' index alone:
    only the five rows shown are joined to their stakeholder (a count over the joined rows joined every one)."""

    def mine(rows) -> tuple:
        return (
            rows.coalition_id == bindparam("coalition_id"),
            rows.follow_up_owner_id == bindparam("owner_id"),
            rows.follow_up_done.is_(False),
            rows.follow_up_on.is_not(None),
            rows.follow_up_on <= bindparam("soon"),
        )

    def how_many(overdue: bool = False):
        rows = aliased(Outreach)
        before_today = (rows.follow_up_on < bindparam("today"),) if overdue else ()
        return select(func.count()).select_from(rows).where(*mine(rows), *before_today).scalar_subquery()

    return (
        select(
            Outreach.id,
            Outreach.stakeholder_id,
            Outreach.follow_up_on,
            Stakeholder.name.label("stakeholder_name"),
            how_many().label("due"),
            how_many(overdue=True).label("overdue"),
        )
        .join(Stakeholder, Stakeholder.id == Outreach.stakeholder_id)
        .where(*mine(Outreach))
        .order_by(Outreach.follow_up_on, Outreach.id)
        .limit(5)
    )


# --- Weekly digest --------------------------------------------------------------------------------------------


def _digest_recipients():
    team = active_members(roles=roles_with("outreach.log"))
    rows = db.session.execute(
        team.add_columns(Coalition)
        .join(Coalition, Coalition.id == Membership.coalition_id)
        .order_by(None)
        .order_by(User.id, Coalition.name)
    ).all()
    by_user: dict[int, tuple[User, list[Coalition]]] = {}
    for user, coalition in rows:
        by_user.setdefault(user.id, (user, []))[1].append(coalition)
    return by_user.values()


def send_weekly_digest(now: datetime | None = None) -> int:
    """Queue one digest per organizer or lead with open follow-ups, at most once per ISO week; return how many."""
    now = now or utcnow()
    year, week, _day = now.date().isocalendar()
    queued = 0
    for user, coalitions in _digest_recipients():
        sections = []
        for coalition in coalitions:
            queue = follow_ups(coalition, owner=user, today=coalition_today(coalition, now), limit=50)
            if queue["overdue"] or queue["upcoming"]:
                link = site_link(f"/c/{coalition.slug}/stakeholders/follow-ups")
                sections.append({"coalition": coalition, "queue": queue, "link": link})
        if not sections:
            continue
        message = queue_mail(
            user.email,
            _l("Your follow-ups this week"),
            "stakeholders/digest",
            kind="stakeholder_digest",
            locale=user.locale,
            dedupe_key=f"digest:{user.id}:{year}-W{week}",
            user=user,
            sections=sections,
        )
        queued += message is not None
    return queued
