"""Reminders: `flask meetings remind` queues each reminder once; mails reach a real SMTP server."""

import time
from datetime import timedelta

from coalition.accounts.models import User
from coalition.core.models import utcnow
from coalition.core.outbox import deliver_outbox
from coalition.extensions import db
from coalition.meetings import notify, rsvps
from coalition.meetings.models import Meeting
from tests.conftest import run_in_threads


def _soon(make_meeting, hours=5, **fields):
    return make_meeting(start=(utcnow() + timedelta(hours=hours)).replace(second=0, microsecond=0), **fields)


def test_remind_run_twice_queues_each_reminder_once(app, coalition, make_member, make_meeting, outbox):
    meeting = _soon(make_meeting)
    yes, maybe, no = (make_member(coalition, "member") for _ in range(3))
    rsvps.rsvp_member(meeting, yes, "yes")
    rsvps.rsvp_member(meeting, maybe, "maybe")
    rsvps.rsvp_member(meeting, no, "no")
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["meetings", "remind"])
    second = runner.invoke(args=["meetings", "remind"])
    assert first.exit_code == 0 and "queued 2 reminder(s)" in first.output
    assert "queued 0 reminder(s)" in second.output
    reminders = outbox(kind="meeting_reminder")
    assert sorted(m.to_address for m in reminders) == sorted([yes.email, maybe.email])


def test_remind_from_two_workers_at_once_queues_once(app, coalition, make_member, make_meeting, outbox):
    meeting = _soon(make_meeting)
    for _ in range(3):
        rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    db.session.commit()

    def worker(index):
        with app.app_context():
            count = notify.queue_reminders()
            db.session.commit()
            db.session.remove()
            return count

    results = run_in_threads(worker, 2)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len(outbox(kind="meeting_reminder")) == 3


def test_reminders_respect_the_coalitions_lead_time(coalition, make_member, make_meeting, outbox):
    coalition.reminder_hours = 48
    near = _soon(make_meeting, hours=30, title="In thirty hours")
    far = _soon(make_meeting, hours=60, title="In sixty hours")
    person = make_member(coalition, "member")
    rsvps.rsvp_member(near, person, "yes")
    rsvps.rsvp_member(far, person, "yes")
    db.session.commit()
    assert notify.queue_reminders() == 1
    db.session.commit()
    assert "In thirty hours" in outbox(kind="meeting_reminder")[0].subject


def test_no_reminder_for_waitlist_cancelled_or_started_meetings(
    coalition, organizer, make_member, make_meeting, outbox
):
    from coalition.meetings import services

    full = _soon(make_meeting, capacity=1)
    rsvps.rsvp_member(full, make_member(coalition, "member"), "yes")
    rsvps.rsvp_member(full, make_member(coalition, "member"), "yes")  # waitlisted
    cancelled = _soon(make_meeting)
    rsvps.rsvp_member(cancelled, make_member(coalition, "member"), "yes")
    services.cancel_meeting(cancelled, organizer)
    db.session.commit()
    assert notify.queue_reminders() == 1


def test_moved_meeting_is_reminded_again(coalition, make_member, make_meeting, outbox):
    meeting = _soon(make_meeting)
    rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    db.session.commit()
    assert notify.queue_reminders() == 1
    meeting.sequence += 1  # what a change of time does
    db.session.commit()
    assert notify.queue_reminders() == 1


def test_reminder_mails_arrive_at_a_real_smtp_server(app, coalition, make_member, make_meeting, smtp_server):
    meeting = _soon(make_meeting, title="Rent strike planning")
    person = make_member(coalition, "member")
    rsvps.rsvp_member(meeting, person, "yes")
    db.session.commit()
    app.test_cli_runner().invoke(args=["meetings", "remind"])
    app.test_cli_runner().invoke(args=["meetings", "remind"])
    counts = deliver_outbox()
    assert counts["failed"] == 0
    reminders = [m for m in smtp_server.texts() if m["Subject"].startswith("Reminder:")]
    assert len(reminders) == 1
    message = reminders[0]
    assert message["To"] == person.email
    assert "Rent strike planning" in message["Subject"]
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "text/calendar" in parts
    body = parts["text/plain"].get_payload(decode=True).decode()
    assert "secret-room" in body  # people coming get the online link


def test_people_who_opted_out_get_no_reminder(coalition, make_member, make_meeting):
    meeting = _soon(make_meeting)
    rsvps.rsvp_member(meeting, make_member(coalition, "member", notify_meetings=False), "yes")
    db.session.commit()
    assert notify.queue_reminders() == 0


class StopWorker(Exception):
    """Ends a looping worker in a test (as SIGTERM would in production)."""


def test_looping_reminder_worker_reminds_answers_given_between_its_rounds(
    app, coalition, make_member, make_meeting, outbox, monkeypatch
):
    meeting = _soon(make_meeting)
    rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    db.session.commit()
    meeting_id, late_id, pauses = meeting.id, make_member(coalition, "member").id, []

    def between_rounds(seconds):
        pauses.append(seconds)
        if len(pauses) == 2:
            raise StopWorker
        with app.app_context():  # someone answers while the worker sleeps
            rsvps.rsvp_member(db.session.get(Meeting, meeting_id), db.session.get(User, late_id), "yes")
            db.session.commit()

    monkeypatch.setattr(time, "sleep", between_rounds)
    result = app.test_cli_runner().invoke(args=["meetings", "remind", "--loop", "--interval", "5"])

    assert isinstance(result.exception, StopWorker) and pauses == [5, 5]
    assert result.output.splitlines() == ["queued 1 reminder(s)", "queued 1 reminder(s)"]
    assert len(outbox(kind="meeting_reminder")) == 2
