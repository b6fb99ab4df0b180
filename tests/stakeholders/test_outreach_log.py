"""A stakeholder's outreach log, a page at a time, newest first; a link to one entry lands on the page holding it."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from coalition.coalitions.models import Coalition
from coalition.extensions import db
from coalition.stakeholders.models import Outreach

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def logged(app, team, make_stakeholder):
    """A stakeholder with a page and five entries of outreach (entry n happened n days after START), and another
    stakeholder with one entry; returns (stakeholder, [entries oldest first], other's entry)."""
    per_page = app.config["PER_PAGE"]
    stakeholder = make_stakeholder(team["coalition"], name="Councilmember Ortiz")
    entries = [_entry(stakeholder, team, number) for number in range(per_page + 5)]
    other = make_stakeholder(team["coalition"], name="Landlord Vance")
    elsewhere = _entry(other, team, 0)
    db.session.commit()
    return stakeholder, entries, elsewhere


def _entry(stakeholder, team, number: int) -> Outreach:
    entry = Outreach(
        coalition_id=stakeholder.coalition_id,
        stakeholder_id=stakeholder.id,
        occurred_at=START + timedelta(days=number),
        channel="call",
        summary=f"Call number {number}.",
        response="awaiting",
        logged_by_id=team["organizer"].id,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _shown(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<li id="outreach-(\d+)"', page)]


def _slug(stakeholder) -> str:
    return db.session.get(Coalition, stakeholder.coalition_id).slug


def _page(client, stakeholder, query: str = "") -> str:
    response = client.get(f"/c/{_slug(stakeholder)}/stakeholders/{stakeholder.id}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_log_shows_the_newest_page_first_and_the_rest_on_later_pages(app, client, login, team, logged):
    stakeholder, entries, _elsewhere = logged
    per_page = app.config["PER_PAGE"]
    login(client, team["organizer"])
    first = _page(client, stakeholder)
    assert _shown(first) == [entry.id for entry in reversed(entries)][:per_page]
    assert 'aria-label="Pages of the outreach log"' in first and f"{len(entries)} in all" in first
    second = _page(client, stakeholder, "?page=2")
    assert _shown(second) == [entry.id for entry in reversed(entries[:5])]


def test_a_link_to_an_old_entry_opens_the_page_holding_it(client, login, team, logged):
    stakeholder, entries, _elsewhere = logged
    login(client, team["organizer"])
    oldest, newest = entries[0], entries[-1]
    assert oldest.id in _shown(_page(client, stakeholder, f"?outreach={oldest.id}"))
    assert newest.id in _shown(_page(client, stakeholder, f"?outreach={newest.id}"))


def test_an_entry_of_another_stakeholder_or_a_bad_id_opens_the_first_page(app, client, login, team, logged):
    stakeholder, entries, elsewhere = logged
    login(client, team["organizer"])
    newest_page = [entry.id for entry in reversed(entries)][: app.config["PER_PAGE"]]
    for query in (f"?outreach={elsewhere.id}", "?outreach=999999", "?outreach=x", "?outreach=-3"):
        page = _page(client, stakeholder, query)
        assert _shown(page) == newest_page


def test_a_stance_change_links_to_its_outreach_on_another_page(client, login, team, logged, make_campaign):
    from coalition.stakeholders.models import CampaignTarget, StanceChange

    stakeholder, entries, _elsewhere = logged
    campaign = make_campaign(team["coalition"], title="Rent Relief")
    target = CampaignTarget(
        coalition_id=stakeholder.coalition_id, campaign_id=campaign.id, stakeholder_id=stakeholder.id, stance="neutral"
    )
    db.session.add(target)
    db.session.flush()
    for entry in (entries[0], entries[-1]):
        db.session.add(
            StanceChange(
                coalition_id=stakeholder.coalition_id,
                campaign_id=campaign.id,
                target_id=target.id,
                new_stance="supportive",
                outreach_id=entry.id,
            )
        )
    db.session.commit()
    login(client, team["organizer"])
    page = _page(client, stakeholder)
    assert f'href="#outreach-{entries[-1].id}"' in page  # on this page: the anchor alone
    assert f'?outreach={entries[0].id}#outreach-{entries[0].id}"' in page  # on page 2: the page holding it


def test_the_page_runs_as_many_statements_however_long_the_log(client, login, team, make_stakeholder, count_queries):
    login(client, team["organizer"])
    counts = []
    for size in (30, 90):
        stakeholder = make_stakeholder(team["coalition"], name=f"Official {size}")
        entries = [_entry(stakeholder, team, number) for number in range(size)]
        db.session.commit()
        for query in ("", f"?outreach={entries[0].id}"):
            with count_queries() as counter:
                _page(client, stakeholder, query)
            counts.append(counter.count)
    assert counts[0] == counts[2] and counts[1] == counts[3]


def test_follow_ups_link_to_the_page_of_their_entry(client, login, team, logged):
    stakeholder, entries, _elsewhere = logged
    old = entries[0]
    old.follow_up_on = START.date()
    old.follow_up_owner_id = team["organizer"].id
    db.session.commit()
    login(client, team["organizer"])
    response = client.get(f"/c/{_slug(stakeholder)}/stakeholders/follow-ups?scope=all")
    assert f"/stakeholders/{stakeholder.id}?outreach={old.id}#outreach-{old.id}" in response.get_data(as_text=True)
