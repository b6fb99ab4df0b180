"""RSVPs: one click for members, capacity, the waitlist and its promotion, concurrency."""

from sqlalchemy import select

from coalition.extensions import db
from coalition.meetings import rsvps
from coalition.meetings.models import Meeting, Rsvp, RsvpResponse
from tests.conftest import run_in_threads
from tests.meetings.conftest import url


def _rsvp_of(meeting, user):
    db.session.expire_all()
    return db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id))


def _seats(meeting):
    db.session.expire_all()
    return db.session.get(Meeting, meeting.id).seats_taken


def test_small_gathering_of_three_waitlists_the_fourth_and_promotes_them_with_a_mail(
    app, coalition, make_member, make_meeting, outbox
):
    meeting = make_meeting(kind="small_gathering", capacity=3)
    people = [make_member(coalition, "member") for _ in range(4)]
    for person in people:
        client = app.test_client()
        client.post("/account/login", data={"email": person.email, "password": "correct horse battery staple"})
        assert client.post(url(meeting, "/rsvp"), data={"response": "yes"}).status_code == 302
    assert [_rsvp_of(meeting, p).is_going for p in people] == [True, True, True, False]
    assert _rsvp_of(meeting, people[3]).waitlisted
    assert _seats(meeting) == 3

    canceller = app.test_client()
    canceller.post("/account/login", data={"email": people[1].email, "password": "correct horse battery staple"})
    canceller.post(url(meeting, "/rsvp"), data={"response": "no"})

    fourth = _rsvp_of(meeting, people[3])
    assert fourth.is_going and not fourth.waitlisted
    assert _seats(meeting) == 3
    mails = outbox(to=people[3].email, kind="meeting_promoted")
    assert len(mails) == 1
    assert "A place opened up" in mails[0].subject
    assert mails[0].attachments[0]["filename"] == "meeting.ics"


def test_two_simultaneous_rsvps_for_the_last_place_never_overfill(app, coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=3)
    for _ in range(2):
        rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    db.session.commit()
    racers = [make_member(coalition, "member").id for _ in range(2)]
    meeting_id = meeting.id

    def answer(index):
        from coalition.accounts.models import User

        with app.app_context():
            session = db.session
            rsvps.rsvp_member(session.get(Meeting, meeting_id), session.get(User, racers[index]), "yes")
            session.commit()
            session.remove()

    results = run_in_threads(answer, 2)
    assert [r for r in results if isinstance(r, Exception)] == []
    going = db.session.scalars(select(Rsvp).where(Rsvp.meeting_id == meeting_id, Rsvp.waitlisted.is_(False))).all()
    assert sum(r.seats_held for r in going) == 3
    assert _seats(meeting) == 3
    waitlisted = db.session.scalars(select(Rsvp).where(Rsvp.meeting_id == meeting_id, Rsvp.waitlisted.is_(True))).all()
    assert len(waitlisted) == 1


def test_many_simultaneous_rsvps_fill_exactly_to_capacity(app, coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=3)
    racers = [make_member(coalition, "member").id for _ in range(6)]
    meeting_id = meeting.id

    def answer(index):
        from coalition.accounts.models import User

        with app.app_context():
            rsvps.rsvp_member(db.session.get(Meeting, meeting_id), db.session.get(User, racers[index]), "yes")
            db.session.commit()
            db.session.remove()

    results = run_in_threads(answer, 6)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert _seats(meeting) == 3
    answers = db.session.scalars(select(Rsvp).where(Rsvp.meeting_id == meeting_id)).all()
    assert sum(1 for r in answers if r.is_going) == 3
    assert sum(1 for r in answers if r.waitlisted) == 3


def test_guests_count_toward_capacity(coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=3)
    first = rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes", guests=2)
    second = rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    db.session.commit()
    assert first.is_going and first.seats_held == 3
    assert second.waitlisted


def test_adding_guests_beyond_the_places_left_is_refused_and_keeps_the_place(
    client, login, coalition, member, make_member, make_meeting
):
    meeting = make_meeting(capacity=3)
    rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    db.session.commit()
    login(client, member)
    client.post(url(meeting, "/rsvp"), data={"response": "yes"})
    response = client.post(url(meeting, "/rsvp"), data={"response": "yes", "guests": "2"}, follow_redirects=True)
    assert "There are not enough places left for that many guests." in response.get_data(as_text=True)
    rsvp = _rsvp_of(meeting, member)
    assert rsvp.is_going and rsvp.guests == 0
    assert _seats(meeting) == 2


