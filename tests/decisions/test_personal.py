"""Decisions in "export my data" and "delete my account": named answers are mine; an anonymous ballot never is."""

import json

from sqlalchemy import func, select

from coalition.accounts.services import delete_account, export_personal_data
from coalition.decisions import answers, eligibility, services
from coalition.decisions.models import AnonymousBallot, DecisionAnswer, DecisionParticipation
from coalition.extensions import db


def test_export_holds_my_named_answers_and_only_the_fact_of_anonymous_ones(make_decision, members):
    named = make_decision(title="Named question", privacy="open")
    secret = make_decision(title="Secret question", privacy="anonymous")
    answers.answer(named, members[0], {"position": "block"}, "Rent first")
    answers.answer(secret, members[0], {"position": "disagree"}, "my anonymous reason")
    db.session.commit()
    data = export_personal_data(members[0])["decisions"]
    assert data["answers"] == [{"decision": "Named question", "answer": {"position": "block"}, "comment": "Rent first"}]
    assert data["anonymous_decisions_answered"] == ["Secret question"]
    text = json.dumps(data)
    assert "my anonymous reason" not in text and "disagree" not in text


def test_erase_removes_named_answers_and_participations_but_keeps_anonymous_totals(make_decision, members, organizer):
    named = make_decision(privacy="open")
    secret = make_decision(privacy="anonymous")
    answers.answer(named, members[0], {"position": "agree"})
    answers.answer(secret, members[0], {"position": "agree"})
    db.session.commit()
    delete_account(members[0], keep_stories_anonymised=False)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DecisionAnswer)) == 0
    assert db.session.scalar(select(func.count()).select_from(DecisionParticipation)) == 0
    assert db.session.scalar(select(func.count()).select_from(AnonymousBallot)) == 1
    assert eligibility.answer_count(named) == 0
    assert services.current_result(secret)["counts"]["agree"] == 1
