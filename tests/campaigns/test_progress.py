"""Goal progress counts approved stories that are still standing, on the page, the list and the public page."""

from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stories.models import Story, StoryStatus


def add_stories(campaign, approved=0, withdrawn=0, submitted=0):
    rows = [{"status": StoryStatus.APPROVED}] * approved
    rows += [{"status": StoryStatus.APPROVED, "withdrawn_at": utcnow()}] * withdrawn
    rows += [{"status": StoryStatus.SUBMITTED}] * submitted
    for fields in rows:
        db.session.add(Story(coalition_id=campaign.coalition_id, campaign_id=campaign.id, title="A story", **fields))
    db.session.commit()


def test_progress_counts_only_approved_standing_stories(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    coalition.suppression_threshold = 1  # the public page suppresses small counts: tested in test_momentum
    campaign = make_campaign(coalition, title="Safe Homes Now", story_goal=4, public_page=True)
    add_stories(campaign, approved=2, withdrawn=1, submitted=3)
    for url in (
        f"/c/{coalition.slug}/campaigns/{campaign.id}",
        f"/c/{coalition.slug}/campaigns/",
        f"/c/{coalition.slug}/campaigns/public/safe-homes-now",
    ):
        assert "2 of 4 stories collected (50%)" in client.get(url).get_data(as_text=True)


def test_progress_beyond_goal_is_capped_at_full(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition, story_goal=2)
    add_stories(campaign, approved=3)
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    assert "3 of 2 stories collected (100%)" in page


def test_campaign_without_goal_shows_plain_count(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    add_stories(campaign, approved=1)
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    assert "1 story collected" in page
