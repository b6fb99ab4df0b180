"""A form that creates something, sent twice with the same nonce (a double click, a browser resending the POST),
creates it once, and the second answer shows the first one's result (issue 12, item 4)."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coalition.api.models import ApiKey, WebhookEndpoint
from coalition.campaigns.models import Campaign, CampaignStatus, CampaignUpdate
from coalition.coalitions.models import PartnerOrganization
from coalition.core.models import utcnow
from coalition.core.once import FormSubmission
from coalition.core.outbox import OutboxMessage
from coalition.decisions.models import CollectiveDecision
from coalition.extensions import db
from coalition.meetings import services as meeting_services
from coalition.meetings.models import ActionItem, AgendaItem, Meeting, MeetingInvite, WalkIn
from coalition.meetings.models import Decision as MeetingDecision
from coalition.stakeholders import services as stakeholder_services
from coalition.stakeholders.models import Outreach, Packet, Stakeholder
from coalition.stories.models import Attribution, Story, StoryStatus
from tests.meetings.conftest import DEFAULTS, form_data, local_fields

NONCE = "n0nce-of-one-rendered-form-0123456789"
ALREADY = "This was already saved. It was sent twice, and saved once."


@pytest.fixture
def world(make_coalition, make_member):
    """A coalition with a lead, an organizer, a member, a public campaign, a stakeholder target and meetings."""
    coalition = make_coalition(timezone="UTC")
    people = {role: make_member(coalition, role) for role in ("lead", "organizer", "member")}
    campaign = Campaign(
        coalition_id=coalition.id, title="Safe Homes", slug="safe-homes", status=CampaignStatus.ACTIVE, public_page=True
    )
    stakeholder = Stakeholder(coalition_id=coalition.id, name="Ana Reyes", organization="City Council")
    db.session.add_all([campaign, stakeholder])
    db.session.flush()
    stakeholder_services.add_target(
        stakeholder, people["organizer"], campaign_id=campaign.id, stance="neutral", influence=3, priority="medium"
    )
    story = Story(
        coalition_id=coalition.id,
        campaign_id=campaign.id,
        storyteller_id=people["member"].id,
        title="Cold all winter",
        body="The heat was off.",
        status=StoryStatus.APPROVED,
        share_with_decision_makers=True,
        attribution=Attribution.FULL,
        approved_at=utcnow(),
        submitted_at=utcnow(),
    )
    db.session.add(story)
    db.session.commit()
    start = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    meetings = {}
    for name, values in {
        "members": {},
        "public": {"visibility": "public"},
        "invite": {"visibility": "invite_only"},
        "past": {},
    }.items():
        when = start - timedelta(days=6) if name == "past" else start
        times = local_fields(when, when + timedelta(hours=1))
        meetings[name] = meeting_services.schedule_meeting(
            coalition, people["organizer"], **times, **dict(DEFAULTS, **values)
        )
    db.session.commit()
    return dict(people, coalition=coalition, campaign=campaign, stakeholder=stakeholder, story=story, **meetings)


def _count(model):
    def count(world):
        db.session.expire_all()
        return db.session.scalar(select(func.count()).select_from(model))

    return count


def _mails(kind):
    def count(world):
        return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == kind))

    return count


def _mails_to(address):
    def count(world):
        return db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.to_address == address)
        )

    return count


def _later(days=10):
    return (datetime.now(UTC) + timedelta(days=days)).replace(hour=18, minute=0, second=0, microsecond=0)


# Each case: who sends the form, where (under /c/<slug>), the form's data, and what must exist once.
CASES = {
    "story": ("member", lambda w: "/stories/new", lambda w: {
        "title": "Leaking roof", "body": "Water comes through.", "language": "en", "campaign_id": "0",
        "save_draft": "Save as draft",
    }, _count(Story)),
    "story recorded for someone": ("organizer", lambda w: "/stories/record", lambda w: {
        "storyteller_id": w["member"].id, "title": "Told at the clinic", "body": "Text", "language": "en",
        "campaign_id": "0", "consent_confirmed": "y", "visibility": "team", "attribution": "anonymous",
    }, _count(Story)),
    "story shared by a visitor": (None, lambda w: "/stories/share/safe-homes", lambda w: {
        "name": "Rosa", "email": "rosa@example.org", "title": "Heater broken", "body": "We slept in coats.",
        "language": "en", "visibility": "team", "attribution": "anonymous",
    }, _count(Story)),
    "meeting": ("organizer", lambda w: "/meetings/new", lambda w: form_data(
        _later(), _later() + timedelta(hours=1), tz_name="UTC"
    ), _count(Meeting)),
    "member RSVP": ("member", lambda w: f"/meetings/{w['members'].id}/rsvp", lambda w: {
        "response": "yes",
    }, _mails("meeting_rsvp")),
    "visitor RSVP": (None, lambda w: f"/meetings/public/{w['public'].id}", lambda w: {
        "name": "Dana", "email": "dana@example.org", "response": "yes",
    }, _mails_to("dana@example.org")),
    "outreach": ("organizer", lambda w: f"/stakeholders/{w['stakeholder'].id}/outreach/new", lambda w: {
        "occurred_at": "2026-01-05T10:00", "channel": "call", "summary": "Call", "response": "none",
        "follow_up_owner_id": "0",
    }, _count(Outreach)),
    "stakeholder (created despite a possible duplicate)": ("organizer", lambda w: "/stakeholders/new", lambda w: {
        "name": "Ana Reyes", "organization": "City Council", "category": "ally", "create_anyway": "Create anyway",
    }, _count(Stakeholder)),
    "campaign update": ("organizer", lambda w: f"/campaigns/{w['campaign'].id}/updates", lambda w: {
        "body": "We met the council!",
    }, _count(CampaignUpdate)),
    "packet delivery": ("organizer", lambda w: f"/stakeholders/campaigns/{w['campaign'].id}/packet/deliver", lambda w: {
        "stakeholder_id": w["stakeholder"].id, "story": [w["story"].id], "note": "At the hearing",
    }, _count(Packet)),
    "invitation to the coalition": ("lead", lambda w: "/members/invite", lambda w: {
        "email": "new@example.org", "role": "member", "partner_id": "0",
    }, _mails("invitation")),
    "invitation to a meeting": ("organizer", lambda w: f"/meetings/{w['invite'].id}/invites", lambda w: {
        "user_id": w["member"].id,
    }, _count(MeetingInvite)),
    "campaign": ("organizer", lambda w: "/campaigns/new", lambda w: {
        "title": "Fair Rents", "status": "planning",
    }, _count(Campaign)),
    "partner organization": ("lead", lambda w: "/partners/new", lambda w: {
        "name": "Tenants United",
    }, _count(PartnerOrganization)),
    "agenda item": ("organizer", lambda w: f"/meetings/{w['members'].id}/agenda", lambda w: {
        "title": "Welcome", "duration_minutes": "10",
    }, _count(AgendaItem)),
    "walk-in": ("organizer", lambda w: f"/meetings/{w['past'].id}/checkin", lambda w: {
        "name": "Sam",
    }, _count(WalkIn)),
    "meeting decision": ("organizer", lambda w: f"/meetings/{w['past'].id}/decisions", lambda w: {
        "text": "We write to the council.",
    }, _count(MeetingDecision)),
    "action item": ("organizer", lambda w: f"/meetings/{w['past'].id}/actions", lambda w: {
        "title": "Write the letter", "owner_id": "0", "status": "open",
    }, _count(ActionItem)),
    "decision": ("organizer", lambda w: "/decisions/new", lambda w: {
        "kind": "proposal", "privacy": "organizers", "title": "Rent strike?", "audience": "members",
        "campaign_id": "0", "meeting_id": "0", "closes_at": _later().strftime("%Y-%m-%dT%H:%M"),
    }, _count(CollectiveDecision)),
    "API key": ("lead", lambda w: "/settings/api-keys", lambda w: {
        "name": "Zapier", "scope": "read_write",
    }, _count(ApiKey)),
    "webhook": ("lead", lambda w: "/settings/webhooks", lambda w: {
        "url": "http://127.0.0.1:9/coalition", "events": ["person.joined"],  # resolves without a network
    }, _count(WebhookEndpoint)),
    "people import (invitations)": ("lead", lambda w: "/settings/people-import/confirm", lambda w: {
        "content": "first_name,last_name,email\nRosa,Parks,rosa@example.org\n",
    }, _mails("invitation")),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_form_sent_twice_creates_once_and_answers_with_the_first_result(app, login, world, case):
    who, path, data, created = CASES[case]
    client = app.test_client()
    if who:
        login(client, world[who])
    url = f"/c/{world['coalition'].slug}" + path(world)
    sent = dict(data(world), form_nonce=NONCE)
    before = created(world)

    first = client.post(url, data=sent)
    assert first.status_code in (200, 302), first.get_data(as_text=True)
    assert created(world) == before + 1, "the first submission did not create"
    second = client.post(url, data=sent)

    assert created(world) == before + 1
    assert second.status_code == 302
    if first.status_code == 302:
        assert second.headers["Location"] == first.headers["Location"]
    assert ALREADY in client.get(second.headers["Location"]).get_data(as_text=True)


def test_confirming_a_stakeholder_import_twice_imports_once(app, login, world):
    import io

    from coalition.stakeholders.models import StakeholderImport

    client = app.test_client()
    login(client, world["organizer"])
    base = f"/c/{world['coalition'].slug}/stakeholders/import"
    upload = {"file": (io.BytesIO(b"Name\nDi Ray\n"), "people.csv")}
    client.post(base, data=upload, content_type="multipart/form-data")
    staged = db.session.scalar(select(StakeholderImport.id))

    first = client.post(f"{base}/{staged}/confirm", data={"form_nonce": NONCE})
    second = client.post(f"{base}/{staged}/confirm", data={"form_nonce": NONCE})

    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    assert _count(Stakeholder)(world) == 2  # the one made in `world`, and Di Ray


def test_a_form_sent_again_after_a_refusal_is_saved(app, login, world):
    client = app.test_client()
    login(client, world["organizer"])
    url = f"/c/{world['coalition'].slug}/stakeholders/new"
    data = {"name": "Ana Reyes", "organization": "City Council", "category": "ally", "form_nonce": NONCE}
    refused = client.post(url, data=data)  # a possible duplicate: shown, nothing saved, the nonce not used up
    assert refused.status_code == 200 and NONCE in refused.get_data(as_text=True)
    assert client.post(url, data=dict(data, create_anyway="Create anyway")).status_code == 302
    assert _count(Stakeholder)(world) == 2  # the target made in `world`, and this one


def test_each_shown_form_has_its_own_nonce(app, login, world):
    client = app.test_client()
    login(client, world["member"])
    pages = [client.get(f"/c/{world['coalition'].slug}/stories/new").get_data(as_text=True) for _ in range(2)]
    nonces = [page.split('name="form_nonce" type="hidden" value="')[1].split('"')[0] for page in pages]
    assert nonces[0] != nonces[1] and all(len(n) >= 20 for n in nonces)


def test_the_nonce_and_a_private_result_are_not_stored_in_clear(client, world):
    data = {
        "name": "Rosa", "email": "rosa@example.org", "title": "Heater", "body": "Cold.", "language": "en",
        "visibility": "team", "attribution": "anonymous", "form_nonce": NONCE,
    }  # fmt: skip
    response = client.post(f"/c/{world['coalition'].slug}/stories/share/safe-homes", data=data)
    token = response.headers["Location"].split("/manage/")[1].split("?")[0]
    row = db.session.scalar(select(FormSubmission))
    assert NONCE not in row.nonce_hash and token not in row.result and "manage" not in row.result


def test_two_submissions_of_one_form_at_once_create_once(app, login, world):
    from tests.conftest import run_in_threads

    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        login(client, world["member"])
    url = f"/c/{world['coalition'].slug}/stories/new"
    data = {"title": "Leaking roof", "body": "Water.", "language": "en", "campaign_id": "0", "form_nonce": NONCE}

    responses = run_in_threads(lambda i: clients[i].post(url, data=data), 2)

    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert _count(Story)(world) == 2  # the story made in `world`, and this one


def test_forms_sent_long_ago_are_forgotten_by_later_claims(app, login, world):
    old = FormSubmission(nonce_hash="0" * 64, result="", created_at=utcnow() - timedelta(days=15))
    recent = FormSubmission(nonce_hash="1" * 64, result="", created_at=utcnow() - timedelta(days=1))
    db.session.add_all([old, recent])
    db.session.commit()
    client = app.test_client()
    login(client, world["member"])
    data = {"title": "Leaking roof", "body": "Water.", "language": "en", "campaign_id": "0", "form_nonce": NONCE}
    client.post(f"/c/{world['coalition'].slug}/stories/new", data=data)
    db.session.expire_all()
    assert set(db.session.scalars(select(FormSubmission.nonce_hash))) == {
        "1" * 64,
        hashlib.sha256(NONCE.encode()).hexdigest(),
    }
