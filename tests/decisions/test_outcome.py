"""The outcome: mailed once to everyone eligible in their language; action items reach their owners' dashboards."""

import pytest

from coalition.decisions import answers, outcome, services
from coalition.decisions.errors import DecisionError
from coalition.extensions import db
from tests.decisions.conftest import url


def _closed(make_decision, organizer, members, **fields):
    decision = make_decision(**fields)
    answers.answer(decision, members[0], {"position": "agree"})
    services.close_decision(decision, organizer)
    db.session.commit()
    return decision


def test_outcome_is_mailed_once_to_everyone_eligible_in_their_language(
    app, login, make_decision, organizer, members, outbox, audits
):
    members[1].locale = "es"
    db.session.commit()
    decision = _closed(make_decision, organizer, members)
    client = app.test_client()
    login(client, organizer)
    form = {"outcome": "We lead with repairs.", "submit": "1"}
    assert client.post(url(decision, "/outcome"), data=form).status_code == 302
    client.post(url(decision, "/outcome"), data=form)
    mails = outbox(kind="decision_outcome")
    assert sorted(m.to_address for m in mails) == sorted([m.email for m in members] + [organizer.email])
    spanish = next(m for m in mails if m.to_address == members[1].email)
    english = next(m for m in mails if m.to_address == members[2].email)
    assert "Hola" in spanish.body_text and "Recibes este mensaje" in spanish.body_text
    assert "Hello" in english.body_text and "We lead with repairs." in english.body_text
    assert "decision.outcome" in audits(decision)


def test_outcome_goes_only_to_the_people_the_decision_was_for(make_decision, make_member, coalition, organizer, outbox):
    team = make_member(coalition, "lead")
    decision = make_decision(audience="team")
    services.close_decision(decision, organizer)
    outcome.write_outcome(decision, organizer, "Done.")
    db.session.commit()
    assert sorted(m.to_address for m in outbox(kind="decision_outcome")) == sorted([organizer.email, team.email])


def test_outcome_needs_the_decision_closed(make_decision, organizer):
    decision = make_decision()
    with pytest.raises(DecisionError):
        outcome.write_outcome(decision, organizer, "Too soon")


def test_action_item_from_an_outcome_appears_on_its_owners_dashboard(
    app, login, make_decision, organizer, members, coalition
):
    decision = _closed(make_decision, organizer, members)
    client = app.test_client()
    login(client, organizer)
    form = {"item-title": "Book the bus to the hearing", "item-owner_id": str(members[2].id), "item-submit": "1"}
    assert client.post(url(decision, "/outcome"), data=form).status_code == 302
    assert [item.title for item in outcome.action_items(decision)] == ["Book the bus to the hearing"]
    owner = app.test_client()
    login(owner, members[2])
    assert "Book the bus to the hearing" in owner.get(f"/c/{coalition.slug}/").get_data(as_text=True)
    someone = app.test_client()
    login(someone, members[3])
    assert "Book the bus to the hearing" not in someone.get(f"/c/{coalition.slug}/").get_data(as_text=True)
    assert "Book the bus to the hearing" in someone.get(url(decision)).get_data(as_text=True)


def test_owner_edits_an_action_item_from_an_outcome_on_its_page(
    app, login, make_decision, organizer, members, coalition
):
    decision = _closed(make_decision, organizer, members)
    client = app.test_client()
    login(client, organizer)
    form = {"item-title": "Print the flyers", "item-owner_id": str(members[2].id), "item-submit": "1"}
    client.post(url(decision, "/outcome"), data=form)
    (item,) = outcome.action_items(decision)
    owner = app.test_client()
    login(owner, members[2])
    page = owner.get(f"/c/{coalition.slug}/meetings/actions/{item.id}/edit")
    assert page.status_code == 200  # no meeting to go back to: the way back is the dashboard
    assert f'href="/c/{coalition.slug}/"' in page.get_data(as_text=True)
