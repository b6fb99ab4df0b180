"""Decision lists: open · closed · drafts, filters by campaign, meeting and kind, "needs my answer", search over
what was decided, pagination and a bounded number of queries."""

import pytest

from coalition.decisions import answers, outcome, services
from coalition.extensions import db


@pytest.fixture
def member_client(app, login, members):
    client = app.test_client()
    login(client, members[0])
    return client


@pytest.fixture
def boss(app, login, organizer):
    client = app.test_client()
    login(client, organizer)
    return client


def _list(client, coalition, **params):
    return client.get(f"/c/{coalition.slug}/decisions/", query_string=params).get_data(as_text=True)


def _close(decision, organizer, text=""):
    services.close_decision(decision, organizer)
    if text:
        outcome.write_outcome(decision, organizer, text)
    db.session.commit()


def test_open_closed_and_drafts(member_client, boss, coalition, make_decision, organizer):
    make_decision(title="Open one")
    _close(make_decision(title="Closed one"), organizer)
    make_decision(title="Draft one", draft=True)
    assert "Open one" in _list(member_client, coalition) and "Closed one" not in _list(member_client, coalition)
    closed = _list(member_client, coalition, state="closed")
    assert "Closed one" in closed and "Open one" not in closed and "1 of 6 took part" not in closed
    assert "0 of 6 took part" in closed
    assert "Draft one" in _list(boss, coalition, state="drafts")
    assert "Draft one" not in _list(member_client, coalition, state="drafts")


def test_filters_by_campaign_meeting_and_kind(member_client, coalition, make_decision, make_campaign, make_meeting):
    campaign, meeting = make_campaign("Repairs"), make_meeting()
    make_decision(title="Of the campaign", campaign_id=campaign.id)
    make_decision(title="Of the meeting", meeting_id=meeting.id, kind="poll")
    make_decision(title="Of nothing", kind="score")
    by_campaign = _list(member_client, coalition, campaign=campaign.id)
    assert "Of the campaign" in by_campaign and "Of the meeting" not in by_campaign
    by_meeting = _list(member_client, coalition, meeting=meeting.id)
    assert "Of the meeting" in by_meeting and "Of nothing" not in by_meeting
    by_kind = _list(member_client, coalition, kind="score")
    assert "Of nothing" in by_kind and "Of the campaign" not in by_kind


def test_needs_my_answer(member_client, coalition, make_decision, members):
    answered = make_decision(title="Answered already")
    make_decision(title="Waiting for me")
    answers.answer(answered, members[0], {"position": "agree"})
    db.session.commit()
    page = _list(member_client, coalition, needs_me="1")
    assert "Waiting for me" in page and "Answered already" not in page


def test_team_and_invited_decisions_are_listed_only_for_their_people(
    member_client, boss, coalition, make_decision, members
):
    make_decision(title="For the team", audience="team")
    invited = make_decision(title="For one person", audience="invited", draft=True)
    services.invite_people(invited, [members[1].id])
    services.open_decision(invited, invited.created_by)
    db.session.commit()
    assert "For the team" not in _list(member_client, coalition)
    assert "For one person" not in _list(member_client, coalition)
    assert "For the team" in _list(boss, coalition)


def test_closed_decisions_are_searchable_by_title_and_outcome(member_client, coalition, make_decision, organizer):
    _close(make_decision(title="Which hearing to pack"), organizer, "We pack the housing board.")
    _close(make_decision(title="Landlord offer"), organizer, "We refuse the offer.")
    by_title = _list(member_client, coalition, state="closed", q="hearing")
    assert "Which hearing to pack" in by_title and "Landlord offer" not in by_title
    by_outcome = _list(member_client, coalition, state="closed", q="REFUSE")
    assert "Landlord offer" in by_outcome and "Which hearing to pack" not in by_outcome


def test_lists_are_paginated(app, member_client, coalition, make_decision):
    per_page = app.config["PER_PAGE"]
    for n in range(per_page + 3):
        make_decision(title=f"Question number {n:03d}")
    first = _list(member_client, coalition)
    second = _list(member_client, coalition, page=2)
    assert first.count("Question number") == per_page
    assert second.count("Question number") == 3


def test_the_closed_list_runs_a_bounded_number_of_queries(
    member_client, coalition, make_decision, organizer, make_campaign, count_queries
):
    campaign = make_campaign()
    for n in range(3):
        _close(make_decision(title=f"Early {n}", campaign_id=campaign.id), organizer)
    _list(member_client, coalition, state="closed")
    with count_queries() as few:
        _list(member_client, coalition, state="closed")
    for n in range(20):
        _close(make_decision(title=f"Later {n}", campaign_id=campaign.id), organizer)
    _list(member_client, coalition, state="closed")
    with count_queries() as many:
        _list(member_client, coalition, state="closed")
    assert many.count == few.count


def test_the_dashboard_lists_what_waits_for_my_answer(
    app, login, member_client, boss, coalition, make_decision, members
):
    answered = make_decision(title="Answered already")
    make_decision(title="Waiting for everyone")
    make_decision(title="For the team", audience="team")
    invited = make_decision(title="For one person", audience="invited", draft=True)
    services.invite_people(invited, [members[1].id])
    services.open_decision(invited, invited.created_by)
    answers.answer(answered, members[0], {"position": "agree"})
    db.session.commit()
    invitee = app.test_client()
    login(invitee, members[1])

    def panel(client):
        page = client.get(f"/c/{coalition.slug}/").get_data(as_text=True)
        return page[page.index("Waiting for my answer") :]

    mine = panel(member_client)
    assert "Waiting for everyone" in mine and "Answered already" not in mine
    assert "For the team" not in mine and "For one person" not in mine
    assert "For the team" in panel(boss)
    assert "For one person" in panel(invitee) and "Answered already" in panel(invitee)
