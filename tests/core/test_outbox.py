"""The mail outbox against a real SMTP server: delivery, outage, recovery, concurrency, retries."""

from datetime import timedelta

from sqlalchemy import select

from coalition.accounts.models import User
from coalition.core.models import utcnow
from coalition.core.outbox import FAILED, PENDING, SENT, OutboxMessage, deliver_outbox, queue_mail
from tests.conftest import run_in_threads


def _queue(db, count=1, **kwargs):
    for n in range(count):
        queue_mail(
            f"person{n}@example.org",
            f"Hello {n}",
            "accounts/verify",
            user=User(display_name=f"Person {n}"),
            verify_url=f"http://coalition.test/account/verify/{n}",
            **kwargs,
        )
    db.session.commit()


def _make_due(db):
    for message in db.session.scalars(select(OutboxMessage)):
        message.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def _body(parsed):
    return parsed.get_payload(decode=True).decode() if not parsed.is_multipart() else parsed.get_body().get_content()


def test_reset_mail_is_delivered_to_a_real_smtp_server(client, make_user, smtp_server, outbox):
    user = make_user(email="ana@example.org")
    client.post("/account/reset", data={"email": "ana@example.org"}, headers={"Host": "evil.example"})
    assert deliver_outbox() == {"sent": 1, "retry": 0, "failed": 0}
    (envelope,) = smtp_server.messages
    assert envelope.rcpt_tos == [user.email]
    (parsed,) = smtp_server.texts()
    assert parsed["Subject"] == "Reset your password"
    assert parsed["To"] == "ana@example.org"
    assert "http://coalition.test/account/reset/" in _body(parsed)
    assert "evil.example" not in _body(parsed)
    assert outbox()[0].status == SENT
    assert outbox()[0].sent_at is not None


def test_smtp_outage_keeps_message_pending_with_the_error(db, smtp_server, outbox):
    _queue(db)
    smtp_server.stop()
    assert deliver_outbox() == {"sent": 0, "retry": 1, "failed": 0}
    (message,) = outbox()
    assert (message.status, message.attempts) == (PENDING, 1)
    assert message.last_error
    assert message.next_attempt_at > utcnow()


def test_message_waiting_after_outage_is_not_retried_before_its_time(db, smtp_server, outbox):
    _queue(db)
    smtp_server.stop()
    deliver_outbox()
    smtp_server.start()
    assert deliver_outbox() == {"sent": 0, "retry": 0, "failed": 0}
    assert smtp_server.messages == []


def test_after_recovery_message_is_delivered_exactly_once(db, smtp_server, outbox):
    _queue(db)
    smtp_server.stop()
    deliver_outbox()
    smtp_server.start()
    _make_due(db)
    assert deliver_outbox()["sent"] == 1
    assert deliver_outbox() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(smtp_server.messages) == 1
    (message,) = outbox()
    assert (message.status, message.attempts) == (SENT, 1)


def test_two_workers_at_once_send_each_message_exactly_once(app, db, smtp_server, outbox):
    _queue(db, count=12)

    def worker(index):
        with app.app_context():
            return deliver_outbox()

    results = run_in_threads(worker, 2)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r["sent"] for r in results) == 12
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == sorted(f"person{n}@example.org" for n in range(12))
    assert {m.status for m in outbox()} == {SENT}


def test_same_dedupe_key_is_queued_once(db, outbox):
    _queue(db, dedupe_key="reminder:rsvp:1")
    _queue(db, dedupe_key="reminder:rsvp:1")
    _queue(db, dedupe_key="reminder:rsvp:2")
    assert [m.dedupe_key for m in outbox()] == ["reminder:rsvp:1", "reminder:rsvp:2"]


def test_duplicate_dedupe_key_keeps_the_rest_of_the_transaction(db, make_user, outbox):
    _queue(db, dedupe_key="once")
    user = make_user(name="Before")
    user.display_name = "After"
    assert queue_mail("x@example.org", "S", "accounts/verify", dedupe_key="once", user=user, verify_url="u") is None
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name == "After"


def test_message_failing_max_attempts_times_becomes_failed(app, db, smtp_server, outbox):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    try:
        _queue(db)
        smtp_server.stop()
        results = []
        for _ in range(3):
            results.append(deliver_outbox())
            _make_due(db)
    finally:
        app.config["OUTBOX_MAX_ATTEMPTS"] = 8
    assert [r["failed"] for r in results] == [0, 0, 1]
    (message,) = outbox()
    assert (message.status, message.attempts) == (FAILED, 3)
    assert deliver_outbox() == {"sent": 0, "retry": 0, "failed": 0}


def test_abandoned_claim_of_a_crashed_worker_is_taken_again(db, smtp_server, outbox):
    _queue(db)
    message = outbox()[0]
    message.status, message.claimed_at = "sending", utcnow() - timedelta(hours=1)
    db.session.commit()
    assert deliver_outbox()["sent"] == 1


def test_fresh_claim_of_another_worker_is_left_alone(db, smtp_server, outbox):
    _queue(db)
    message = outbox()[0]
    message.status, message.claimed_at = "sending", utcnow()
    db.session.commit()
    assert deliver_outbox()["sent"] == 0
    assert smtp_server.messages == []


def test_outbox_send_command_prints_counts(app, db, smtp_server):
    _queue(db, count=2)
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 2, will retry 0, failed 0" in result.output
    assert len(smtp_server.messages) == 2


def test_outbox_send_command_reports_retries_during_an_outage(app, db, smtp_server):
    _queue(db)
    smtp_server.stop()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert "sent 0, will retry 1, failed 0" in result.output


def test_attachments_reach_the_smtp_server(db, smtp_server):
    _queue(db, attachments=[("meeting.ics", "text/calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
    deliver_outbox()
    (parsed,) = smtp_server.texts()
    (attachment,) = [part for part in parsed.walk() if part.get_filename() == "meeting.ics"]
    assert attachment.get_payload(decode=True).startswith(b"BEGIN:VCALENDAR")


def test_failing_request_leaves_neither_the_change_nor_its_mail(db, client, make_coalition, monkeypatch, outbox):
    from coalition.coalitions import services as coalition_services

    coalition = make_coalition(allow_join_requests=True)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(coalition_services, "request_to_join", broken)
    response = client.post(
        f"/account/register?coalition={coalition.slug}",
        data={
            "display_name": "Nadia",
            "email": "nadia@example.org",
            "password": "a long enough passphrase",
            "confirm": "a long enough passphrase",
        },
    )
    assert response.status_code == 500
    assert db.session.scalars(select(User)).all() == []
    assert outbox() == []