def test_waitlist_promotes_oldest_first(coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=1)
    holder = make_member(coalition, "member")
    rsvps.rsvp_member(meeting, holder, "yes")
    first, second = make_member(coalition, "member"), make_member(coalition, "member")
    rsvps.rsvp_member(meeting, first, "yes")
    rsvps.rsvp_member(meeting, second, "yes")
    db.session.commit()
    rsvps.rsvp_member(meeting, holder, "no")
    db.session.commit()
    assert _rsvp_of(meeting, first).is_going
    assert _rsvp_of(meeting, second).waitlisted


def test_raising_capacity_promotes_the_waitlist(client, login, coalition, organizer, make_member, make_meeting):
    from datetime import UTC, datetime

    from tests.meetings.conftest import form_data

    meeting = make_meeting(capacity=1, start=datetime(2030, 6, 1, 18, 0, tzinfo=UTC))
    rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    waiting = make_member(coalition, "member")
    rsvps.rsvp_member(meeting, waiting, "yes")
    db.session.commit()
    login(client, organizer)
    data = form_data(
        datetime(2030, 6, 1, 18, 0), datetime(2030, 6, 1, 19, 0), tz_name="UTC", capacity="2", title=meeting.title
    )
    client.post(url(meeting, "/edit"), data=data)
    assert _rsvp_of(meeting, waiting).is_going


def test_member_answers_in_one_click_with_needs(client, login, member, make_meeting):
    meeting = make_meeting()
    login(client, member)
    data = {
        "response": "yes",
        "guests": "1",
        "interpretation_language": "Spanish",
        "children": "2",
        "access_needs": "Wheelchair",
        "dietary": "Vegetarian",
    }
    response = client.post(url(meeting, "/rsvp"), data=data, follow_redirects=True)
    assert "See you there!" in response.get_data(as_text=True)
    rsvp = _rsvp_of(meeting, member)
    assert (rsvp.response, rsvp.guests, rsvp.interpretation_language, rsvp.children) == (
        RsvpResponse.YES,
        1,
        "Spanish",
        2,
    )
    assert (rsvp.access_needs, rsvp.dietary) == ("Wheelchair", "Vegetarian")


def test_interpretation_language_not_offered_is_refused(client, login, member, make_meeting):
    meeting = make_meeting(interpretation="Spanish")
    login(client, member)
    client.post(url(meeting, "/rsvp"), data={"response": "yes", "interpretation_language": "Klingon"})
    assert _rsvp_of(meeting, member) is None


def test_bad_answer_changes_nothing(client, login, member, make_meeting):
    meeting = make_meeting()
    login(client, member)
    response = client.post(url(meeting, "/rsvp"), data={"response": "perhaps"}, follow_redirects=True)
    assert "Please answer yes, maybe or no." in response.get_data(as_text=True)
    assert _rsvp_of(meeting, member) is None


def test_confirmation_mail_carries_the_ics(client, login, member, make_meeting, outbox):
    meeting = make_meeting()
    login(client, member)
    client.post(url(meeting, "/rsvp"), data={"response": "yes"})
    mails = outbox(to=member.email, kind="meeting_rsvp")
    assert len(mails) == 1
    attachment = mails[0].attachments[0]
    assert attachment["filename"] == "meeting.ics"
    assert attachment["content_type"] == "text/calendar; method=REQUEST"


def test_changing_only_needs_sends_no_second_confirmation(client, login, member, make_meeting, outbox):
    meeting = make_meeting()
    login(client, member)
    client.post(url(meeting, "/rsvp"), data={"response": "yes"})
    client.post(url(meeting, "/rsvp"), data={"response": "yes", "dietary": "Vegan"})
    assert len(outbox(to=member.email, kind="meeting_rsvp")) == 1


def test_cannot_rsvp_to_a_cancelled_meeting(client, login, organizer, member, make_meeting):
    from coalition.meetings import services

    meeting = make_meeting()
    services.cancel_meeting(meeting, organizer)
    db.session.commit()
    login(client, member)
    assert client.post(url(meeting, "/rsvp"), data={"response": "yes"}).status_code == 403
    assert _rsvp_of(meeting, member) is None


def test_cannot_rsvp_to_a_past_meeting(client, login, member, make_meeting):
    from datetime import timedelta

    from coalition.core.models import utcnow

    meeting = make_meeting(start=utcnow() - timedelta(days=2))
    login(client, member)
    assert client.post(url(meeting, "/rsvp"), data={"response": "yes"}).status_code == 403
