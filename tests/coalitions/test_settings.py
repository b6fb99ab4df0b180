"""Coalition settings, edited by a lead."""

import pytest

SETTINGS = {
    "name": "Riverside Tenants Coalition",
    "description": "Safe homes for everyone.",
    "default_locale": "es",
    "timezone": "America/Chicago",
    "allow_join_requests": "y",
    "reminder_hours": "48",
    "no_response_days": "10",
    "suppression_threshold": "5",
}


@pytest.fixture
def lead_client(client, make_coalition, make_member, login):
    coalition = make_coalition(name="Old Name")
    login(client, make_member(coalition, "lead"))
    client.coalition = coalition
    return client


def test_lead_saves_settings(db, lead_client):
    coalition = lead_client.coalition
    response = lead_client.post(f"/c/{coalition.slug}/settings", data=SETTINGS)
    assert response.status_code == 302
    db.session.refresh(coalition)
    assert coalition.name == "Riverside Tenants Coalition"
    assert (coalition.default_locale, coalition.timezone) == ("es", "America/Chicago")
    assert coalition.allow_join_requests
    assert (coalition.reminder_hours, coalition.no_response_days) == (48, 10)


def test_settings_page_shows_current_values(lead_client):
    response = lead_client.get(f"/c/{lead_client.coalition.slug}/settings")
    assert response.status_code == 200
    assert b'value="Old Name"' in response.data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", b"Please enter a name."),
        ("name", "x" * 201, b"Field cannot be longer than 200 characters."),
        ("reminder_hours", "0", b"Between 1 hour and 14 days."),
        ("reminder_hours", "many", b"Not a valid integer value."),
        ("reminder_hours", "", b"Please enter a number of hours."),
        ("no_response_days", "400", b"Between 1 and 365 days."),
        ("timezone", "Mars/Olympus", b"Not a valid choice."),
        ("default_locale", "xx", b"Not a valid choice."),
        ("name", "Evil\x00Name", b"This field cannot contain control characters or line breaks."),
    ],
)
def test_invalid_settings_show_a_message_and_change_nothing(db, lead_client, field, value, message):
    coalition = lead_client.coalition
    response = lead_client.post(f"/c/{coalition.slug}/settings", data={**SETTINGS, field: value})
    assert response.status_code == 200
    assert message in response.data
    db.session.refresh(coalition)
    assert (coalition.name, coalition.timezone, coalition.reminder_hours) == ("Old Name", "UTC", 24)


def test_settings_change_is_written_to_the_audit_log(lead_client):
    coalition = lead_client.coalition
    lead_client.post(f"/c/{coalition.slug}/settings", data=SETTINGS)
    response = lead_client.get(f"/c/{coalition.slug}/audit")
    assert b"coalition.settings" in response.data


def test_lead_sets_the_suppression_threshold(db, lead_client):
    coalition = lead_client.coalition
    response = lead_client.post(f"/c/{coalition.slug}/settings", data={**SETTINGS, "suppression_threshold": "10"})
    assert response.status_code == 302
    db.session.refresh(coalition)
    assert coalition.suppression_threshold == 10


def test_suppression_threshold_of_zero_is_refused(db, lead_client):
    coalition = lead_client.coalition
    response = lead_client.post(f"/c/{coalition.slug}/settings", data={**SETTINGS, "suppression_threshold": "0"})
    assert response.status_code == 200
    assert b"Between 1 (show every count) and 50." in response.data
    db.session.refresh(coalition)
    assert coalition.suppression_threshold == 5
