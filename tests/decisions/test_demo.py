"""The demo: an open proposal with answers and a block, a closed ranked-choice decision with its rounds and an
outcome, an open time poll for the next house meeting — and every decision page renders for each demo role."""

import pytest
from sqlalchemy import select

from coalition.accounts.models import User
from coalition.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SLUG
from coalition.decisions import eligibility
from coalition.decisions.models import CollectiveDecision, DecisionKind, DecisionStatus
from coalition.demo import seed_demo
from coalition.extensions import db


@pytest.fixture
def demo(db):
    assert seed_demo()
    db.session.commit()
    return {d.kind: d for d in db.session.scalars(select(CollectiveDecision))}


def test_demo_has_an_open_proposal_with_answers_and_a_block(demo):
    proposal = demo[DecisionKind.PROPOSAL]
    assert proposal.status == DecisionStatus.OPEN and proposal.is_accepting
    assert eligibility.answer_count(proposal) >= 3
    from coalition.decisions.results import raw_result

    assert raw_result(proposal)["counts"]["block"] == 1


def test_demo_has_a_closed_ranked_choice_decision_with_rounds_and_an_outcome(demo):
    ranked = demo[DecisionKind.RANKED]
    assert ranked.status == DecisionStatus.CLOSED and ranked.outcome
    assert len(ranked.result["rounds"]) == 2
    winner = next(o.label for o in ranked.options if o.id == ranked.result["winner"])
    assert winner == "Housing board"


def test_demo_ranked_rounds_are_readable_on_the_page(app, demo):
    from coalition.decisions.results import present

    lead = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS["member"][0]))
    presented = present(demo[DecisionKind.RANKED], lead)
    assert [cell for cell in presented.rounds[0]["cells"]] == [
        ("City council", "2"),
        ("Housing board", "2"),
        ("Zoning committee", "1"),
    ]
    assert presented.winner == "Housing board"


def test_demo_has_an_open_time_poll_for_the_next_house_meeting(demo):
    poll = demo[DecisionKind.TIME_POLL]
    assert poll.is_accepting and "house meeting" in poll.title.lower()
    assert len(poll.options) == 3 and all(o.starts_at for o in poll.options)


@pytest.mark.parametrize("role", ["lead", "organizer", "member"])
def test_every_decision_page_renders_for_each_demo_role(app, demo, role):
    client = app.test_client()
    email = DEMO_ACCOUNTS[role][0]
    assert client.post("/account/login", data={"email": email, "password": DEMO_PASSWORD}).status_code == 302
    base = f"/c/{DEMO_SLUG}/decisions"
    pages = [f"{base}/", f"{base}/?state=closed", f"{base}/?state=drafts", f"{base}/?needs_me=1&kind=poll"]
    for decision in demo.values():
        pages.append(f"{base}/{decision.id}")
        pages.append(f"{base}/{decision.id}/result.csv")
    manage = role != "member"
    if manage:
        pages.append(f"{base}/new")
        for decision in demo.values():
            pages.append(f"{base}/{decision.id}/outcome")
            what = "reopen" if decision.status == DecisionStatus.CLOSED else "extend"
            pages.append(f"{base}/{decision.id}/{what}")
    campaign_id = demo[DecisionKind.PROPOSAL].campaign_id or demo[DecisionKind.RANKED].campaign_id
    assert campaign_id, "the demo proposal belongs to a campaign"
    if campaign_id:
        pages.append(f"{base}/checkins/{campaign_id}")
        pages.append(f"/c/{DEMO_SLUG}/campaigns/{campaign_id}")
    pages.append(f"/c/{DEMO_SLUG}/")
    for page in pages:
        response = client.get(page)
        assert response.status_code in (200, 404) if page.endswith(".csv") else response.status_code == 200, page
