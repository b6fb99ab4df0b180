"""Meeting languages and interpretation are stored as language codes and shown by name in the viewer's language;
names that are not known languages are kept as typed."""

from datetime import datetime

from sqlalchemy import select

from coalition.extensions import db
from coalition.meetings.models import Meeting
from tests.meetings.conftest import form_data, url


def test_typed_language_names_are_stored_as_codes(client, login, coalition, organizer):
    login(client, organizer)
    typed = {"languages": "English, Español", "interpretation": "Spanish, vietnamita, ASL"}
    data = form_data(datetime(2030, 6, 1, 18), datetime(2030, 6, 1, 19), **typed)
    assert client.post(f"/c/{coalition.slug}/meetings/new", data=data).status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert (meeting.languages, meeting.interpretation) == ("en, es", "es, vi, ASL")


def test_languages_are_shown_in_the_viewers_language(client, login, make_member, coalition, make_meeting):
    meeting = make_meeting(languages="en, es", interpretation="es, vi, ASL")
    login(client, make_member(coalition, "member", locale="es"))
    page = client.get(url(meeting)).get_data(as_text=True)
    assert "<dd>inglés, español</dd>" in page
    assert "<dd>español, vietnamita, ASL</dd>" in page


def test_interpretation_choices_are_codes_labelled_by_name(client, login, member, make_meeting):
    meeting = make_meeting(interpretation="es, vi")
    login(client, member)
    page = client.get(url(meeting)).get_data(as_text=True)
    assert '<option value="es">Spanish</option>' in page and '<option value="vi">Vietnamese</option>' in page


def test_edit_form_shows_the_languages_by_name(client, login, organizer, make_meeting):
    meeting = make_meeting(languages="en, es", interpretation="es")
    login(client, organizer)
    page = client.get(url(meeting, "/edit")).get_data(as_text=True)
    assert 'value="English, Spanish"' in page and 'value="Spanish"' in page


def test_needs_summary_names_the_interpretation_language(client, login, organizer, member, make_meeting):
    from coalition.meetings import rsvps

    meeting = make_meeting(interpretation="es")
    rsvps.rsvp_member(meeting, member, "yes", interpretation_language="es")
    db.session.commit()
    login(client, organizer)
    assert "1 needs Spanish" in client.get(url(meeting)).get_data(as_text=True)
