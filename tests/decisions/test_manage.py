"""Organizers manage a decision: edit until the first answer, extend, close early, reopen (not anonymous ones),
withdraw and remind — each in the audit log."""

from datetime import timedelta

import pytest

from coalition.core.models import utcnow
from coalition.decisions import answers, eligibility, services
from coalition.decisions.errors import DecisionError
from coalition.decisions.models import CollectiveDecision, DecisionStatus
from coalition.extensions import db
from tests.decisions.conftest import local_text, url


@pytest.fixture
def boss(app, organizer, login):
    client = app.test_client()
    login(client, organizer)
    return client


def _fresh(decision):
    db.session.expire_all()
    return db.session.get(CollectiveDecision, decision.id)


def _edit_form(decision, title):
    return {
        "title": title,
        "body": "",
        "links": "",
        "campaign_id": "0",
        "meeting_id": "0",
        "audience": "members",
        "options": "Alpha\nBravo",
        "closes_at": local_text(decision.closes_at),
    }


def test_extend_moves_the_close_later_and_is_audited(boss, make_decision, audits):
    decision = make_decision(kind="poll")
    later = decision.closes_at + timedelta(days=2)
    response = boss.post(url(decision, "/extend"), data={"closes_at": local_text(later)})
    assert response.status_code == 302
    assert _fresh(decision).closes_at == later.replace(second=0, microsecond=0)
    assert "decision.extend" in audits(decision)


def test_close_early_freezes_the_result_and_is_audited(boss, make_decision, members, audits):
    decision = make_decision()
    answers.answer(decision, members[0], {"position": "agree"})
    db.session.commit()
    assert boss.post(url(decision, "/close")).status_code == 302
    closed = _fresh(decision)
    assert closed.status == DecisionStatus.CLOSED and closed.closes_at <= utcnow()
    assert closed.result["counts"]["agree"] == 1 and closed.answered_count == 1
    with pytest.raises(DecisionError):
        answers.answer(closed, members[1], {"position": "block"}, "late")
    assert "decision.close" in audits(decision)


def test_reopen_a_named_decision_is_audited(boss, make_decision, organizer, audits):
    decision = make_decision()
    services.close_decision(decision, organizer)
    db.session.commit()
    later = utcnow() + timedelta(days=2)
    assert boss.post(url(decision, "/reopen"), data={"closes_at": local_text(later)}).status_code == 302
    reopened = _fresh(decision)
    assert reopened.status == DecisionStatus.OPEN and reopened.result is None
    assert audits(decision)[-2:] == ["decision.close", "decision.reopen"]


def test_anonymous_decision_cannot_be_reopened(boss, make_decision, organizer, audits):
    decision = make_decision(privacy="anonymous")
    services.close_decision(decision, organizer)
    db.session.commit()
    later = utcnow() + timedelta(days=2)
    page = boss.get(url(decision)).get_data(as_text=True)
    assert "Reopen" not in page
    response = boss.post(url(decision, "/reopen"), data={"closes_at": local_text(later)}, follow_redirects=True)
    assert "cannot be reopened" in response.get_data(as_text=True)
    assert _fresh(decision).status == DecisionStatus.CLOSED
    assert "decision.reopen" not in audits(decision)


def test_withdraw_is_audited_and_nobody_can_answer_then(boss, make_decision, members, audits):
    decision = make_decision()
    assert boss.post(url(decision, "/withdraw")).status_code == 302
    assert _fresh(decision).status == DecisionStatus.WITHDRAWN
    with pytest.raises(DecisionError):
        answers.answer(_fresh(decision), members[0], {"position": "agree"})
    assert "decision.withdraw" in audits(decision)


def test_edit_is_possible_until_the_first_answer(boss, make_decision, members, audits):
    decision = make_decision(kind="poll")
    assert boss.post(url(decision, "/edit"), data=_edit_form(decision, "Renamed once")).status_code == 302
    assert _fresh(decision).title == "Renamed once"
    assert "decision.edit" in audits(decision)
    edited = _fresh(decision)
    answers.answer(edited, members[0], {"options": [edited.options[0].id]})
    db.session.commit()
    response = boss.post(url(decision, "/edit"), data=_edit_form(decision, "Renamed twice"), follow_redirects=True)
    assert "can no longer be edited" in response.get_data(as_text=True)
    assert _fresh(decision).title == "Renamed once"


def test_the_page_lists_who_has_not_answered_for_organizers_only(app, boss, make_decision, members, login):
    decision = make_decision()
    answers.answer(decision, members[0], {"position": "agree"})
    db.session.commit()
    page = boss.get(url(decision)).get_data(as_text=True)
    pending = page.split("Not answered yet", 1)[1]
    assert members[0].display_name not in pending
    assert all(m.display_name in pending for m in members[1:])
    member = app.test_client()
    login(member, members[1])
    assert "Not answered yet" not in member.get(url(decision)).get_data(as_text=True)


def test_manual_reminder_is_audited_and_goes_only_to_those_who_have_not_answered(
    boss, make_decision, members, organizer, outbox, audits
):
    decision = make_decision(privacy="anonymous")
    answers.answer(decision, members[0], {"position": "agree"})
    db.session.commit()
    boss.post(url(decision, "/remind"))
    to = sorted(m.to_address for m in outbox(kind="decision_reminder"))
    assert to == sorted([m.email for m in members[1:]] + [organizer.email])
    assert audits(decision).count("decision.remind") == 1
    assert eligibility.answer_count(decision) == 1


def test_members_cannot_manage(app, make_decision, members, login):
    decision = make_decision()
    member = app.test_client()
    login(member, members[0])
    for suffix in ("/close", "/withdraw", "/remind"):
        assert member.post(url(decision, suffix)).status_code == 403
    assert _fresh(decision).status == DecisionStatus.OPEN
