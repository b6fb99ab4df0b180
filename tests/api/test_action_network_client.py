"""A client written for Action Network's API v2, pointed at Coalition by changing only its base URL and token.

`ActionNetworkClient` does what such clients (Parsons' ActionNetwork connector, pyactionnetwork, Zapier-style
connectors) do: start at the entry point, read every address from the `_links` of the answers (no path is written
here beyond the entry point), follow `next` links, send the token as `OSDI-API-Token` and HAL+JSON bodies.
The invitation mail of a person it adds arrives at a real SMTP server.
"""

from coalition.core.outbox import deliver_outbox
from coalition.extensions import db
from coalition.meetings import rsvps

BASE_URL = "http://coalition.test/api/osdi/v1/"


class ActionNetworkClient:
    """An Action Network API v2 client: only `base_url` and `token` say which server it talks to."""

    def __init__(self, http, base_url: str, token: str):
        self.http, self.base_url, self.token = http, base_url, token

    def _headers(self):
        return {"OSDI-API-Token": self.token, "Content-Type": "application/hal+json"}

    def get(self, href: str) -> dict:
        response = self.http.get(href, headers=self._headers())
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def post(self, href: str, body: dict) -> dict:
        response = self.http.post(href, json=body, headers=self._headers())
        assert response.status_code in (200, 201), response.get_data(as_text=True)
        return response.get_json()

    def link(self, resource: dict, rel: str) -> str:
        return resource["_links"][rel]["href"]

    def entry(self) -> dict:
        return self.get(self.base_url)

    def walk(self, href: str, name: str) -> list[dict]:
        """Every member of a collection, following `next` links (as Action Network's clients page through)."""
        items = []
        while href:
            page = self.get(href)
            items += page["_embedded"][f"osdi:{name}"]
            href = page["_links"].get("next", {}).get("href")
        return items

    def people(self):
        return self.walk(self.link(self.entry(), "osdi:people"), "people")

    def events(self):
        return self.walk(self.link(self.entry(), "osdi:events"), "events")

    def attendances(self, event: dict):
        return self.walk(self.link(event, "osdi:attendances"), "attendances")

    def upsert_person(self, email: str, given_name: str, tags=()):
        person = {"given_name": given_name, "email_addresses": [{"address": email, "primary": True}]}
        return self.post(self.link(self.entry(), "osdi:person_signup_helper"), {"person": person, "add_tags": tags})

    def add_tag(self, name: str) -> dict:
        return self.post(self.link(self.entry(), "osdi:tags"), {"name": name})

    def tag_person(self, tag: dict, person: dict) -> dict:
        body = {"_links": {"osdi:person": {"href": self.link(person, "self")}}}
        return self.post(self.link(tag, "osdi:taggings"), body)


def test_an_action_network_client_lists_adds_and_tags_people_and_reads_events(
    client, team, make_key, make_member, make_meeting, smtp_server
):
    coalition = team["coalition"]
    for _ in range(30):  # more than one page of 25
        make_member(coalition)
    meeting = make_meeting(coalition, title="Building A meeting", capacity=10)
    rsvps.rsvp_member(meeting, team["member"], "yes")
    db.session.commit()
    an = ActionNetworkClient(client, BASE_URL, make_key(coalition))

    entry = an.entry()
    assert {"osdi:people", "osdi:events", "osdi:tags", "osdi:person_signup_helper"} <= set(entry["_links"])
    people = an.people()
    emails = [p["email_addresses"][0]["address"] for p in people]
    assert len(people) == 33 and len(set(emails)) == 33

    tag = an.add_tag("Building A")
    added = an.upsert_person("New.Neighbour@example.org", "Rosa", tags=["building-a"])
    assert added["coalition:status"] == "invited" and added["coalition:tags"] == ["building-a"]
    assert an.get(an.link(added, "self"))["identifiers"] == added["identifiers"]

    member = next(p for p in people if p["email_addresses"][0]["address"] == team["member"].email)
    tagging = an.tag_person(tag, member)
    assert an.link(tagging, "osdi:person") == an.link(member, "self")
    assert [t["_links"]["osdi:person"]["href"] for t in an.walk(an.link(tag, "osdi:taggings"), "taggings")] == [
        an.link(member, "self")
    ]

    (event,) = an.events()
    assert event["title"] == "Building A meeting" and event["total_accepted"] == 1
    (attendance,) = an.attendances(event)
    assert attendance["status"] == "accepted" and an.link(attendance, "osdi:person") == an.link(member, "self")

    deliver_outbox()
    (mail,) = [m for m in smtp_server.texts() if m["To"] == "new.neighbour@example.org"]
    assert mail["Subject"] == f"You are invited to join {coalition.name} on Coalition"
    body = mail.get_body(("plain",)).get_content() if mail.is_multipart() else mail.get_payload(decode=True).decode()
    assert "http://coalition.test/invitations/" in body


def test_a_person_added_with_post_people_receives_the_invitation_at_a_real_smtp_server(
    api, team, make_key, smtp_server
):
    response = api(make_key(team["coalition"])).post(
        "people", json={"person": {"email_addresses": [{"address": "ana@example.org"}]}}
    )
    assert response.status_code == 201
    assert deliver_outbox() == {"sent": 1, "retry": 0, "failed": 0}
    (envelope,) = smtp_server.messages
    assert envelope.rcpt_tos == ["ana@example.org"]
    (mail,) = smtp_server.texts()
    assert mail["Subject"] == f"You are invited to join {team['coalition'].name} on Coalition"
