"""The updates timeline and following a campaign: who gets mail, and when."""

from sqlalchemy import func, select

from coalition.campaigns.models import CampaignFollower, CampaignUpdate
from coalition.campaigns.services import follow_campaign
from coalition.extensions import db


def follow(campaign, *users):
    for user in users:
        follow_campaign(campaign, user)
    db.session.commit()


def test_member_follows_and_unfollows(client, make_coalition, make_member, make_campaign, login):
    coalition = make_coalition()
    member = make_member(coalition, "member")
    campaign = make_campaign(coalition)
    login(client, member)
    base = f"/c/{coalition.slug}/campaigns/{campaign.id}"
    client.post(f"{base}/follow")
    client.post(f"{base}/follow")  # twice is the same as once
    assert db.session.scalar(select(func.count(CampaignFollower.id))) == 1
    assert "Stop following" in client.get(base).get_data(as_text=True)
    client.post(f"{base}/unfollow")
    assert db.session.scalar(select(func.count(CampaignFollower.id))) == 0


def test_update_is_mailed_only_to_followers_who_want_campaign_mail(
    organizer_client, make_member, make_campaign, outbox
):
    client, coalition, organizer = organizer_client
    campaign = make_campaign(coalition, title="Safe Homes Now")
    keen = make_member(coalition, "member")
    quiet = make_member(coalition, "member", notify_campaigns=False)
    make_member(coalition, "member")  # not following
    follow(campaign, keen, quiet, organizer)
    response = client.post(f"/c/{coalition.slug}/campaigns/{campaign.id}/updates", data={"body": "We met the council!"})
    assert response.status_code == 302
    mails = outbox(kind="campaign_update")
    assert [m.to_address for m in mails] == [keen.email]
    assert "Update on Safe Homes Now" == mails[0].subject
    assert "We met the council!" in mails[0].body_text
    assert f"/c/{coalition.slug}/campaigns/{campaign.id}" in mails[0].body_text
    assert "/account/profile" in mails[0].body_text  # how to stop these mails


def test_removed_member_who_followed_gets_no_mail(organizer_client, make_member, make_campaign, outbox):
    from coalition.coalitions.models import Membership, MembershipStatus

    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    former = make_member(coalition, "member")
    follow(campaign, former)
    db.session.scalar(select(Membership).where(Membership.user_id == former.id)).status = MembershipStatus.REMOVED
    db.session.commit()
    client.post(f"/c/{coalition.slug}/campaigns/{campaign.id}/updates", data={"body": "News"})
    assert outbox(kind="campaign_update") == []


def test_update_appears_on_timeline_with_author(organizer_client, make_campaign):
    client, coalition, organizer = organizer_client
    campaign = make_campaign(coalition)
    client.post(f"/c/{coalition.slug}/campaigns/{campaign.id}/updates", data={"body": "First **win**"})
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    assert "First <strong>win</strong>" in page
    assert organizer.display_name in page


def test_update_with_script_is_sanitised(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    client.post(
        f"/c/{coalition.slug}/campaigns/{campaign.id}/updates",
        data={"body": "<script>alert(1)</script> [x](javascript:alert(1))"},
    )
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and 'href="javascript' not in page


def test_empty_update_is_refused(organizer_client, make_campaign, outbox):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    response = client.post(
        f"/c/{coalition.slug}/campaigns/{campaign.id}/updates", data={"body": "   "}, follow_redirects=True
    )
    assert "Please write the update." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CampaignUpdate.id))) == 0


def test_archived_campaign_takes_no_updates_or_followers(client, make_coalition, make_member, make_campaign, login):
    coalition = make_coalition()
    lead = make_member(coalition, "lead")
    campaign = make_campaign(coalition, status="archived")
    login(client, lead)
    base = f"/c/{coalition.slug}/campaigns/{campaign.id}"
    assert client.post(f"{base}/updates", data={"body": "News"}).status_code == 403
    assert client.post(f"{base}/follow").status_code == 403
    assert db.session.scalar(select(func.count(CampaignUpdate.id))) == 0


def test_follow_race_leaves_one_row(make_coalition, make_member, make_campaign, monkeypatch):
    from coalition.campaigns import services

    coalition = make_coalition()
    member = make_member(coalition, "member")
    campaign = make_campaign(coalition)
    follow(campaign, member)
    monkeypatch.setattr(services, "is_following", lambda *args: False)  # as if a twin request passed the check
    services.follow_campaign(campaign, member)
    db.session.commit()
    assert db.session.scalar(select(func.count(CampaignFollower.id))) == 1
