"""Reminders through a real SMTP server, a time poll scheduling its meeting, names, other coalitions, budgets."""

import time
from datetime import timedelta

from sqlalchemy import select

from coalition.core.models import utcnow
from coalition.core.outbox import deliver_outbox
from coalition.decisions import answers, outcome, services
from coalition.meetings.models import Meeting, MeetingInvite
from tests.decisions.conftest import url


def test_remind_twice_sends_one_reminder_to_each_person_who_has_not_answered(
    app, db, make_decision, members, organizer, smtp_server, outbox
):
    decision = make_decision(closes_in=timedelta(hours=10))
    answers.answer(decision, members[0], {"position": "agree"})
    db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["decisions", "remind"]).exit_code == 0
    assert runner.invoke(args=["decisions", "remind"]).exit_code == 0
    reminders = outbox(kind="decision_reminder")
    assert sorted(m.to_address for m in reminders) == sorted([m.email for m in members[1:]] + [organizer.email])
    deliver_outbox()
    received = [m["To"] for m in smtp_server.texts() if "Reminder" in m["Subject"]]
    assert sorted(received) == sorted(m.to_address for m in reminders)


def test_no_reminder_before_the_reminder_time(app, db, make_decision, members, outbox):
    make_decision(closes_in=timedelta(days=3))
    app.test_cli_runner().invoke(args=["decisions", "remind"])
    assert outbox(kind="decision_reminder") == []


def test_manual_reminder_goes_only_to_those_who_have_not_answered(
    app, db, make_decision, members, organizer, login, outbox
):
    decision = make_decision()
    answers.answer(decision, members[0], {"position": "agree"})
    db.session.commit()
    client = app.test_client()
    login(client, organizer)
    client.post(url(decision, "/remind"))
    client.post(url(decision, "/remind"))
    to = [m.to_address for m in outbox(kind="decision_reminder")]
    assert members[0].email not in to and len(to) == len(set(to)) == 5  # 4 members + the organizer


def test_time_poll_close_schedules_the_meeting_and_invites_those_who_said_yes(db, make_decision, members, organizer):
    start = (utcnow() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
    times = [(f"t{i}", start + timedelta(days=i)) for i in range(3)]
    decision = make_decision(kind="time_poll", privacy="open", options=times)
    ids = [o.id for o in decision.options]
    for n, person in enumerate(members):
        answers.answer(
            decision,
            person,
            {
                "times": {str(ids[0]): "yes" if n < 3 else "no", str(ids[1]): "if_need_be"},
                "needs": {"interpretation_language": "Spanish" if n == 0 else "", "children": 1, "access_needs": ""},
            },
        )
    db.session.commit()
    assert services.current_result(decision)["times"][str(ids[0])]["children"] == 3
    meeting = outcome.schedule_meeting(decision, organizer, ids[0])
    db.session.commit()
    assert db.session.get(Meeting, meeting.id).start_at == start
    invited = set(db.session.scalars(select(MeetingInvite.user_id).where(MeetingInvite.meeting_id == meeting.id)))
    assert invited == {m.id for m in members[:3]}
    assert decision.status.value == "closed"


def test_members_never_see_names_on_organizers_see_names(app, db, make_decision, members, organizer, login):
    decision = make_decision(privacy="organizers")
    answers.answer(decision, members[0], {"position": "block"}, "Too fast")
    db.session.commit()
    member = app.test_client()
    login(member, members[1])
    page = member.get(url(decision)).get_data(as_text=True)
    assert members[0].display_name not in page and "Too fast" in page
    boss = app.test_client()
    login(boss, organizer)
    assert members[0].display_name in boss.get(url(decision)).get_data(as_text=True)


def test_visitors_and_other_coalitions_see_nothing(app, db, make_decision, make_coalition, make_member, login):
    decision = make_decision()
    assert app.test_client().get(url(decision)).status_code == 302  # to the log-in
    outsider = app.test_client()
    login(outsider, make_member(make_coalition(), "lead"))
    assert outsider.get(url(decision)).status_code == 404
    assert outsider.get(url(decision, "/result.csv")).status_code == 404


def test_decision_page_queries_are_bounded_with_1000_members_and_answers(
    app, db, coalition, make_decision, organizer, login, count_queries
):
    from coalition.accounts.models import User
    from coalition.coalitions.models import Membership
    from coalition.decisions.models import DecisionAnswer

    decision = make_decision(kind="poll", privacy="open")
    option = decision.options[0].id
    users = [User(email=f"bulk{i}@example.org", display_name=f"Bulk {i}", password_hash="x") for i in range(1000)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all([Membership(user_id=u.id, coalition_id=coalition.id, role="member") for u in users])
    db.session.add_all(
        [
            DecisionAnswer(
                coalition_id=coalition.id, decision_id=decision.id, user_id=u.id, choice={"options": [option]}
            )
            for u in users
        ]
    )
    db.session.commit()
    client = app.test_client()
    login(client, organizer)
    client.get(url(decision))
    with count_queries() as counter:
        response = client.get(url(decision))
    assert response.status_code == 200
    assert counter.count <= 25, counter.statements
    with count_queries() as counter:
        assert client.get(f"/c/{coalition.slug}/decisions/?needs_me=1").status_code == 200
    assert counter.count <= 15


class StopWorker(Exception):
    """Ends a looping worker in a test (as SIGTERM would in production)."""


def test_looping_decisions_worker_reminds_each_person_once_across_rounds(
    app, db, make_decision, members, organizer, outbox, monkeypatch
):
    make_decision(closes_in=timedelta(hours=10))
    pauses = []

    def between_rounds(seconds):
        pauses.append(seconds)
        if len(pauses) == 3:
            raise StopWorker

    monkeypatch.setattr(time, "sleep", between_rounds)
    result = app.test_cli_runner().invoke(args=["decisions", "remind", "--loop", "--interval", "7"])

    assert isinstance(result.exception, StopWorker) and pauses == [7, 7, 7]
    assert result.output.splitlines() == [
        "closed 0 decision(s), queued 6 reminder(s)",
        "closed 0 decision(s), queued 0 reminder(s)",
        "closed 0 decision(s), queued 0 reminder(s)",
    ]
    assert len(outbox(kind="decision_reminder")) == 6
