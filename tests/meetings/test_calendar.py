"""Calendars: the .ics of a meeting and the private subscription feed."""

import base64
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from coalition.coalitions.models import Membership
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings import calendar, rsvps, services
from coalition.meetings.models import Rsvp
from tests.conftest import query_plan
from tests.meetings.conftest import url


def _event(text):
    parsed = icalendar.Calendar.from_ical(text)
    events = parsed.walk("VEVENT")
    assert len(events) == 1
    return parsed, events[0]


def test_ics_parses_and_keeps_local_time_across_spring_dst_change(client, login, member, make_meeting):
    # 18:00 in Chicago on the Tuesday after clocks went forward (2030-03-10) is 23:00 UTC, not 00:00.
    meeting = make_meeting(start=datetime(2030, 3, 12, 23, 0, tzinfo=UTC), timezone="America/Chicago")
    login(client, member)
    response = client.get(url(meeting, "/meeting.ics"))
    assert response.mimetype == "text/calendar"
    parsed, event = _event(response.data)
    start = event.decoded("dtstart")
    assert start.astimezone(ZoneInfo("America/Chicago")).hour == 18
    assert start.astimezone(UTC) == datetime(2030, 3, 12, 23, 0, tzinfo=UTC)
    assert parsed.walk("VTIMEZONE")[0]["TZID"] == "America/Chicago"
    assert str(parsed["METHOD"]) == "REQUEST"


def test_ics_keeps_local_time_across_autumn_dst_change(make_meeting):
    # 18:00 in Chicago after clocks went back (2030-11-03) is 00:00 UTC the next day.
    meeting = make_meeting(start=datetime(2030, 11, 6, 0, 0, tzinfo=UTC), timezone="America/Chicago")
    _, event = _event(calendar.meeting_ics(meeting, details=False))
    local = event.decoded("dtstart").astimezone(ZoneInfo("America/Chicago"))
    assert (local.day, local.hour, local.minute) == (5, 18, 0)
    assert event.decoded("dtend").astimezone(ZoneInfo("America/Chicago")).hour == 19


def test_ics_uid_is_stable_and_sequence_rises_on_change(organizer, make_meeting):
    meeting = make_meeting(start=datetime(2030, 6, 1, 18, 0, tzinfo=UTC))
    _, before = _event(calendar.meeting_ics(meeting, details=False))
    fields = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    fields["venue"] = "Library, room 2"
    services.update_meeting(
        meeting,
        organizer,
        start_date=meeting.start_at.date(),
        start_time=meeting.start_at.time(),
        end_date=None,
        end_time=meeting.end_at.time(),
        **fields,
    )
    db.session.commit()
    _, after = _event(calendar.meeting_ics(meeting, details=False))
    assert str(before["UID"]) == str(after["UID"]) == f"meeting-{meeting.id}@coalition.test"
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)


