"""The load test's scenario on the benchmark coalition (bench/loadtest.py): who plays, which meetings fill up.

Made in-process through the services, as the app would: meetings with a capacity, starting within the coalition's
reminder time and nearly full (so answers from several servers race for the last places and the waitlist), two
meetings starting soon that many people said yes to (so both reminder workers race to queue the same reminders),
and the confirmations of all those answers waiting in the outbox (so both outbox workers race to send them).
The figures read at the end (`read_meetings`, `read_outbox`) come from the same database.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, text

from bench.seed import BENCH_SLUG, bench_pages
from coalition.accounts.models import User
from coalition.campaigns.models import Campaign, CampaignStatus
from coalition.coalitions.models import Coalition, Membership, MembershipStatus
from coalition.core.models import utcnow
from coalition.core.permissions import Role
from coalition.extensions import db
from coalition.meetings import rsvps
from coalition.meetings.models import Meeting, MeetingStatus, MeetingVisibility, Rsvp, RsvpResponse
from coalition.stakeholders.models import Stakeholder

#: Places of the nearly full meetings; each is filled up to one free place before the run.
CAPACITIES = (6, 8, 10, 12)
#: Yes answers given before the run to each of the two meetings starting soon.
SOON_YES = 20


@dataclass
class Scenario:
    """Everything the traffic needs to know, as plain values (the traffic threads never touch the database)."""

    slug: str
    members: list[str]
    organizers: list[str]
    #: The account whose wrong passwords test the shared log-in limit (nobody else uses it).
    limit_account: str
    capacity_meetings: list[int]
    soon_meetings: list[int]
    public_campaigns: list[str]
    stakeholders: list[int]
    pages: dict[str, list[str]] = field(default_factory=dict)

    @property
    def rsvp_meetings(self) -> list[int]:
        """The meetings members answer during the run (mostly the nearly full ones)."""
        return self.capacity_meetings * 3 + self.soon_meetings


def prepare_scenario(tag: str, *, members: int, organizers: int, seed: int = 13) -> Scenario:
    """Create this run's meetings and answers (tagged `tag` in their titles) and pick the accounts; commit."""
    rng = random.Random(seed)
    coalition = db.session.scalar(select(Coalition).where(Coalition.slug == BENCH_SLUG))
    people = _emails(coalition, Role.MEMBER)
    team = _emails(coalition, Role.ORGANIZER)
    if len(people) < members + 2 or len(team) < organizers:
        raise RuntimeError(f"the benchmark coalition has too few members ({len(people)}) or organizers ({len(team)})")
    playing, limit_account, others = people[:members], people[-1], people[members:-1]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(others)))}
    start = utcnow().replace(second=0, microsecond=0)
    capacity = [
        _meeting(coalition, f"Nearly full {places} ({tag})", start + timedelta(hours=6, minutes=10 * i), places)
        for i, places in enumerate(CAPACITIES)
    ]
    soon = [_meeting(coalition, f"Starting soon {i} ({tag})", start + timedelta(hours=3), None) for i in (1, 2)]
    db.session.flush()
    for meeting in capacity:
        for email in rng.sample(others, min(meeting.capacity - 1, len(others))):
            rsvps.rsvp_member(meeting, users[email], "yes")
    for meeting in soon:
        for email in rng.sample(others, min(SOON_YES, len(others))):
            rsvps.rsvp_member(meeting, users[email], "yes")
    db.session.commit()
    return Scenario(
        slug=coalition.slug,
        members=playing,
        organizers=team[:organizers],
        limit_account=limit_account,
        capacity_meetings=[m.id for m in capacity],
        soon_meetings=[m.id for m in soon],
        public_campaigns=_public_campaigns(coalition),
        stakeholders=list(
            db.session.scalars(
                select(Stakeholder.id)
                .where(Stakeholder.coalition_id == coalition.id)
                .order_by(Stakeholder.id)
                .limit(50)
            )
        ),
        pages=_pages(),
    )


