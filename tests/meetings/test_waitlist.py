"""The waitlist: a party that can never fit is refused, a freed place goes to the first waiting answer that fits,
and a newcomer never takes a place while someone who fits is waiting (issue 12, item 1)."""

import re

import pytest
from sqlalchemy import select, update

from coalition.extensions import db
from coalition.meetings import rsvps
from coalition.meetings.errors import MeetingError
from coalition.meetings.models import Meeting, Rsvp
from tests.conftest import run_in_threads
from tests.meetings.conftest import url


def _rsvp_of(meeting, user):
    db.session.expire_all()
    return db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id))


def _seats(meeting):
    db.session.expire_all()
    return db.session.get(Meeting, meeting.id).seats_taken


def _answer(meeting, person, response, **needs):
    rsvp = rsvps.rsvp_member(meeting, person, response, **needs)
    db.session.commit()
    return rsvp


def test_party_larger_than_the_meeting_is_refused_at_the_guests_field(coalition, member, make_meeting):
    meeting = make_meeting(capacity=2)
    with pytest.raises(MeetingError) as refused:
        rsvps.rsvp_member(meeting, member, "yes", guests=3)
    assert refused.value.field == "guests"
    assert str(refused.value) == "This meeting has room for 2 people in all: you can bring at most 1 guest."
    db.session.rollback()
    assert _rsvp_of(meeting, member) is None or not _rsvp_of(meeting, member).waitlisted


def test_visitor_party_larger_than_the_meeting_is_refused_next_to_guests(client, make_meeting):
    meeting = make_meeting(visibility="public", capacity=2)
    public = url(meeting).replace("/meetings/", "/meetings/public/")
    data = {"name": "Dana", "email": "dana@example.org", "response": "yes", "guests": "3"}
    page = client.post(public, data=data).get_data(as_text=True)
    error = re.search(r'<p class="error" id="guests-error">([^<]*)</p>', page)
    assert error is not None and "at most 1 guest." in error.group(1)
    assert db.session.scalar(select(Rsvp)) is None


def test_a_place_freed_by_a_no_goes_to_the_waiting_answer_behind_a_refused_large_party(
    coalition, make_member, make_meeting, outbox
):
    meeting = make_meeting(capacity=2)
    first, second, third, fourth = (make_member(coalition, "member") for _ in range(4))
    _answer(meeting, first, "yes")
    _answer(meeting, second, "yes")
    with pytest.raises(MeetingError):
        rsvps.rsvp_member(meeting, third, "yes", guests=3)
    db.session.rollback()
    assert _answer(meeting, fourth, "yes").waitlisted

    _answer(meeting, second, "no")

    assert _rsvp_of(meeting, fourth).is_going
    assert _seats(meeting) == 2
    assert len(outbox(to=fourth.email, kind="meeting_promoted")) == 1


def test_freed_place_goes_to_the_first_waiting_answer_that_fits(coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=3)
    holders = [make_member(coalition, "member") for _ in range(3)]
    for person in holders:
        _answer(meeting, person, "yes")
    family, single = make_member(coalition, "member"), make_member(coalition, "member")
    assert _answer(meeting, family, "yes", guests=2).waitlisted
    assert _answer(meeting, single, "yes").waitlisted

    _answer(meeting, holders[0], "no")
    assert _rsvp_of(meeting, single).is_going
    assert _rsvp_of(meeting, family).waitlisted

    _answer(meeting, holders[1], "no")
    _answer(meeting, holders[2], "maybe")
    _answer(meeting, single, "no")
    assert _rsvp_of(meeting, family).is_going and _rsvp_of(meeting, family).seats_held == 3
    assert _seats(meeting) == 3


def test_newcomer_waits_while_the_freed_place_fits_someone_waiting(coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=3)
    holders = [make_member(coalition, "member") for _ in range(3)]
    for person in holders:
        _answer(meeting, person, "yes")
    family, single, newcomer = (make_member(coalition, "member") for _ in range(3))
    _answer(meeting, family, "yes", guests=2)
    _answer(meeting, single, "yes")

    _answer(meeting, holders[1], "no")

    assert _answer(meeting, newcomer, "yes").waitlisted
    assert _rsvp_of(meeting, single).is_going
    assert _seats(meeting) == 3


def test_newcomer_is_waitlisted_and_the_waiting_answer_promoted_when_a_place_was_left_free(
    coalition, make_member, make_meeting, outbox
):
    meeting = make_meeting(capacity=2)
    holder, waiting, newcomer = (make_member(coalition, "member") for _ in range(3))
    _answer(meeting, holder, "yes")
    _answer(meeting, make_member(coalition, "member"), "yes")
    _answer(meeting, waiting, "yes")
    # A place left free with someone waiting who fits (as older versions left it): the newcomer must not take it.
    db.session.execute(update(Meeting).where(Meeting.id == meeting.id).values(seats_taken=1))
    db.session.execute(update(Rsvp).where(Rsvp.user_id == holder.id).values(seats_held=0, response="no"))
    db.session.commit()

    assert _answer(meeting, newcomer, "yes").waitlisted
    assert _rsvp_of(meeting, waiting).is_going
    assert len(outbox(to=waiting.email, kind="meeting_promoted")) == 1
    assert _seats(meeting) == 2


def test_waiting_answer_that_brings_fewer_guests_gets_the_place_it_now_fits(coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=3)
    _answer(meeting, make_member(coalition, "member"), "yes")
    _answer(meeting, make_member(coalition, "member"), "yes")
    family = make_member(coalition, "member")
    assert _answer(meeting, family, "yes", guests=2).waitlisted

    rsvp = _answer(meeting, family, "yes", guests=0)

    assert rsvp.is_going and rsvp.seats_held == 1
    assert _seats(meeting) == 3


def test_a_release_and_a_newcomer_at_once_give_the_place_to_the_one_waiting(app, coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=1)
    holder, waiting, newcomer = (make_member(coalition, "member") for _ in range(3))
    _answer(meeting, holder, "yes")
    _answer(meeting, waiting, "yes")
    meeting_id, answers = meeting.id, [(holder.id, "no"), (newcomer.id, "yes")]

    def answer(index):
        from coalition.accounts.models import User

        user_id, response = answers[index]
        with app.app_context():
            rsvps.rsvp_member(db.session.get(Meeting, meeting_id), db.session.get(User, user_id), response)
            db.session.commit()
            db.session.remove()

    results = run_in_threads(answer, 2)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert _rsvp_of(meeting, waiting).is_going
    assert _rsvp_of(meeting, newcomer).waitlisted
    assert _seats(meeting) == 1