def test_cancelled_meeting_ics_carries_method_cancel(client, login, organizer, member, make_meeting):
    meeting = make_meeting()
    services.cancel_meeting(meeting, organizer)
    db.session.commit()
    login(client, member)
    parsed, event = _event(client.get(url(meeting, "/meeting.ics")).data)
    assert str(parsed["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_ics_has_exact_place_only_for_people_coming(client, login, member, make_meeting):
    meeting = make_meeting()
    login(client, member)
    assert b"secret-room" not in client.get(url(meeting, "/meeting.ics")).data
    client.post(url(meeting, "/rsvp"), data={"response": "yes"})
    assert b"secret-room" in client.get(url(meeting, "/meeting.ics")).data.replace(b"\r\n ", b"")


def test_ics_reads_the_meeting_and_my_answer_in_one_statement(client, login, member, make_meeting, count_queries):
    meeting = make_meeting()
    login(client, member)
    client.get(url(meeting, "/meeting.ics"))
    for answer, shows_the_room in (("maybe", False), ("yes", True)):
        client.post(url(meeting, "/rsvp"), data={"response": answer})
        with count_queries() as counter:
            data = client.get(url(meeting, "/meeting.ics")).data.replace(b"\r\n ", b"")
        assert (b"secret-room" in data) is shows_the_room
        assert counter.count == 2  # the log-in session, then the meeting with my answer


def test_cancellation_mail_carries_a_cancel_ics(coalition, organizer, make_member, make_meeting, outbox):
    meeting = make_meeting()
    person = make_member(coalition, "member")
    rsvps.rsvp_member(meeting, person, "yes")
    services.cancel_meeting(meeting, organizer)
    db.session.commit()
    mails = outbox(to=person.email, kind="meeting_cancel")
    assert len(mails) == 1
    attachment = mails[0].attachments[0]
    assert attachment["content_type"] == "text/calendar; method=CANCEL"
    parsed, _ = _event(base64.b64decode(attachment["data"]))
    assert str(parsed["METHOD"]) == "CANCEL"


def test_waitlisted_people_are_told_of_a_cancellation(coalition, organizer, make_member, make_meeting, outbox):
    meeting = make_meeting(capacity=1)
    rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    waiting = make_member(coalition, "member")
    rsvps.rsvp_member(meeting, waiting, "yes")
    services.cancel_meeting(meeting, organizer)
    db.session.commit()
    assert len(outbox(to=waiting.email, kind="meeting_cancel")) == 1


def test_change_of_time_notifies_people_coming_with_updated_ics(
    client, login, coalition, organizer, make_member, make_meeting, outbox
):
    from tests.meetings.conftest import form_data

    meeting = make_meeting(start=datetime(2030, 6, 1, 18, 0, tzinfo=UTC))
    coming, declined = make_member(coalition, "member"), make_member(coalition, "member")
    rsvps.rsvp_member(meeting, coming, "maybe")
    rsvps.rsvp_member(meeting, declined, "no")
    db.session.commit()
    login(client, organizer)
    data = form_data(datetime(2030, 6, 1, 19, 0), datetime(2030, 6, 1, 20, 0), tz_name="UTC", title=meeting.title)
    client.post(url(meeting, "/edit"), data=data)
    mails = outbox(to=coming.email, kind="meeting_update")
    assert len(mails) == 1
    _, event = _event(base64.b64decode(mails[0].attachments[0]["data"]))
    assert event["SEQUENCE"] == 1
    assert event.decoded("dtstart").astimezone(UTC).hour == 19
    assert outbox(to=declined.email, kind="meeting_update") == []


# --- Feed ----------------------------------------------------------------------------------------------------


def _feed_link(client, coalition):
    client.post(f"/c/{coalition.slug}/meetings/calendar/link")
    page = client.get(f"/c/{coalition.slug}/meetings/calendar").get_data(as_text=True)
    start = page.index("http://coalition.test/c/")
    return page[start : page.index('"', start)].replace("http://coalition.test", "")


def test_feed_lists_meetings_answered_yes_or_maybe(client, app, login, coalition, member, make_meeting):
    going = make_meeting(title="Going one")
    maybe = make_meeting(title="Maybe one")
    declined = make_meeting(title="Declined one")
    make_meeting(title="Not answered")
    rsvps.rsvp_member(going, member, "yes")
    rsvps.rsvp_member(maybe, member, "maybe")
    rsvps.rsvp_member(declined, member, "no")
    db.session.commit()
    login(client, member)
    link = _feed_link(client, coalition)
    response = app.test_client().get(link)  # a calendar app: no session
    assert response.status_code == 200
    parsed = icalendar.Calendar.from_ical(response.data)
    assert sorted(str(e["SUMMARY"]) for e in parsed.walk("VEVENT")) == ["Going one", "Maybe one"]


def test_feed_gives_the_exact_place_only_where_its_owner_has_a_place_and_says_what_is_cancelled(
    client, app, login, coalition, organizer, member, make_meeting
):
    going = make_meeting(title="Going one")
    maybe = make_meeting(title="Maybe one")
    cancelled = make_meeting(title="Called off")
    for meeting, answer in ((going, "yes"), (maybe, "maybe"), (cancelled, "yes")):
        rsvps.rsvp_member(meeting, member, answer)
    services.cancel_meeting(cancelled, organizer)
    db.session.commit()
    login(client, member)
    link = _feed_link(client, coalition)

    events = icalendar.Calendar.from_ical(app.test_client().get(link).data).walk("VEVENT")

    by_title = {str(event["SUMMARY"]): event for event in events}
    assert "12 Main Street" in str(by_title["Going one"]["LOCATION"])
    assert "Step-free entrance" in str(by_title["Going one"]["DESCRIPTION"])
    assert str(by_title["Maybe one"]["LOCATION"]) == "Community Hall"
    assert "Step-free entrance" not in str(by_title["Maybe one"]["DESCRIPTION"])
    assert str(by_title["Called off"]["STATUS"]) == "CANCELLED" and str(by_title["Going one"]["STATUS"]) == "CONFIRMED"
    assert str(by_title["Going one"]["URL"]).endswith(f"/c/{coalition.slug}/meetings/{going.id}")
    assert str(by_title["Going one"]["ORGANIZER"].params["CN"]) == coalition.name


def test_feed_leaves_out_old_meetings_and_other_coalitions_and_works_when_empty(
    client, app, login, coalition, member, make_meeting, make_coalition
):
    login(client, member)
    link = _feed_link(client, coalition)
    empty = app.test_client().get(link)
    assert empty.status_code == 200 and icalendar.Calendar.from_ical(empty.data).walk("VEVENT") == []
    long_ago = make_meeting(title="Long ago", start=utcnow() - timedelta(days=200))
    recent = make_meeting(title="Last month", start=utcnow() - timedelta(days=30))
    other = make_coalition()
    db.session.add(Membership(user_id=member.id, coalition_id=other.id, role="member", status="active"))
    elsewhere = make_meeting(title="Elsewhere", in_coalition=other)
    rsvps.rsvp_member(elsewhere, member, "yes")
    for meeting in (long_ago, recent):  # answered before they took place
        db.session.add(Rsvp(coalition_id=coalition.id, meeting_id=meeting.id, user_id=member.id, response="yes"))
    db.session.commit()
    parsed = icalendar.Calendar.from_ical(app.test_client().get(link).data)
    assert [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")] == ["Last month"]


def test_feed_link_is_shown_once_and_stored_hashed(client, login, coalition, member):
    from coalition.meetings.models import CalendarFeed

    login(client, member)
    link = _feed_link(client, coalition)
    token = link.rsplit("/", 1)[1].removesuffix(".ics")
    feed = db.session.scalar(db.select(CalendarFeed))
    assert token not in feed.token_hash
    assert token not in client.get(f"/c/{coalition.slug}/meetings/calendar").get_data(as_text=True)


def test_revoked_feed_link_stops_working(client, app, login, coalition, member):
    login(client, member)
    link = _feed_link(client, coalition)
    assert app.test_client().get(link).status_code == 200
    client.post(f"/c/{coalition.slug}/meetings/calendar/revoke")
    assert app.test_client().get(link).status_code == 404


def test_replaced_feed_link_stops_the_old_one(client, app, login, coalition, member):
    login(client, member)
    old = _feed_link(client, coalition)
    new = _feed_link(client, coalition)
    assert app.test_client().get(old).status_code == 404
    assert app.test_client().get(new).status_code == 200


def test_feed_stops_when_the_person_leaves_the_coalition(client, app, login, coalition, member):
    from coalition.coalitions.models import Membership, MembershipStatus

    login(client, member)
    link = _feed_link(client, coalition)
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == member.id))
    membership.status = MembershipStatus.REMOVED
    db.session.commit()
    assert app.test_client().get(link).status_code == 404


def test_feed_token_of_one_coalition_does_not_open_another(client, app, login, coalition, member, make_coalition):
    other = make_coalition()
    login(client, member)
    link = _feed_link(client, coalition)
    assert app.test_client().get(link.replace(f"/c/{coalition.slug}/", f"/c/{other.slug}/")).status_code == 404


def test_feed_runs_the_same_statements_for_one_meeting_and_many(
    client, app, login, coalition, member, make_meeting, count_queries
):
    login(client, member)
    link = _feed_link(client, coalition)
    calendar_app = app.test_client()
    counts = []
    for batch in (1, 12):
        for n in range(batch):
            rsvps.rsvp_member(make_meeting(title=f"Meeting {batch}-{n}"), member, "yes" if n % 2 else "maybe")
        db.session.commit()
        with count_queries() as counter:
            response = calendar_app.get(link)
        assert response.status_code == 200
        counts.append(counter.count)
    assert len(icalendar.Calendar.from_ical(response.data).walk("VEVENT")) == 13
    assert counts == [1, 1]  # the coalition, the feed and its meetings in one statement


def test_the_feed_reads_its_owners_answers_by_their_index(coalition):
    """On both databases the feed walks its owner's answers (SQLite once joined every recent meeting's answers
    first: 49 ms for one feed at scale 1)."""
    values = {"slug": coalition.slug, "token_hash": "x" * 64, "since": utcnow()}
    plan = query_plan(calendar._feed_rows().params(**values))
    assert "ix_meeting_rsvps_user_id" in plan and "MATERIALIZE" not in plan