def _emails(coalition: Coalition, role: Role) -> list[str]:
    return list(
        db.session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.coalition_id == coalition.id,
                Membership.role == role,
                Membership.status == MembershipStatus.ACTIVE,
                User.notify_meetings.is_(True),
            )
            .order_by(User.id)
        )
    )


def _meeting(coalition: Coalition, title: str, start: datetime, capacity: int | None) -> Meeting:
    meeting = Meeting(
        coalition_id=coalition.id,
        kind="community_meeting",
        title=title,
        description="A meeting of the load test.",
        start_at=start,
        end_at=start + timedelta(hours=1),
        timezone=coalition.timezone,
        venue="Load test hall",
        address="1 Test Street",
        capacity=capacity,
        seats_taken=0,
        visibility=MeetingVisibility.MEMBERS,
        status=MeetingStatus.SCHEDULED,
    )
    db.session.add(meeting)
    return meeting


def _public_campaigns(coalition: Coalition) -> list[str]:
    return list(
        db.session.scalars(
            select(Campaign.slug)
            .where(
                Campaign.coalition_id == coalition.id,
                Campaign.public_page.is_(True),
                Campaign.status == CampaignStatus.ACTIVE,
            )
            .order_by(Campaign.id)
        )
    )


def _pages() -> dict[str, list[str]]:
    """The benchmark's pages by role (the lead's left out: nobody plays the lead here)."""
    pages: dict[str, list[str]] = {}
    for page in bench_pages():
        pages.setdefault(page.role, []).append(page.url)
    return pages


# --- What the run left in the database ----------------------------------------------------------------------


def read_meetings() -> list[dict]:
    """Every scheduled meeting with a capacity in the benchmark coalition, with its places counted from its RSVPs."""
    coalition_id = db.session.scalar(select(Coalition.id).where(Coalition.slug == BENCH_SLUG))
    going = (Rsvp.response == RsvpResponse.YES) & Rsvp.waitlisted.is_(False)
    statement = (
        select(
            Meeting.id,
            Meeting.capacity,
            Meeting.seats_taken,
            func.coalesce(func.sum(case((going, 1 + Rsvp.guests))), 0).label("yes_places"),
            func.coalesce(func.sum(Rsvp.seats_held), 0).label("seats_held"),
            func.min(case((Rsvp.waitlisted.is_(True), 1 + Rsvp.guests))).label("smallest_waiting"),
            func.count(case((Rsvp.waitlisted.is_(True), Rsvp.id))).label("waiting"),
        )
        .outerjoin(Rsvp, Rsvp.meeting_id == Meeting.id)
        .where(
            Meeting.coalition_id == coalition_id,
            Meeting.capacity.is_not(None),
            Meeting.status == MeetingStatus.SCHEDULED,
        )
        .group_by(Meeting.id)
        .order_by(Meeting.id)
    )
    return [dict(row) for row in db.session.execute(statement).mappings()]


def read_outbox(since: datetime) -> list[dict]:
    """The outbox rows queued or sent since `since`: message id, recipient, dedupe key, kind, status."""
    rows = db.session.execute(
        text(
            "SELECT message_id, to_address, dedupe_key, kind, status FROM outbox_messages "
            "WHERE created_at >= :since OR sent_at >= :since ORDER BY id"
        ),
        {"since": since},
    ).mappings()
    return [dict(row) for row in rows]


def outbox_waiting(since: datetime) -> int:
    """Rows queued since `since` that no worker has finished with yet (pending or being sent)."""
    return db.session.scalar(
        text("SELECT count(*) FROM outbox_messages WHERE created_at >= :since AND status IN ('pending', 'sending')"),
        {"since": since},
    )


def count_rows(model, since: datetime) -> int:
    """Rows of `model` created since `since` (stories shared, outreach logged)."""
    return db.session.scalar(select(func.count()).select_from(model).where(model.created_at >= since))
