"""API keys: who may do what, revocation, rate limits, audit, and errors as JSON."""

import pytest
from sqlalchemy import select

from coalition.api.models import ApiKey
from coalition.core.audit import AuditEntry
from coalition.core.tokens import hash_token
from coalition.extensions import db


def test_request_without_key_is_refused_with_json_401(api):
    response = api(None).get("people")
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def test_entry_point_lists_the_collections(api, team, make_key):
    body = api(make_key(team["coalition"], "read")).get("").get_json()
    assert body["max_pagesize"] == 25 and body["osdi_version"] == "1.1"
    for rel in ("osdi:people", "osdi:events", "osdi:tags", "osdi:advocacy_campaigns", "osdi:person_signup_helper"):
        assert body["_links"][rel]["href"].startswith("http://coalition.test/api/osdi/v1/")
    assert body["_links"]["curies"][0]["name"] == "osdi"


def test_revoked_key_gets_401_at_once(api, team, make_key):
    from coalition.api.keys import revoke_key

    raw = make_key(team["coalition"])
    assert api(raw).get("people").status_code == 200
    revoke_key(db.session.scalar(select(ApiKey)), team["lead"])
    db.session.commit()
    assert api(raw).get("people").status_code == 401


@pytest.mark.parametrize(
    "path, body",
    [
        ("people", {"person": {"email_addresses": [{"address": "new@example.org"}]}}),
        ("tags", {"name": "building-a"}),
    ],
)
def test_read_key_cannot_write(api, team, make_key, path, body):
    response = api(make_key(team["coalition"], "read")).post(path, json=body)
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


def test_key_of_one_coalition_gets_404_for_every_object_of_another(
    api, team, make_key, make_meeting, make_campaign, make_story
):
    other = team["other"]
    membership = team["outsider"].active_memberships()[other.id]
    paths = [
        f"people/{membership.public_id}",
        f"people/{membership.public_id}/taggings",
        f"events/{make_meeting(other).public_id}",
        f"events/{make_meeting(other).public_id}/attendances",
        f"advocacy_campaigns/{make_campaign(other).public_id}",
        f"stories/{make_story(other, team['outsider']).public_id}",
    ]
    client = api(make_key(team["coalition"]))
    for path in paths:
        assert client.get(path).status_code == 404, path
    tagging = client.post(f"events/{make_meeting(other).public_id}/record_attendance_helper", json={})
    assert tagging.status_code == 404


def test_settings_page_shows_a_new_key_once_and_stores_only_its_hash(client, login, team):
    login(client, team["lead"])
    response = client.post(
        f"/c/{team['coalition'].slug}/settings/api-keys", data={"name": "Zapier", "scope": "read_write"}
    )
    page = response.get_data(as_text=True)
    raw = page.split('<code id="new-key">', 1)[1].split("</code>", 1)[0]
    key = db.session.scalar(select(ApiKey))
    assert key.token_hash == hash_token(raw) and raw not in key.token_hash
    assert raw not in client.get(f"/c/{team['coalition'].slug}/settings/api-keys").get_data(as_text=True)


def test_organizer_cannot_open_the_keys_page(client, login, team):
    login(client, team["organizer"])
    assert client.get(f"/c/{team['coalition'].slug}/settings/api-keys").status_code == 403


def test_reads_of_personal_data_are_audited_with_the_key_name(api, team, make_key):
    api(make_key(team["coalition"], name="Parsons sync")).get("people")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api.people.read"))
    assert entry.detail["api_key"] == "Parsons sync"


def test_use_is_recorded_as_last_used(api, team, make_key):
    raw = make_key(team["coalition"])
    api(raw).get("")
    db.session.expire_all()
    assert db.session.scalar(select(ApiKey)).last_used_at is not None


def test_rate_limit_per_key_answers_429_with_retry_after(app, api, team, make_key):
    from coalition.extensions import limiter

    app.config["RATELIMIT_API"] = "2 per minute"
    limiter.reset()
    try:
        client = api(make_key(team["coalition"]))
        other = api(make_key(team["coalition"]))
        assert [client.get("").status_code for _ in range(3)] == [200, 200, 429]
        response = client.get("")
        assert response.get_json()["error"] == "too_many_requests"
        assert int(response.headers["Retry-After"]) > 0
        assert other.get("").status_code == 200
    finally:
        app.config["RATELIMIT_API"] = "10000 per minute"
        limiter.reset()


@pytest.mark.parametrize(
    "send, status",
    [
        (lambda c: c.client.post("/api/osdi/v1/tags", data="{not json", headers=c._headers()), 400),
        (lambda c: c.post("tags", json=["a list"]), 422),
        (lambda c: c.post("tags", json={"name": 42}), 422),
        (lambda c: c.client.post("/api/osdi/v1/tags", data="x" * (5 * 1024 * 1024), headers=c._headers()), 413),
        (lambda c: c.get("no-such-thing"), 404),
        (lambda c: c.get("people/not-a-uuid"), 404),
        (lambda c: c.get("people?page=99999999999999999999"), 400),
        (lambda c: c.get("people?page=abc"), 400),
        (lambda c: c.get("people?filter=nonsense"), 400),
        (lambda c: c.client.put("/api/osdi/v1/people", headers=c._headers()), 405),
    ],
)
def test_bad_input_gets_a_clear_json_answer_never_a_500(api, team, make_key, send, status):
    response = send(api(make_key(team["coalition"])))
    assert response.status_code == status
    body = response.get_json()
    assert body is not None
    if status >= 400:
        assert body["message"]
