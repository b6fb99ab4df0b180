"""The public campaign page: visible to anyone when on and not archived, showing no member data."""

import pytest

from coalition.campaigns.services import get_public_campaign
from coalition.extensions import db


def public_url(coalition, slug="safe-homes-now"):
    return f"/c/{coalition.slug}/campaigns/public/{slug}"


def test_visitor_reads_public_page_when_switched_on(client, make_coalition, make_campaign):
    coalition = make_coalition()
    make_campaign(coalition, title="Safe Homes Now", public_page=True, summary="Repairs for all.", story_goal=50)
    response = client.get(public_url(coalition))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Safe Homes Now" in page and "Repairs for all." in page
    assert "0 of 50 stories collected" in page


def test_public_page_leads_visitors_to_the_public_stories_of_the_campaign(client, make_coalition, make_campaign):
    coalition = make_coalition()
    make_campaign(coalition, title="Safe Homes Now", public_page=True)
    page = client.get(public_url(coalition)).get_data(as_text=True)
    link = f"/c/{coalition.slug}/stories/public?campaign=safe-homes-now"
    assert link in page
    assert client.get(link).status_code == 200


@pytest.mark.parametrize("fields", [{"public_page": False}, {"public_page": True, "status": "archived"}])
def test_public_page_is_404_when_off_or_archived(client, make_coalition, make_campaign, fields):
    coalition = make_coalition()
    make_campaign(coalition, title="Safe Homes Now", **fields)
    assert client.get(public_url(coalition)).status_code == 404
    assert get_public_campaign(coalition, "safe-homes-now") is None


def test_public_page_is_404_under_another_coalition(client, make_coalition, make_campaign):
    coalition, other = make_coalition(), make_coalition()
    make_campaign(coalition, title="Safe Homes Now", public_page=True)
    assert client.get(public_url(other)).status_code == 404


def test_public_page_shows_no_member_data(client, make_coalition, make_member, make_campaign):
    from coalition.campaigns.services import follow_campaign, post_update

    coalition = make_coalition()
    organizer = make_member(coalition, "organizer", name="Olga Organizer")
    member = make_member(coalition, "member", name="Marta Member")
    campaign = make_campaign(coalition, title="Safe Homes Now", public_page=True)
    follow_campaign(campaign, member)
    post_update(campaign, organizer, "Internal note for members only.")
    db.session.commit()
    page = client.get(public_url(coalition)).get_data(as_text=True)
    for private in ("Olga Organizer", "Marta Member", member.email, organizer.email, "Internal note", "follow"):
        assert private not in page


def test_switching_public_page_off_hides_it(client, make_coalition, make_campaign):
    coalition = make_coalition()
    campaign = make_campaign(coalition, title="Safe Homes Now", public_page=True)
    assert client.get(public_url(coalition)).status_code == 200
    campaign.public_page = False
    db.session.commit()
    assert client.get(public_url(coalition)).status_code == 404


def test_public_page_escapes_hostile_text(client, make_coalition, make_campaign):
    coalition = make_coalition()
    make_campaign(
        coalition, title="<script>x()</script>", slug="hostile", public_page=True, goal="<img src=x onerror=y>"
    )
    page = client.get(public_url(coalition, "hostile")).get_data(as_text=True)
    assert "<script>x()" not in page and "<img src=x" not in page
