"""Bad input to every write (malformed JSON, a 5 MB body, wrong types, unknown ids) and huge page numbers: a clear
JSON 4xx, never a 500, and nothing changed in any table."""

import uuid

import pytest
from sqlalchemy import func, select

from coalition.coalitions.models import Membership
from coalition.coalitions.tagging import create_tag
from coalition.extensions import db
from coalition.stakeholders.models import Stakeholder
from coalition.stakeholders.services import add_target

UNKNOWN = str(uuid.uuid4())
SITE = "http://coalition.test/api/osdi/v1/"


@pytest.fixture
def world(team, make_key, make_meeting, make_campaign):
    """A tag, a meeting, a campaign with a target, and a read-write key."""
    coalition = team["coalition"]
    tag = create_tag(coalition, "building-a")
    meeting = make_meeting(coalition, capacity=5)
    campaign = make_campaign(coalition)
    stakeholder = Stakeholder(coalition_id=coalition.id, name="Council member Ruiz")
    db.session.add(stakeholder)
    db.session.flush()
    target = add_target(stakeholder, None, campaign_id=campaign.id, stance="neutral", influence=3, priority="high")
    db.session.commit()
    member_id = db.session.scalar(select(Membership.public_id).where(Membership.user_id == team["member"].id))
    return {
        "raw": make_key(coalition),
        "tag": f"tags/{tag.public_id}",
        "event": f"events/{meeting.public_id}",
        "campaign": f"advocacy_campaigns/{campaign.public_id}",
        "target": f"coalition:{target.public_id}",
        "person": f"{SITE}people/{member_id}",
        "email": team["member"].email,
    }


def _rows() -> dict[str, int]:
    """Rows in every table: a failed request must leave each count as it was."""
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def _person(email="new@example.org"):
    return {"person": {"email_addresses": [{"address": email}]}}


MALFORMED = ["{not json", '{"person": ', b"\xff\xfe\x00", "[" * 100_000 + "]" * 100_000]

WRITES = [
    ("people", "people"),
    ("signup helper", "person_signup_helper"),
    ("tags", "tags"),
    ("taggings", "{tag}/taggings"),
    ("attendance", "{event}/record_attendance_helper"),
    ("outreach", "{campaign}/outreaches"),
]


