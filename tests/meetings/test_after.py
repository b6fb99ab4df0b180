"""After the meeting: check-in with walk-ins, minutes, decisions, action items and feedback."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings import after, rsvps
from coalition.meetings.models import ActionItem, Decision, Feedback, FeedbackGiven, Rsvp, WalkIn
from tests.meetings.conftest import url


@pytest.fixture
def past_meeting(make_meeting):
    return make_meeting(start=(utcnow() - timedelta(days=2)).replace(second=0, microsecond=0))


def _attend(meeting, user):
    rsvp = Rsvp(coalition_id=meeting.coalition_id, meeting_id=meeting.id, user_id=user.id, seats_held=0)
    db.session.add(rsvp)
    rsvps._apply(meeting, rsvp, "yes", {})
    db.session.commit()
    return rsvp


def test_organizer_checks_people_in_and_adds_a_walk_in(client, login, organizer, member, past_meeting):
    rsvp = _attend(past_meeting, member)
    login(client, organizer)
    client.post(url(past_meeting, f"/checkin/{rsvp.id}/in"))
    client.post(url(past_meeting, "/checkin"), data={"name": "Mr. Nguyen"})
    db.session.expire_all()
    assert db.session.get(Rsvp, rsvp.id).attended
    assert db.session.scalar(select(WalkIn.name)) == "Mr. Nguyen"
    page = client.get(url(past_meeting, "/checkin")).get_data(as_text=True)
    assert "2 people checked in" in page


def test_walk_in_without_a_name_is_refused(client, login, organizer, past_meeting):
    login(client, organizer)
    response = client.post(url(past_meeting, "/checkin"), data={"name": " "})
    assert "Please enter a name." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(WalkIn)) == 0


def test_minutes_and_decisions_show_on_the_meeting_page(client, login, organizer, member, past_meeting):
    login(client, organizer)
    client.post(url(past_meeting, "/record"), data={"minutes": "We agreed on **a plan**.<script>x</script>"})
    client.post(url(past_meeting, "/decisions"), data={"text": "Bring 30 tenants to the hearing."})
    client.get("/account/logout")
    login(client, member)
    page = client.get(url(past_meeting)).get_data(as_text=True)
    assert "<strong>a plan</strong>" in page
    assert "<script>x</script>" not in page
    assert "Bring 30 tenants to the hearing." in page


def test_action_item_shows_on_owners_dashboard_and_owner_marks_it_done(
    client, login, coalition, organizer, member, past_meeting
):
    login(client, organizer)
    data = {"title": "Call the landlord", "owner_id": str(member.id), "due_on": "2030-05-01", "status": "open"}
    client.post(url(past_meeting, "/actions"), data=data)
    item = db.session.scalar(select(ActionItem))
    assert (item.owner_id, item.due_on) == (member.id, date(2030, 5, 1))
    client.post("/account/logout")
    login(client, member)
    dashboard = client.get(f"/c/{coalition.slug}/").get_data(as_text=True)
    assert "Call the landlord" in dashboard
    client.post(f"/c/{coalition.slug}/meetings/actions/{item.id}/done", data={"next": "dashboard"})
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).is_done
    assert "Call the landlord" not in client.get(f"/c/{coalition.slug}/").get_data(as_text=True)


def test_owner_edits_their_action_item_but_cannot_reassign_it(
    client, login, coalition, member, make_member, past_meeting
):
    other = make_member(coalition, "member")
    item = after.save_action_item(
        past_meeting, None, member, title="Flyers", owner_id=member.id, due_on=None, status="open"
    )
    db.session.commit()
    login(client, member)
    edit = f"/c/{coalition.slug}/meetings/actions/{item.id}/edit"
    assert client.get(edit).status_code == 200
    client.post(edit, data={"title": "Flyers in Spanish", "owner_id": str(other.id), "status": "open"})
    db.session.expire_all()
    item = db.session.get(ActionItem, item.id)
    assert item.title == "Flyers"  # the invalid owner choice refused the whole form
    client.post(edit, data={"title": "Flyers in Spanish", "owner_id": str(member.id), "status": "done"})
    db.session.expire_all()
    item = db.session.get(ActionItem, item.id)
    assert (item.title, item.is_done, item.owner_id) == ("Flyers in Spanish", True, member.id)


@pytest.mark.parametrize("role,expected", [("member", 403), ("organizer", 200), ("lead", 200)])
def test_who_else_may_edit_an_action_item(client, login, coalition, member, make_member, past_meeting, role, expected):
    item = after.save_action_item(
        past_meeting, None, member, title="Flyers", owner_id=member.id, due_on=None, status="open"
    )
    db.session.commit()
    login(client, make_member(coalition, role))
    assert client.get(f"/c/{coalition.slug}/meetings/actions/{item.id}/edit").status_code == expected
    if expected == 403:
        client.post(f"/c/{coalition.slug}/meetings/actions/{item.id}/done")
        db.session.expire_all()
        assert not db.session.get(ActionItem, item.id).is_done


def test_action_item_owner_must_be_a_member(client, login, organizer, make_user, past_meeting):
    stranger = make_user()
    login(client, organizer)
    client.post(url(past_meeting, "/actions"), data={"title": "X", "owner_id": str(stranger.id), "status": "open"})
    assert db.session.scalar(select(func.count()).select_from(ActionItem)) == 0


def test_attendee_gives_feedback_once(client, login, member, past_meeting):
    _attend(past_meeting, member)
    login(client, member)
    data = {"rating": "4", "worked": "Good food", "change": "Start on time"}
    assert client.post(url(past_meeting, "/feedback"), data=data).status_code == 302
    client.post(url(past_meeting, "/feedback"), data=dict(data, rating="1"))
    feedback = db.session.scalars(select(Feedback)).all()
    assert [(f.rating, f.user_id) for f in feedback] == [(4, member.id)]


def test_anonymous_feedback_stores_no_link_to_the_person(client, login, member, past_meeting):
    _attend(past_meeting, member)
    login(client, member)
    client.post(url(past_meeting, "/feedback"), data={"rating": "2", "change": "Too long", "anonymous": "y"})
    feedback = db.session.scalar(select(Feedback))
    assert feedback.user_id is None and feedback.is_anonymous
    assert db.session.scalar(select(FeedbackGiven.user_id)) == member.id
    assert client.post(url(past_meeting, "/feedback"), data={"rating": "5"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 1


def test_feedback_needs_a_rating(client, login, member, past_meeting):
    _attend(past_meeting, member)
    login(client, member)
    response = client.post(url(past_meeting, "/feedback"), data={"worked": "ok"})
    assert "Please choose a rating from 1 to 5." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(FeedbackGiven)) == 0


def test_only_attendees_give_feedback_and_only_after_the_start(
    client, login, coalition, member, make_member, make_meeting, past_meeting
):
    login(client, make_member(coalition, "member"))
    assert client.get(url(past_meeting, "/feedback")).status_code == 403  # did not come
    upcoming = make_meeting()
    rsvps.rsvp_member(upcoming, member, "yes")
    db.session.commit()
    client.post("/account/logout")
    login(client, member)
    assert client.get(url(upcoming, "/feedback")).status_code == 403


def test_organizers_see_feedback_together(client, login, coalition, organizer, make_member, past_meeting):
    for rating, anonymous in [(5, False), (3, True), (4, False)]:
        person = make_member(coalition, "member", name=f"Rater {rating}")
        after.give_feedback(
            past_meeting, person, rating=rating, worked=f"worked {rating}", change="", anonymous=anonymous
        )
    db.session.commit()
    login(client, organizer)
    page = client.get(url(past_meeting, "/feedback/results")).get_data(as_text=True)
    assert "4.0" in page
    assert "Rater 5" in page and "Rater 4" in page
    assert "Rater 3" not in page and "Anonymous" in page


def test_decision_of_another_meeting_is_404(client, login, organizer, make_meeting, past_meeting):
    other = make_meeting()
    decision = after.add_decision(other, "Elsewhere")
    db.session.commit()
    login(client, organizer)
    assert client.post(url(past_meeting, f"/decisions/{decision.id}/delete")).status_code == 404
    assert db.session.get(Decision, decision.id) is not None
