"""Cancelling a meeting asks first."""

from coalition.extensions import db
from coalition.meetings.models import Meeting
from tests.meetings.conftest import url


def test_cancel_is_a_link_to_a_confirmation_that_changes_nothing(client, login, organizer, make_meeting):
    meeting = make_meeting(title="Tenant assembly")
    login(client, organizer)
    assert f'<a class="button danger" href="{url(meeting, "/cancel")}">' in client.get(url(meeting)).get_data(
        as_text=True
    )
    html = client.get(url(meeting, "/cancel")).get_data(as_text=True)
    assert "Cancel “Tenant assembly”?" in html and "This cannot be undone" in html
    assert f'<form method="post" action="{url(meeting, "/cancel")}"' in html and "No, go back" in html
    db.session.expire_all()
    assert not db.session.get(Meeting, meeting.id).is_cancelled


def test_confirmed_cancel_cancels(client, login, organizer, make_meeting):
    meeting = make_meeting()
    login(client, organizer)
    client.post(url(meeting, "/cancel"))
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).is_cancelled


def test_members_get_no_cancel_confirmation(client, login, member, make_meeting):
    meeting = make_meeting()
    login(client, member)
    assert client.get(url(meeting, "/cancel")).status_code == 403