def _assert_clear_refusal(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["error"] and body["message"]


@pytest.mark.parametrize("path", [p for _, p in WRITES], ids=[n for n, _ in WRITES])
@pytest.mark.parametrize("text", MALFORMED, ids=["broken", "cut-off", "not-utf8", "deeply-nested"])
def test_malformed_json_is_refused_with_400_and_changes_nothing(api, world, path, text):
    before, client = _rows(), api(world["raw"])
    response = client.client.post(
        client._path(path.format(**world)), data=text, headers={**client._headers(), "Content-Type": "application/json"}
    )
    _assert_clear_refusal(response, 400)
    assert _rows() == before


@pytest.mark.parametrize("path", [p for _, p in WRITES], ids=[n for n, _ in WRITES])
def test_a_five_megabyte_body_is_refused_with_413_and_changes_nothing(api, world, path):
    before, client = _rows(), api(world["raw"])
    body = '{"person": {"given_name": "' + "x" * (5 * 1024 * 1024) + '"}}'
    response = client.client.post(
        client._path(path.format(**world)), data=body, headers={**client._headers(), "Content-Type": "application/json"}
    )
    _assert_clear_refusal(response, 413)
    assert _rows() == before


def _attend(**extra):
    return lambda w: {**_person(w["email"]), **extra}


def _reach(**extra):
    return lambda w: {"targets": [{"identifiers": [w["target"]]}], **extra}


def _link(href):
    return lambda w: {"_links": {"osdi:person": {"href": href.format(**w)}}}


def _fixed(body):
    return lambda w: body


ATTEND, TAGGINGS, REACH = "{event}/record_attendance_helper", "{tag}/taggings", "{campaign}/outreaches"
WRONG_TYPES = [
    ("people", "people", _fixed(["a list"])),
    ("person-not-object", "people", _fixed({"person": "ana@example.org"})),
    ("emails-not-list", "people", _fixed({"person": {"email_addresses": "ana@example.org"}})),
    ("emails-not-objects", "people", _fixed({"person": {"email_addresses": ["ana@example.org"]}})),
    ("address-number", "people", _fixed({"person": {"email_addresses": [{"address": 7}]}})),
    ("tags-not-list", "people", _fixed({**_person(), "add_tags": "building-a"})),
    ("tags-not-strings", "people", _fixed({**_person(), "add_tags": [1, 2]})),
    ("unknown-tag", "people", _fixed({**_person(), "add_tags": ["no-such-tag"]})),
    ("tag-name-number", "tags", _fixed({"name": 42})),
    ("tag-name-bool", "tags", _fixed({"name": True})),
    ("links-not-object", TAGGINGS, _fixed({"_links": ["x"]})),
    ("person-link-not-object", TAGGINGS, _fixed({"_links": {"osdi:person": "x"}})),
    ("no-person-link", TAGGINGS, _fixed({"_links": {}})),
    ("status-number", ATTEND, _attend(status=1)),
    ("status-unknown", ATTEND, _attend(status="maybe")),
    ("needs-not-object", ATTEND, _attend(custom_fields=[])),
    ("guests-not-number", ATTEND, _attend(custom_fields={"guests": {"a": 1}})),
    ("targets-not-list", REACH, _fixed({"targets": "nope"})),
    ("type-number", REACH, _reach(type=3)),
    ("message-list", REACH, _reach(message=["x"])),
]


@pytest.mark.parametrize("path, body", [(p, b) for _, p, b in WRONG_TYPES], ids=[n for n, _, _ in WRONG_TYPES])
def test_wrong_types_are_refused_with_422_and_change_nothing(api, world, outbox, path, body):
    before = _rows()
    response = api(world["raw"]).post(path.format(**world), json=body(world))
    _assert_clear_refusal(response, 422)
    assert _rows() == before
    assert outbox() == []


UNKNOWN_IDS = [
    ("tag", f"tags/{UNKNOWN}/taggings", _link("{person}")),
    ("person", TAGGINGS, _link(f"{SITE}people/{UNKNOWN}")),
    ("person-not-uuid", TAGGINGS, _link(f"{SITE}people/42")),
    ("event", f"events/{UNKNOWN}/record_attendance_helper", _attend()),
    ("linked-attendee", ATTEND, _link(f"{SITE}people/{UNKNOWN}")),
    ("campaign", f"advocacy_campaigns/{UNKNOWN}/outreaches", _reach()),
    ("target", REACH, _fixed({"targets": [{"identifiers": [f"coalition:{UNKNOWN}"]}]})),
]


@pytest.mark.parametrize("path, body", [(p, b) for _, p, b in UNKNOWN_IDS], ids=[n for n, _, _ in UNKNOWN_IDS])
def test_unknown_ids_are_refused_with_404_and_change_nothing(api, world, outbox, path, body):
    before = _rows()
    response = api(world["raw"]).post(path.format(**world), json=body(world))
    _assert_clear_refusal(response, 404)
    assert _rows() == before
    assert outbox() == []


def test_deleting_an_unknown_tagging_is_404_and_changes_nothing(api, world):
    before = _rows()
    _assert_clear_refusal(api(world["raw"]).delete(f"{world['tag']}/taggings/{UNKNOWN}"), 404)
    assert _rows() == before


@pytest.mark.parametrize(
    "collection",
    ["people", "tags", "events", "advocacy_campaigns", "stories", "world:tag/taggings", "world:event/attendances"],
)
@pytest.mark.parametrize("page", ["99999999999999999999", "1000001", "9" * 5000])
def test_huge_page_numbers_are_refused_with_400(api, world, collection, page):
    if collection.startswith("world:"):
        name, rest = collection.removeprefix("world:").split("/")
        collection = f"{world[name]}/{rest}"
    response = api(world["raw"]).get(f"{collection}?page={page}")
    _assert_clear_refusal(response, 400)
    assert "page" in response.get_json()["message"]


def test_a_page_past_the_end_within_range_is_still_an_empty_list(api, world):
    body = api(world["raw"]).get("people?page=1000000").get_json()
    assert body["_embedded"]["osdi:people"] == [] and body["total_records"] >= 3


@pytest.mark.parametrize("page", ["²", "١٢", "-1", "0", "1.5"])
def test_odd_page_numbers_are_refused_with_400(api, world, page):
    _assert_clear_refusal(api(world["raw"]).get(f"people?page={page}"), 400)


def test_a_huge_per_page_is_capped_at_25(api, world):
    body = api(world["raw"]).get("people?per_page=99999999999999999999").get_json()
    assert body["per_page"] == 25
