"""People: pagination over many members, filters, the signup helper's matching rules, tags and taggings."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from coalition.accounts.models import User
from coalition.coalitions.models import Invitation, Membership
from coalition.coalitions.tagging import MemberTag, MemberTagging, create_tag
from coalition.extensions import db


def _many_members(coalition, count):
    """Insert `count` members quickly (Core inserts; the model defaults fill public ids and timestamps)."""
    start = db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0
    db.session.execute(
        insert(User),
        [
            {"email": f"bulk{start + i}@example.org", "password_hash": "x", "display_name": f"Bulk Person {i}"}
            for i in range(count)
        ],
    )
    ids = db.session.scalars(select(User.id).where(User.email.like("bulk%"))).all()
    db.session.execute(insert(Membership), [{"user_id": i, "coalition_id": coalition.id} for i in ids])
    db.session.commit()


def test_walking_next_links_returns_each_member_once_within_a_query_budget(api, team, make_key, count_queries):
    _many_members(team["coalition"], 2000)
    client = api(make_key(team["coalition"], "read"))
    seen, link, pages, worst = [], "people", 0, 0
    while link:
        with count_queries() as counter:
            body = client.get(link).get_json()
        worst = max(worst, counter.count)
        assert list(body["_embedded"]) == ["osdi:people"]
        assert len(body["_embedded"]["osdi:people"]) <= 25
        seen += [p["identifiers"][0] for p in body["_embedded"]["osdi:people"]]
        link = body["_links"].get("next", {}).get("href")
        pages += 1
    assert len(seen) == len(set(seen)) == 2003
    assert pages == body["total_pages"] == 81 and body["total_records"] == 2003
    assert worst <= 10


def test_page_past_the_end_is_an_empty_list(api, team, make_key):
    body = api(make_key(team["coalition"])).get("people?page=9").get_json()
    assert body["_embedded"]["osdi:people"] == [] and body["total_records"] == 3


def test_people_are_active_members_only(api, team, make_key):
    body = api(make_key(team["coalition"])).get("people").get_json()
    emails = {p["email_addresses"][0]["address"] for p in body["_embedded"]["osdi:people"]}
    assert emails == {team["lead"].email, team["organizer"].email, team["member"].email}


def test_filter_on_modified_date_returns_only_recent_changes(api, team, make_key):
    old = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.execute(update(Membership).values(updated_at=old))
    db.session.execute(update(User).values(updated_at=old))
    member = team["member"].active_memberships()[team["coalition"].id]
    db.session.execute(update(Membership).where(Membership.id == member.id).values(updated_at=datetime.now(UTC)))
    db.session.commit()
    since = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    body = api(make_key(team["coalition"])).get(f"people?filter=modified_date gt '{since}'").get_json()
    assert [p["identifiers"][0] for p in body["_embedded"]["osdi:people"]] == [f"coalition:{member.public_id}"]


def test_filter_on_email_is_case_insensitive(api, team, make_key):
    email = team["member"].email.upper()
    body = api(make_key(team["coalition"])).get(f"people?filter=email_address eq '{email}'").get_json()
    assert body["total_records"] == 1


def test_signup_helper_invites_a_new_person_by_mail_without_an_account(api, team, make_key, outbox):
    create_tag(team["coalition"], "Building A")
    db.session.commit()
    response = api(make_key(team["coalition"])).post(
        "people",
        json={
            "person": {"given_name": "Rosa", "email_addresses": [{"address": "Rosa@Example.org"}]},
            "add_tags": ["building-a"],
            "unknown": 1,
        },
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["coalition:status"] == "invited" and body["identifiers"][0].startswith("coalition:")
    assert db.session.scalar(select(User).where(User.email == "rosa@example.org")) is None
    assert [m.to_address for m in outbox(kind="invitation")] == ["rosa@example.org"]
    assert db.session.scalar(select(Invitation)).tags == ["building-a"]


def test_signup_helper_twice_sends_one_invitation(api, team, make_key, outbox):
    client = api(make_key(team["coalition"]))
    payload = {"person": {"email_addresses": [{"address": "new@example.org"}]}}
    assert client.post("person_signup_helper", json=payload).status_code == 201
    assert client.post("person_signup_helper", json=payload).status_code == 200
    assert len(outbox(kind="invitation")) == 1


def test_signup_helper_matches_a_member_by_email_and_never_overwrites_their_name(api, team, make_key, outbox):
    create_tag(team["coalition"], "volunteer")
    db.session.commit()
    member = team["member"]
    response = api(make_key(team["coalition"])).post(
        "people",
        json={
            "person": {
                "given_name": "Other",
                "family_name": "Name",
                "email_addresses": [{"address": member.email.upper()}],
            },
            "add_tags": ["volunteer"],
        },
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["coalition:status"] == "member" and body["coalition:tags"] == ["volunteer"]
    db.session.expire_all()
    assert db.session.get(User, member.id).display_name == member.display_name
    assert outbox(kind="invitation") == []


def test_signup_helper_with_an_unknown_tag_changes_nothing(api, team, make_key, outbox):
    response = api(make_key(team["coalition"])).post(
        "people", json={"person": {"email_addresses": [{"address": "x@example.org"}]}, "add_tags": ["nope"]}
    )
    assert response.status_code == 422 and "nope" in response.get_json()["message"]
    assert outbox() == [] and db.session.scalar(select(Invitation)) is None


def test_signup_helper_without_email_is_refused(api, team, make_key):
    response = api(make_key(team["coalition"])).post("people", json={"person": {"given_name": "No email"}})
    assert response.status_code == 422


def test_tag_a_person_through_taggings_and_list_it(api, team, make_key):
    client = api(make_key(team["coalition"]))
    tag = client.post("tags", json={"name": "Spanish speaker"}).get_json()
    assert tag["name"] == "spanish-speaker"
    person = client.get("people").get_json()["_embedded"]["osdi:people"][0]
    response = client.post(
        tag["_links"]["osdi:taggings"]["href"],
        json={"_links": {"osdi:person": {"href": person["_links"]["self"]["href"]}}},
    )
    assert response.status_code == 201
    again = client.get(person["_links"]["self"]["href"]).get_json()
    assert again["coalition:tags"] == ["spanish-speaker"]
    taggings = client.get(tag["_links"]["osdi:taggings"]["href"]).get_json()
    assert taggings["total_records"] == 1
    tagging = taggings["_embedded"]["osdi:taggings"][0]
    assert client.delete(tagging["_links"]["self"]["href"]).status_code == 200
    assert db.session.scalar(select(MemberTagging)) is None


def test_tagging_a_person_of_another_coalition_is_not_found(api, team, make_key):
    client = api(make_key(team["coalition"]))
    tag = client.post("tags", json={"name": "a"}).get_json()
    outsider = team["outsider"].active_memberships()[team["other"].id]
    href = f"http://coalition.test/api/osdi/v1/people/{outsider.public_id}"
    response = client.post(tag["_links"]["osdi:taggings"]["href"], json={"_links": {"osdi:person": {"href": href}}})
    assert response.status_code == 404
    assert db.session.scalar(select(MemberTagging)) is None
    assert db.session.scalar(select(MemberTag.name)) == "a"


def test_invitation_tags_are_put_on_the_person_when_they_join(team, make_user):
    from coalition.coalitions.services import accept_invitation
    from coalition.coalitions.signup import sign_up_person
    from coalition.coalitions.tagging import tags_by_membership

    create_tag(team["coalition"], "building-b")
    match, _ = sign_up_person(team["coalition"], "joiner@example.org", tags=["building-b"])
    user = make_user(email="joiner@example.org")
    membership = accept_invitation(match.invitation, user)
    db.session.commit()
    assert tags_by_membership([membership.id]) == {membership.id: ["building-b"]}
