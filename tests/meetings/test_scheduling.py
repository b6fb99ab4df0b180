"""Scheduling in a time zone, editing and cancelling."""

from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from coalition.extensions import db
from coalition.meetings.models import Meeting, MeetingStatus
from tests.meetings.conftest import form_data, url


def _count():
    return db.session.scalar(select(func.count()).select_from(Meeting))


def test_organizer_schedules_meeting_in_local_time_stored_in_utc(client, login, coalition, organizer):
    login(client, organizer)
    start, end = datetime(2030, 3, 12, 18, 0), datetime(2030, 3, 12, 19, 30)
    response = client.post(f"/c/{coalition.slug}/meetings/new", data=form_data(start, end, capacity="3"))
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    # 18:00 in Chicago in March 2030 is daylight time (UTC-5).
    assert meeting.start_at == datetime(2030, 3, 12, 23, 0, tzinfo=UTC)
    assert meeting.end_at == datetime(2030, 3, 13, 0, 30, tzinfo=UTC)
    assert meeting.timezone == "America/Chicago"
    assert meeting.capacity == 3


def test_new_meeting_form_defaults_to_the_coalitions_time_zone(client, login, coalition, organizer):
    login(client, organizer)
    page = client.get(f"/c/{coalition.slug}/meetings/new").get_data(as_text=True)
    assert '<option selected value="America/Chicago">' in page


def test_end_before_start_shows_message_and_saves_nothing(client, login, coalition, organizer):
    login(client, organizer)
    start, end = datetime(2030, 3, 12, 18, 0), datetime(2030, 3, 12, 17, 0)
    response = client.post(f"/c/{coalition.slug}/meetings/new", data=form_data(start, end))
    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.get_data(as_text=True)
    assert _count() == 0


def test_time_skipped_by_spring_forward_is_refused_with_a_message(client, login, coalition, organizer):
    login(client, organizer)
    start, end = datetime(2030, 3, 10, 2, 30), datetime(2030, 3, 10, 4, 0)
    response = client.post(f"/c/{coalition.slug}/meetings/new", data=form_data(start, end))
    assert response.status_code == 200
    assert "02:30 does not exist on 2030-03-10 in America/Chicago" in response.get_data(as_text=True)
    assert _count() == 0


def test_ambiguous_fall_back_time_takes_the_first_occurrence():
    from coalition.meetings.services import local_to_utc

    # 01:30 happens twice on 2030-11-03 in Chicago; the first is still daylight time (UTC-5).
    assert local_to_utc(date(2030, 11, 3), time(1, 30), "America/Chicago") == datetime(2030, 11, 3, 6, 30, tzinfo=UTC)


def test_unknown_time_zone_is_refused(client, login, coalition, organizer):
    login(client, organizer)
    start, end = datetime(2030, 3, 12, 18, 0), datetime(2030, 3, 12, 19, 0)
    response = client.post(f"/c/{coalition.slug}/meetings/new", data=form_data(start, end, tz_name="Mars/Olympus"))
    assert response.status_code == 200
    assert _count() == 0


def test_meeting_page_states_the_time_zone_it_is_shown_in(client, login, member, make_meeting):
    meeting = make_meeting(start=datetime(2030, 6, 1, 23, 0, tzinfo=UTC), timezone="America/Chicago")
    login(client, member)
    page = client.get(url(meeting)).get_data(as_text=True)
    assert "6:00" in page and "PM" in page
    assert "(America/Chicago)" in page


def test_member_sees_meeting_in_their_own_time_zone(client, login, coalition, make_member, make_meeting):
    person = make_member(coalition, "member", timezone="Europe/Berlin")
    meeting = make_meeting(start=datetime(2030, 6, 1, 23, 0, tzinfo=UTC), timezone="America/Chicago")
    login(client, person)
    page = client.get(url(meeting)).get_data(as_text=True)
    assert "(Europe/Berlin)" in page
    assert "1:00" in page  # 01:00 the next day in Berlin
    assert "Local time where it happens: Jun 1, 2030, 6:00\u202fPM (America/Chicago)" in page


