"""Testimony packets: consented stories only, attribution through present_story, shares, withdrawal."""

import pytest

from coalition.extensions import db
from coalition.stakeholders.models import Outreach, Packet, PacketItem
from coalition.stories.models import Attribution, StoryShare


@pytest.fixture
def packet_world(team, make_stakeholder, make_campaign, make_target, make_story, make_member, client, login):
    c = team["coalition"]
    campaign = make_campaign(c, title="Safe Homes Now")
    stakeholder = make_stakeholder(c, name="Council Member Reyes", organization="City Council")
    make_target(stakeholder, campaign, by=team["organizer"])
    tellers = [make_member(c, "member", name=name) for name in ("Rosa Delgado", "Jamal Carter", "Mei Chen")]
    stories = [
        make_story(c, tellers[0], campaign, attribution=Attribution.FULL),
        make_story(c, tellers[1], campaign, attribution=Attribution.FIRST_INITIAL),
        make_story(c, tellers[2], campaign, attribution=Attribution.ANONYMOUS),
    ]
    login(client, team["organizer"])
    base = f"/c/{c.slug}/stakeholders/campaigns/{campaign.id}/packet"
    return dict(team, campaign=campaign, stakeholder=stakeholder, tellers=tellers, stories=stories, base=base)


def _deliver(client, world, stories):
    return client.post(
        world["base"] + "/deliver",
        data={"stakeholder_id": world["stakeholder"].id, "story": [s.id for s in stories], "note": "At the hearing"},
    )


def test_only_consented_approved_stories_can_be_chosen(client, packet_world, make_story):
    c, campaign = packet_world["coalition"], packet_world["campaign"]
    private = make_story(c, packet_world["tellers"][0], campaign, title="Private one", share_with_decision_makers=False)
    page = client.get(packet_world["base"]).get_data(as_text=True)
    assert packet_world["stories"][0].title in page
    assert private.title not in page
    response = client.get(packet_world["base"] + f"/preview?story={private.id}")
    assert response.status_code == 302


def test_preview_honours_attribution_and_is_printable(client, packet_world):
    query = "&".join(f"story={s.id}" for s in packet_world["stories"])
    page = client.get(packet_world["base"] + "/preview?" + query).get_data(as_text=True)
    assert "Told by Rosa Delgado" in page and "Told by Jamal C." in page and "Told by Anonymous" in page
    assert "Mei Chen" not in page
    assert page.count('class="packet-story page-break"') == 2
    assert db.session.scalar(db.select(db.func.count(Packet.id))) == 0


def test_withdrawn_story_never_shows_again_and_the_others_see_the_share(client, packet_world):
    from coalition.stories.services import withdraw_story

    stories, tellers = packet_world["stories"], packet_world["tellers"]
    response = _deliver(client, packet_world, stories)
    assert response.status_code == 302
    packet = db.session.scalar(db.select(Packet))
    assert (
        db.session.scalar(db.select(Outreach.channel).where(Outreach.id == packet.outreach_id)) == "stories_delivered"
    )
    assert db.session.scalar(db.select(db.func.count(PacketItem.id))) == 3

    withdraw_story(stories[0], tellers[0])
    db.session.commit()
    withdrawn_text = stories[0].body
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert withdrawn_text not in page
    assert "withdrawn by the storyteller" in page
    assert stories[1].body in page and stories[2].body in page

    for story, teller in zip(stories[1:], tellers[1:], strict=True):
        shares = db.session.scalars(db.select(StoryShare).where(StoryShare.story_id == story.id)).all()
        assert [(s.recipient_name, s.packet_id) for s in shares] == [("Council Member Reyes", packet.id)]
        assert story.storyteller_id == teller.id


def test_a_story_withdrawn_before_delivery_cannot_enter_the_packet(client, packet_world):
    from coalition.stories.services import withdraw_story

    stories = packet_world["stories"]
    withdraw_story(stories[1], packet_world["tellers"][1])
    db.session.commit()
    assert client.get(packet_world["base"] + f"/preview?story={stories[1].id}").status_code == 302
    response = _deliver(client, packet_world, stories)
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Packet.id))) == 0
    assert db.session.scalar(db.select(db.func.count(StoryShare.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Outreach.id))) == 0


def test_stories_of_another_coalition_cannot_enter_a_packet(client, packet_world, make_story, make_member):
    other = packet_world["other"]
    foreign = make_story(other, make_member(other), None)
    _deliver(client, packet_world, [foreign])
    assert db.session.scalar(db.select(db.func.count(Packet.id))) == 0


def test_packet_goes_only_to_a_stakeholder_of_this_coalition(client, packet_world, make_stakeholder):
    foreign = make_stakeholder(packet_world["other"])
    client.post(
        packet_world["base"] + "/deliver", data={"stakeholder_id": foreign.id, "story": [packet_world["stories"][0].id]}
    )
    assert db.session.scalar(db.select(db.func.count(Packet.id))) == 0


def test_member_cannot_build_or_see_a_packet(client, login, packet_world, app):
    _deliver(client, packet_world, packet_world["stories"][:1])
    packet = db.session.scalar(db.select(Packet))
    member = app.test_client()
    login(member, packet_world["member"])
    slug = packet_world["coalition"].slug
    assert member.get(f"/c/{slug}/stakeholders/packets/{packet.id}").status_code == 403
    assert member.get(packet_world["base"]).status_code == 403
    assert _deliver(member, packet_world, packet_world["stories"]).status_code == 403
