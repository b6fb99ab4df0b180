"""Deleting a stakeholder and their history asks first."""

from coalition.extensions import db
from coalition.stakeholders.models import Stakeholder


def test_stakeholder_page_links_delete_to_a_confirmation(app, login, team, make_stakeholder):
    stakeholder = make_stakeholder(team["coalition"], name="Marcus Bell")
    client = app.test_client()
    login(client, team["organizer"])
    base = f"/c/{team['coalition'].slug}/stakeholders/{stakeholder.id}"
    assert f'<a class="button danger" href="{base}/delete">' in client.get(base).get_data(as_text=True)
    html = client.get(f"{base}/delete").get_data(as_text=True)
    assert "Delete Marcus Bell and their history?" in html and "This cannot be undone" in html
    assert f'<form method="post" action="{base}/delete"' in html and f'href="{base}">No, go back</a>' in html
    assert db.session.get(Stakeholder, stakeholder.id) is not None


def test_confirmed_stakeholder_delete_deletes(app, login, team, make_stakeholder):
    stakeholder_id = make_stakeholder(team["coalition"]).id
    client = app.test_client()
    login(client, team["organizer"])
    client.post(f"/c/{team['coalition'].slug}/stakeholders/{stakeholder_id}/delete")
    db.session.expire_all()
    assert db.session.get(Stakeholder, stakeholder_id) is None


def test_members_get_no_stakeholder_delete_confirmation(app, login, team, make_stakeholder):
    stakeholder = make_stakeholder(team["coalition"])
    client = app.test_client()
    login(client, team["member"])
    assert client.get(f"/c/{team['coalition'].slug}/stakeholders/{stakeholder.id}/delete").status_code in (403, 404)