def test_edit_of_time_raises_sequence_and_keeps_id(client, login, organizer, make_meeting):
    meeting = make_meeting(start=datetime(2030, 6, 1, 23, 0, tzinfo=UTC), timezone="America/Chicago")
    login(client, organizer)
    data = form_data(datetime(2030, 6, 2, 18, 0), datetime(2030, 6, 2, 19, 0), title=meeting.title, kind="workshop")
    response = client.post(url(meeting, "/edit"), data=data)
    assert response.status_code == 302
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.sequence == 1
    assert meeting.start_at == datetime(2030, 6, 2, 23, 0, tzinfo=UTC)


def test_edit_of_title_only_keeps_sequence(client, login, organizer, make_meeting):
    meeting = make_meeting(start=datetime(2030, 6, 1, 23, 0, tzinfo=UTC), timezone="America/Chicago")
    login(client, organizer)
    data = form_data(
        datetime(2030, 6, 1, 18, 0),
        datetime(2030, 6, 1, 19, 0),
        title="A better title",
        venue=meeting.venue,
        address=meeting.address,
        access_notes=meeting.access_notes,
        online_url=meeting.online_url,
    )
    client.post(url(meeting, "/edit"), data=data)
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.title == "A better title"
    assert meeting.sequence == 0


def test_edit_form_shows_the_meetings_local_time(client, login, organizer, make_meeting):
    meeting = make_meeting(start=datetime(2030, 6, 1, 23, 0, tzinfo=UTC), timezone="America/Chicago")
    login(client, organizer)
    page = client.get(url(meeting, "/edit")).get_data(as_text=True)
    assert 'value="2030-06-01"' in page
    assert 'value="18:00"' in page


def test_capacity_cannot_go_below_places_taken(client, login, coalition, organizer, make_member, make_meeting):
    from coalition.meetings import rsvps

    meeting = make_meeting(capacity=5)
    for _ in range(3):
        rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    db.session.commit()
    login(client, organizer)
    zone_fields = form_data(datetime(2030, 6, 1, 18, 0), datetime(2030, 6, 1, 19, 0), tz_name="UTC", capacity="2")
    response = client.post(url(meeting, "/edit"), data=zone_fields)
    assert "3 places are already taken" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).capacity == 5


def test_cancel_marks_meeting_cancelled_and_raises_sequence(client, login, organizer, make_meeting):
    meeting = make_meeting()
    login(client, organizer)
    client.post(url(meeting, "/cancel"))
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1


def test_campaign_of_another_coalition_is_refused(client, login, coalition, organizer, make_coalition):
    from coalition.campaigns.models import Campaign

    other = make_coalition()
    campaign = Campaign(coalition_id=other.id, title="Elsewhere", slug="elsewhere")
    db.session.add(campaign)
    db.session.commit()
    login(client, organizer)
    data = form_data(datetime(2030, 3, 12, 18, 0), datetime(2030, 3, 12, 19, 0), campaign_id=str(campaign.id))
    response = client.post(f"/c/{coalition.slug}/meetings/new", data=data)
    assert response.status_code == 200
    assert _count() == 0


def test_meeting_linked_to_campaign_shows_it(client, login, coalition, organizer):
    from coalition.campaigns.models import Campaign

    campaign = Campaign(coalition_id=coalition.id, title="Safe homes now", slug="safe-homes")
    db.session.add(campaign)
    db.session.commit()
    login(client, organizer)
    data = form_data(datetime(2030, 3, 12, 18, 0), datetime(2030, 3, 12, 19, 0), campaign_id=str(campaign.id))
    response = client.post(f"/c/{coalition.slug}/meetings/new", data=data, follow_redirects=True)
    assert "Safe homes now" in response.get_data(as_text=True)
    assert db.session.scalar(select(Meeting)).campaign_id == campaign.id
