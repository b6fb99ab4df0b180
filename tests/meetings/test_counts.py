"""Counts agree with their number: "1 answer", "1 child for childcare", "1 minute" (ngettext wherever a count is
shown)."""

from datetime import timedelta

from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings import after, rsvps, services
from tests.meetings.conftest import url


def test_one_feedback_answer_is_one_answer(client, login, organizer, member, make_meeting):
    meeting = make_meeting(start=(utcnow() - timedelta(days=2)).replace(second=0, microsecond=0))
    after.give_feedback(meeting, member, rating=5, worked="Food", change="", anonymous=False)
    db.session.commit()
    login(client, organizer)
    html = client.get(url(meeting, "/feedback/results")).get_data(as_text=True)
    assert "<strong>1</strong> answer</li>" in html


def test_needs_summary_and_agenda_count_in_the_singular(client, login, organizer, member, make_meeting):
    meeting = make_meeting()
    rsvps.rsvp_member(meeting, member, "yes", children=1)
    services.save_agenda_item(meeting, None, title="Welcome", duration_minutes=1, facilitator="")
    db.session.commit()
    login(client, organizer)
    html = client.get(url(meeting)).get_data(as_text=True)
    assert "<strong>1</strong> child for childcare</li>" in html
    assert "1 minute</td>" in html
