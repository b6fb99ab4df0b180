"""Failed forms on the meeting pages (RSVP, agenda, decisions, action items) are shown again with each message at
its field, never as a banner after a redirect."""

from sqlalchemy import select

from coalition.extensions import db
from coalition.meetings import rsvps
from coalition.meetings.models import Rsvp
from tests.meetings.conftest import url


def _rsvp_of(meeting, user):
    db.session.expire_all()
    return db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id))


def test_too_many_guests_is_shown_at_the_guests_field_not_as_a_banner(client, login, member, make_meeting):
    meeting = make_meeting()
    login(client, member)
    response = client.post(url(meeting, "/rsvp"), data={"response": "yes", "guests": "25"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error" id="guests-error">Between 0 and 20 guests.</p>' in html
    assert '<details class="rsvp-needs" open>' in html  # the field is not hidden in a closed <details>
    assert '<a href="#guests">Between 0 and 20 guests.</a>' in html
    assert "flash-error" not in html
    assert _rsvp_of(meeting, member) is None


def test_guests_beyond_the_places_left_are_shown_at_the_guests_field(
    client, login, coalition, member, make_member, make_meeting
):
    meeting = make_meeting(capacity=3)
    rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    db.session.commit()
    login(client, member)
    client.post(url(meeting, "/rsvp"), data={"response": "yes"})
    # A party of three fits the meeting, but only two places are left with this person's own.
    html = client.post(url(meeting, "/rsvp"), data={"response": "yes", "guests": "2"}).get_data(as_text=True)
    assert '<p class="error" id="guests-error">There are not enough places left for that many guests.</p>' in html
    assert _rsvp_of(meeting, member).guests == 0


def test_missing_answer_is_shown_at_the_answer_buttons(client, login, member, make_meeting):
    meeting = make_meeting()
    login(client, member)
    html = client.post(url(meeting, "/rsvp"), data={"response": "perhaps"}).get_data(as_text=True)
    assert '<p class="error" id="response-error">Please answer yes, maybe or no.</p>' in html
    assert '<a href="#response">Please answer yes, maybe or no.</a>' in html
    assert 'id="response" class="button' in html


def test_visitor_rsvp_errors_are_shown_at_their_fields(client, make_meeting):
    meeting = make_meeting(visibility="public")
    html = client.post(
        f"/c/{meeting.coalition.slug}/meetings/public/{meeting.id}", data={"response": "yes", "guests": "21"}
    ).get_data(as_text=True)
    for field in ("name", "email", "guests"):
        assert f'id="{field}-error"' in html
        assert f'<a href="#{field}">' in html


def test_agenda_item_without_title_is_shown_at_its_field(client, login, organizer, make_meeting):
    meeting = make_meeting()
    login(client, organizer)
    response = client.post(url(meeting, "/agenda"), data={"title": "", "duration_minutes": "10"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error" id="title-error">Please enter a title.</p>' in html
    assert '<a href="#title">Please enter a title.</a>' in html and "flash-error" not in html


def test_decision_and_action_item_errors_are_shown_at_their_fields(client, login, organizer, make_meeting):
    meeting = make_meeting()
    login(client, organizer)
    html = client.post(url(meeting, "/decisions"), data={"text": ""}).get_data(as_text=True)
    assert '<p class="error" id="text-error">Please write the decision.</p>' in html
    html = client.post(url(meeting, "/actions"), data={"title": "", "owner_id": "0", "status": "open"}).get_data(
        as_text=True
    )
    assert '<p class="error" id="title-error">Please enter a title.</p>' in html and "flash-error" not in html
