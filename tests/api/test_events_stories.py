"""Events and attendances (the web form's RSVP service), campaigns and outreaches, and public stories only."""

from sqlalchemy import select

from coalition.extensions import db
from coalition.meetings.models import MeetingVisibility, Rsvp
from coalition.stakeholders.models import Outreach, Stakeholder
from coalition.stakeholders.services import add_target
from coalition.stories.models import StoryStatus, StoryVisibility


def test_events_show_status_times_zone_capacity_and_accepted(api, team, make_key, make_meeting):
    make_meeting(team["coalition"], capacity=10, timezone="America/Chicago", address="12 Main St")
    event = api(make_key(team["coalition"], "read")).get("events").get_json()["_embedded"]["osdi:events"][0]
    assert event["status"] == "confirmed" and event["capacity"] == 10
    assert event["timezone_identifier"] == "America/Chicago" and event["start_date"].endswith("Z")
    assert event["location"]["address_lines"] == ["12 Main St"] and event["total_accepted"] == 0


def test_recording_attendance_on_a_full_meeting_puts_the_person_on_the_waitlist(api, team, make_key, make_meeting):
    meeting = make_meeting(team["coalition"], capacity=1)
    client = api(make_key(team["coalition"]))
    first = client.post(
        f"events/{meeting.public_id}/record_attendance_helper",
        json={"person": {"email_addresses": [{"address": team["organizer"].email}]}, "status": "accepted"},
    )
    assert first.get_json()["status"] == "accepted"
    second = client.post(
        f"events/{meeting.public_id}/record_attendance_helper",
        json={"person": {"email_addresses": [{"address": team["member"].email}]}, "status": "accepted"},
    )
    assert second.status_code == 201
    assert second.get_json()["status"] == "needs action"
    assert second.get_json()["custom_fields"]["waitlisted"] == "true"
    waiting = db.session.scalar(select(Rsvp).where(Rsvp.user_id == team["member"].id))
    assert waiting.waitlisted


def test_attendance_of_a_visitor_needs_a_public_meeting(api, team, make_key, make_meeting):
    private = make_meeting(team["coalition"])
    public = make_meeting(team["coalition"], visibility=MeetingVisibility.PUBLIC)
    client = api(make_key(team["coalition"]))
    body = {"person": {"given_name": "Vi", "family_name": "Sitor", "email_addresses": [{"address": "vi@example.org"}]}}
    assert client.post(f"events/{private.public_id}/attendances", json=body).status_code == 422
    assert client.post(f"events/{public.public_id}/attendances", json=body).status_code == 201
    listed = client.get(f"events/{public.public_id}/attendances").get_json()["_embedded"]["osdi:attendances"]
    assert listed[0]["person"]["email_addresses"][0]["address"] == "vi@example.org"
    assert listed[0]["custom_fields"]["visitor"] == "true"


def test_outreach_written_through_the_api_goes_to_the_log(api, team, make_key, make_campaign):
    campaign = make_campaign(team["coalition"])
    stakeholder = Stakeholder(coalition_id=team["coalition"].id, name="Council member Ruiz")
    db.session.add(stakeholder)
    db.session.flush()
    target = add_target(stakeholder, None, campaign_id=campaign.id, stance="neutral", influence=3, priority="high")
    db.session.commit()
    client = api(make_key(team["coalition"]))
    listed = client.get("advocacy_campaigns").get_json()["_embedded"]["osdi:advocacy_campaigns"][0]
    assert listed["targets"][0]["coalition:stance"] == "neutral"
    response = client.post(
        listed["_links"]["osdi:outreaches"]["href"],
        json={"targets": [{"identifiers": [f"coalition:{target.public_id}"]}], "type": "email", "message": "Wrote."},
    )
    assert response.status_code == 201
    assert db.session.scalar(select(Outreach)).summary == "Wrote."
    assert client.get(listed["_links"]["osdi:outreaches"]["href"]).get_json()["total_records"] == 1


def test_outreach_with_a_wrong_type_changes_nothing(api, team, make_key, make_campaign):
    campaign = make_campaign(team["coalition"])
    response = api(make_key(team["coalition"])).post(
        f"advocacy_campaigns/{campaign.public_id}/outreaches", json={"targets": "nope"}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(Outreach)) is None


def test_a_story_that_is_not_public_never_appears_for_any_key(api, team, make_key, make_story):
    public = make_story(team["coalition"], team["member"])
    hidden = [
        make_story(team["coalition"], team["member"], visibility=StoryVisibility.MEMBERS),
        make_story(team["coalition"], team["member"], visibility=StoryVisibility.TEAM),
        make_story(team["coalition"], team["member"], status=StoryStatus.SUBMITTED),
        make_story(team["coalition"], team["member"], withdrawn_at=public.approved_at),
    ]
    for scope in ("read", "read_write"):
        client = api(make_key(team["coalition"], scope))
        body = client.get("stories").get_json()
        assert [s["identifiers"][0] for s in body["_embedded"]["osdi:stories"]] == [f"coalition:{public.public_id}"]
        for story in hidden:
            assert client.get(f"stories/{story.public_id}").status_code == 404
            assert story.title not in client.get("stories").get_data(as_text=True)
