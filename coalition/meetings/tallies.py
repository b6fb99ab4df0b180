"""Numbers meetings keep up to date in the same transaction as the change (`core.kept`): each meeting's people
checked in (`Meeting.checked_in`); per campaign (`campaigns.tallies`), its meetings not cancelled ("meetings"), the
people checked in at them ("checked_in"), and the people its meetings reached."""

from collections import Counter

from sqlalchemy import bindparam, func, inspect, select, true, update

from coalition.campaigns.tallies import ReachSource, TallySource, counted, person_key
from coalition.core.kept import Keeper, ids_of, register_keeper
from coalition.extensions import db
from coalition.meetings.models import Meeting, MeetingStatus, Rsvp, RsvpResponse, WalkIn

RSVP, WALK_IN, MEETING = "rsvp", "walk_in", "meeting"
#: The campaigns' tallies kept here.
MEETINGS, CHECKED_IN = "meetings", "checked_in"


# --- People checked in per meeting ---------------------------------------------------------------------------


def _touched_check_ins(session) -> set:
    return {(RSVP, i) for i in ids_of(session, Rsvp)} | {(WALK_IN, i) for i in ids_of(session, WalkIn)}


def _check_ins(touched: set) -> Counter:
    """Counter{meeting id: people checked in} of the touched RSVPs (marked attended) and walk-ins."""
    found: Counter = Counter()
    rsvps = sorted(key for kind, key in touched if kind == RSVP)
    walk_ins = sorted(key for kind, key in touched if kind == WALK_IN)
    if rsvps:
        found.update(db.session.scalars(select(Rsvp.meeting_id).where(Rsvp.id.in_(rsvps), Rsvp.attended.is_(True))))
    if walk_ins:
        found.update(db.session.scalars(select(WalkIn.meeting_id).where(WalkIn.id.in_(walk_ins))))
    return found


def _add_check_ins(session, delta: dict) -> None:
    statement = (
        update(Meeting.__table__)
        .where(Meeting.__table__.c.id == bindparam("meeting"))
        .values(checked_in=Meeting.__table__.c.checked_in + bindparam("change"))
    )
    changes = [{"meeting": meeting_id, "change": change} for meeting_id, change in sorted(delta.items())]
    session.connection().execute(statement, changes)
    for meeting_id in delta:  # a meeting already loaded reads the new number on next access
        meeting = session.identity_map.get(inspect(Meeting).identity_key_from_primary_key((meeting_id,)))
        if meeting is not None:
            session.expire(meeting, ["checked_in"])


def rebuild_check_ins(coalition_id: int) -> None:
    """Count the people checked in at every meeting of a coalition from scratch."""
    marked = select(func.count()).where(Rsvp.meeting_id == Meeting.id, Rsvp.attended.is_(True)).scalar_subquery()
    walk_ins = select(func.count()).where(WalkIn.meeting_id == Meeting.id).scalar_subquery()
    db.session.execute(
        update(Meeting).where(Meeting.coalition_id == coalition_id).values(checked_in=marked + walk_ins),
        execution_options={"synchronize_session": False},
    )


# --- Per campaign: meetings, people checked in, people reached ---------------------------------------------------


def _meetings_changed(session) -> set:
    """Meetings added or deleted, and those whose rows all count differently now (cancelled, moved campaign)."""
    touched = {(MEETING, m.id) for m in (*session.new, *session.deleted) if isinstance(m, Meeting) and m.id}
    for meeting in session.dirty:
        if isinstance(meeting, Meeting) and meeting.id is not None:
            state = inspect(meeting)
            if state.attrs.status.history.has_changes() or state.attrs.campaign_id.history.has_changes():
                touched.add((MEETING, meeting.id))
    return touched


def _reach_changes(session) -> set:
    return {(RSVP, i) for i in ids_of(session, Rsvp)} | _meetings_changed(session)


def _tally_changes(session) -> set:
    return _touched_check_ins(session) | _meetings_changed(session)


def _of(touched, kind) -> list[int]:
    return sorted(key for touched_kind, key in touched if touched_kind == kind)


def _counted_meetings():
    return Meeting.campaign_id.is_not(None), Meeting.status != MeetingStatus.CANCELLED


def tally_contributions(touched=None, coalition_id=None) -> Counter:
    """Counter{(coalition, campaign, kind, ""): n}: the campaigns' meetings not cancelled, and the people checked in
    at them (RSVPs marked attended, walk-ins), for what was touched (or for a whole coalition)."""
    meetings = _of(touched, MEETING) if touched is not None else []
    parts = [
        (MEETINGS, select(Meeting.coalition_id, Meeting.campaign_id), None, None),
        (CHECKED_IN, select(Meeting.coalition_id, Meeting.campaign_id).join(Rsvp), Rsvp, Rsvp.attended.is_(True)),
        (CHECKED_IN, select(Meeting.coalition_id, Meeting.campaign_id).join(WalkIn), WalkIn, true()),
    ]
    found: Counter = Counter()
    for tally, statement, model, condition in parts:
        statement = statement.where(Meeting.campaign_id.is_not(None), Meeting.status != MeetingStatus.CANCELLED)
        if model is not None:
            statement = statement.where(condition)
        if touched is not None:
            rows = _of(touched, RSVP if model is Rsvp else WALK_IN) if model is not None else []
            if not rows and not meetings:
                continue
            statement = statement.where(
                Meeting.id.in_(meetings) if model is None else model.id.in_(rows) | model.meeting_id.in_(meetings)
            )
        if coalition_id is not None:
            statement = statement.where(Meeting.coalition_id == coalition_id)
        for (coalition, campaign), n in counted(db.session.execute(statement)).items():
            found[(coalition, campaign, tally, "")] += n
    return found


#: What meetings add to the campaigns' tallies.
TALLIES = TallySource((MEETINGS, CHECKED_IN), _tally_changes, tally_contributions)


def reach_contributions(touched=None, coalition_id=None) -> Counter:
    """Counter{(coalition, campaign, person): RSVPs}: people who answered yes or maybe, or were checked in, at a
    campaign's meetings not cancelled; members by account, visitors by email (walk-ins give only a name)."""
    statement = (
        select(Rsvp.coalition_id, Meeting.campaign_id, person_key(Rsvp.user_id, Rsvp.visitor_email))
        .join(Meeting, Meeting.id == Rsvp.meeting_id)
        .where(
            Meeting.campaign_id.is_not(None),
            Meeting.status != MeetingStatus.CANCELLED,
            Rsvp.response.in_([RsvpResponse.YES, RsvpResponse.MAYBE]) | Rsvp.attended.is_(True),
        )
    )
    if touched is not None:
        statement = statement.where(Rsvp.id.in_(_of(touched, RSVP)) | Rsvp.meeting_id.in_(_of(touched, MEETING)))
    if coalition_id is not None:
        statement = statement.where(Rsvp.coalition_id == coalition_id)
    return counted(db.session.execute(statement))


#: What meetings add to the people a campaign reached.
REACH = ReachSource(_reach_changes, reach_contributions)


def keep_check_ins() -> None:
    """Keep `Meeting.checked_in` up to date on every flush (from the meetings' register())."""
    register_keeper("meeting_check_ins", Keeper(_touched_check_ins, _check_ins, _add_check_ins, rebuild_check_ins))
