"""Done means: an anonymous proposal with hidden results, answered on the page and from a mail link."""

import re

from sqlalchemy import inspect, select

from coalition.decisions import eligibility, links, services
from coalition.decisions.models import AnonymousBallot, DecisionParticipation
from coalition.extensions import db
from tests.decisions.conftest import url


def _mail_links(outbox, user):
    body = next(m for m in outbox(to=user.email) if m.kind == "decision_open").body_text
    return re.findall(r"http://coalition\.test(/\S+/answer/\S+)", body)


def _answer(client, decision, **data):
    return client.post(url(decision, "/answer"), data=data)


def test_anonymous_proposal_end_to_end(app, db, make_decision, members, organizer, login, outbox):
    decision = make_decision(privacy="anonymous", results_hidden=True)
    clients = []
    for person in members[:3]:
        client = app.test_client()
        login(client, person)
        clients.append(client)
    assert _answer(clients[0], decision, position="agree").status_code == 302
    assert _answer(clients[1], decision, position="agree").status_code == 302
    assert _answer(clients[2], decision, position="block", comment="Not safe").status_code == 302
    # one changes her answer (her browser keeps the receipt)
    _answer(clients[1], decision, position="abstain")
    # the fourth answers from her mail: the GET counts nothing, the POST does
    agree_link = _mail_links(outbox, members[3])[0]
    anonymous = app.test_client()
    assert anonymous.get(agree_link).status_code == 200
    assert eligibility.answer_count(decision) == 3
    response = anonymous.post(agree_link, data={})
    assert b"receipt" in response.data
    assert eligibility.answer_count(decision) == 4
    # before the close: no page, CSV or mail shows a count
    lead = app.test_client()
    login(lead, organizer)
    page = lead.get(url(decision)).get_data(as_text=True)
    assert "Answers so far" not in page and "Result (CSV)" not in page and "Results are hidden" in page
    assert lead.get(url(decision, "/result.csv")).status_code == 404
    assert not any(re.search(r"\b[1-4] (agree|abstain|block)", m.body_text, re.I) for m in outbox())
    # after the close
    services.close_decision(db.session.get(type(decision), decision.id), organizer)
    db.session.commit()
    assert decision.result["counts"] == {"agree": 2, "abstain": 1, "disagree": 0, "block": 1}
    csv = lead.get(url(decision, "/result.csv")).get_data(as_text=True)
    assert "fewer than 5" in csv
    assert not any(m.display_name in csv for m in members)


def test_anonymous_tables_have_no_column_tying_an_answer_to_a_person(db):
    columns = {c["name"] for c in inspect(db.engine).get_columns("decision_anonymous_ballots")}
    assert not {"user_id", "created_at", "updated_at", "participation_id"} & columns
    participation = {c["name"] for c in inspect(db.engine).get_columns("decision_participations")}
    assert not {"choice", "ballot_id", "receipt_hash", "created_at"} & participation


def test_ballot_ids_are_random_not_in_answer_order(make_decision, members):
    from coalition.decisions import answers

    decision = make_decision(privacy="anonymous")
    for person in members:
        answers.answer(decision, person, {"position": "agree"})
    db.session.commit()
    ids = list(db.session.scalars(select(AnonymousBallot.id).where(AnonymousBallot.decision_id == decision.id)))
    assert all(len(i) == 32 for i in ids) and len(set(ids)) == 5
    assert db.session.scalar(select(DecisionParticipation.id).limit(1)) is not None


def test_the_same_person_cannot_answer_twice_by_replaying_a_mail_link(app, make_decision, members, outbox):
    decision = make_decision(privacy="anonymous")
    link = _mail_links(outbox, members[0])[0]
    client = app.test_client()
    client.post(link, data={})
    again = client.post(link, data={})
    assert b"already answered" in again.data
    assert eligibility.answer_count(decision) == 1
    assert db.session.scalar(select(db.func.count()).select_from(AnonymousBallot)) == 1


def test_link_of_another_decision_forged_or_after_close_changes_nothing(app, make_decision, members, outbox, organizer):
    first = make_decision(privacy="anonymous")
    second = make_decision(privacy="anonymous")
    client = app.test_client()
    token = links.make_token(first, members[0], {"position": "agree"})
    wrong = client.post(url(second, f"/answer/{token}"), data={})
    assert wrong.status_code == 400 and b"another decision" in wrong.data
    forged = client.post(url(first, f"/answer/{token[:-3]}abc"), data={})
    assert forged.status_code == 400 and b"not valid" in forged.data
    services.close_decision(first, organizer)
    db.session.commit()
    late = client.post(url(first, f"/answer/{token}"), data={})
    assert late.status_code == 400 and b"closed" in late.data
    assert eligibility.answer_count(first) == 0 and eligibility.answer_count(second) == 0


def test_changing_an_anonymous_answer_needs_the_receipt(make_decision, members):
    from coalition.decisions import answers
    from coalition.decisions.errors import DecisionError

    decision = make_decision(privacy="anonymous")
    receipt = answers.answer(decision, members[0], {"position": "agree"})
    try:
        answers.answer(decision, members[0], {"position": "abstain"})
    except DecisionError:
        pass
    else:
        raise AssertionError("changed without a receipt")
    answers.answer(decision, members[0], {"position": "abstain"}, receipt=receipt)
    assert services.current_result(decision)["counts"]["abstain"] == 1
    assert services.current_result(decision)["counts"]["agree"] == 0
