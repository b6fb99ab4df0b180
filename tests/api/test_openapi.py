"""The OpenAPI document describes the real responses of every endpoint (validated with jsonschema)."""

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from coalition.coalitions.tagging import create_tag
from coalition.extensions import db
from coalition.meetings.models import MeetingVisibility


def _validator(document, path, method, status):
    operation = document["paths"][path][method]
    content = operation["responses"][str(status)]["content"]
    schema = next(iter(content.values()))["schema"]
    registry = Registry().with_resource("urn:doc", Resource.from_contents(document, default_specification=DRAFT202012))
    schema = {"$ref": "urn:doc" + schema["$ref"]}
    return jsonschema.Draft202012Validator(schema, registry=registry)


def test_every_endpoint_answers_as_the_openapi_document_says(
    api, team, make_key, make_meeting, make_campaign, make_story
):
    client = api(make_key(team["coalition"]))
    document = client.get("openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    meeting = make_meeting(team["coalition"], visibility=MeetingVisibility.PUBLIC, capacity=3)
    campaign = make_campaign(team["coalition"])
    make_story(team["coalition"], team["member"], campaign_id=campaign.id)
    tag = create_tag(team["coalition"], "checked")
    db.session.commit()
    person = team["member"].active_memberships()[team["coalition"].id]
    email = {"person": {"email_addresses": [{"address": "checked@example.org"}]}}
    calls = [
        ("/", "get", None, 200),
        ("/people", "get", None, 200),
        ("/people", "post", email, 201),
        ("/person_signup_helper", "post", email, 200),
        ("/people/{id}", "get", person.public_id, 200),
        ("/people/{id}/taggings", "get", person.public_id, 200),
        ("/tags", "get", None, 200),
        ("/tags", "post", {"name": "another"}, 201),
        ("/tags/{id}", "get", tag.public_id, 200),
        ("/tags/{id}/taggings", "get", tag.public_id, 200),
        ("/events", "get", None, 200),
        ("/events/{id}", "get", meeting.public_id, 200),
        ("/events/{id}/attendances", "get", meeting.public_id, 200),
        ("/advocacy_campaigns", "get", None, 200),
        ("/advocacy_campaigns/{id}", "get", campaign.public_id, 200),
        ("/advocacy_campaigns/{id}/outreaches", "get", campaign.public_id, 200),
        ("/stories", "get", None, 200),
        ("/people/{id}", "get", "00000000-0000-0000-0000-000000000000", 404),
    ]
    for path, method, arg, status in calls:
        url = path.replace("{id}", arg) if isinstance(arg, str) else path
        response = client.get(url) if method == "get" else client.post(url, json=arg)
        assert response.status_code == status, (path, response.get_json())
        _validator(document, path, method, status).validate(response.get_json())
    attendance = client.post(
        f"events/{meeting.public_id}/record_attendance_helper",
        json={"person": {"email_addresses": [{"address": team["member"].email}]}},
    )
    _validator(document, "/events/{id}/record_attendance_helper", "post", 201).validate(attendance.get_json())
    tagging = client.post(
        f"tags/{tag.public_id}/taggings",
        json={"_links": {"osdi:person": {"href": f"http://coalition.test/api/osdi/v1/people/{person.public_id}"}}},
    )
    _validator(document, "/tags/{id}/taggings", "post", 201).validate(tagging.get_json())
    story = client.get("stories").get_json()["_embedded"]["osdi:stories"][0]
    _validator(document, "/stories/{id}", "get", 200).validate(client.get(story["_links"]["self"]["href"]).get_json())


def test_the_document_can_fail_a_response(api, team, make_key):
    document = api(make_key(team["coalition"])).get("openapi.json").get_json()
    validator = _validator(document, "/people", "get", 200)
    assert not validator.is_valid({"total_pages": 1, "_embedded": {"osdi:people": [{"identifiers": [1]}]}})
