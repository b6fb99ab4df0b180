"""What campaigns add elsewhere: dashboard panel, personal data export and erasure, demo data, choices."""

from sqlalchemy import select

from coalition.campaigns.models import Campaign, CampaignFollower, CampaignStatus, CampaignUpdate, QuestionKind
from coalition.campaigns.services import campaign_choices, follow_campaign, post_update
from coalition.extensions import db


def test_dashboard_shows_active_campaigns_only(client, make_coalition, make_member, make_campaign, login):
    coalition = make_coalition()
    make_campaign(coalition, title="Running now", story_goal=20)
    make_campaign(coalition, title="Still planning", status="planning")
    login(client, make_member(coalition, "member"))
    page = client.get(f"/c/{coalition.slug}/").get_data(as_text=True)
    assert "Running now" in page and "0 of 20 stories collected" in page
    assert "Still planning" not in page


def test_campaign_choices_list_open_campaigns_of_the_coalition(make_coalition, make_campaign):
    coalition = make_coalition()
    won = make_campaign(coalition, title="B won", status="won")
    active = make_campaign(coalition, title="A active")
    make_campaign(coalition, title="C archived", status="archived")
    make_campaign(make_coalition(), title="Elsewhere")
    assert campaign_choices(coalition) == [(active.id, "A active"), (won.id, "B won")]


def test_export_lists_follows_and_updates_written(make_coalition, make_member, make_campaign):
    from coalition.campaigns.hooks import export_campaign_follows

    coalition = make_coalition()
    organizer = make_member(coalition, "organizer")
    campaign = make_campaign(coalition, title="Safe Homes Now")
    follow_campaign(campaign, organizer)
    post_update(campaign, organizer, "We won a meeting.")
    db.session.commit()
    data = export_campaign_follows(organizer)
    assert [f["campaign"] for f in data["following"]] == ["Safe Homes Now"]
    assert data["updates_written"][0]["body"] == "We won a meeting."


def test_deleting_account_removes_follows_and_keeps_updates_without_author(make_coalition, make_member, make_campaign):
    from coalition.accounts.services import delete_account

    coalition = make_coalition()
    organizer = make_member(coalition, "organizer")
    campaign = make_campaign(coalition)
    follow_campaign(campaign, organizer)
    post_update(campaign, organizer, "Kept for the record.")
    db.session.commit()
    delete_account(organizer, keep_stories_anonymised=True)
    db.session.commit()
    assert db.session.scalars(select(CampaignFollower)).all() == []
    update = db.session.scalar(select(CampaignUpdate))
    assert update.body == "Kept for the record." and update.author_id is None


def test_timeline_shows_former_member_for_deleted_author(client, make_coalition, make_member, make_campaign, login):
    from coalition.accounts.services import delete_account

    coalition = make_coalition()
    author = make_member(coalition, "organizer", name="Gone Person")
    campaign = make_campaign(coalition)
    post_update(campaign, author, "Old news.")
    db.session.commit()
    delete_account(author, keep_stories_anonymised=True)
    db.session.commit()
    login(client, make_member(coalition, "member"))
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Old news." in page and "Gone Person" not in page and "a former member" in page


def test_demo_seeds_safe_homes_now_with_four_questions(app):
    from coalition.demo import seed_demo

    assert seed_demo()
    db.session.commit()
    safe_homes = db.session.scalar(select(Campaign).where(Campaign.slug == "safe-homes-now"))
    assert safe_homes.status == CampaignStatus.ACTIVE and safe_homes.public_page and safe_homes.story_goal == 50
    assert [q.kind for q in safe_homes.questions] == [
        QuestionKind.NUMBER,
        QuestionKind.YES_NO,
        QuestionKind.CHOICE,
        QuestionKind.SHORT_TEXT,
    ]
    assert safe_homes.questions[2].choices == ["Mould", "Heating", "Pests", "Leaks"]
    assert len(safe_homes.updates) == 2
    statuses = db.session.scalars(select(Campaign.status).order_by(Campaign.id)).all()
    assert statuses == [CampaignStatus.ACTIVE, CampaignStatus.PLANNING]


def test_demo_public_page_is_reachable(client, app):
    from coalition.core.demo import DEMO_SLUG
    from coalition.demo import seed_demo

    seed_demo()
    db.session.commit()
    response = client.get(f"/c/{DEMO_SLUG}/campaigns/public/safe-homes-now")
    assert response.status_code == 200
    assert "Riverside City Council" in response.get_data(as_text=True)
