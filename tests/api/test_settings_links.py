"""Links to the leads' API pages (keys, webhooks, people import) from the coalition's settings and people pages."""

import pytest

PAGES = ("/settings/api-keys", "/settings/webhooks", "/settings/people-import")


def _logged_in(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def test_settings_page_links_to_keys_webhooks_and_import_for_leads(app, login, team):
    slug = team["coalition"].slug
    page = _logged_in(app, login, team["lead"]).get(f"/c/{slug}/settings").get_data(as_text=True)
    for path in PAGES:
        assert f'href="/c/{slug}{path}"' in page


def test_each_linked_settings_page_opens_for_a_lead(app, login, team):
    client = _logged_in(app, login, team["lead"])
    assert [client.get(f"/c/{team['coalition'].slug}{path}").status_code for path in PAGES] == [200, 200, 200]


def test_people_page_links_to_the_import_for_leads(app, login, team):
    slug = team["coalition"].slug
    page = _logged_in(app, login, team["lead"]).get(f"/c/{slug}/members").get_data(as_text=True)
    assert f'href="/c/{slug}/settings/people-import"' in page


@pytest.mark.parametrize("role", ["organizer", "member"])
def test_nobody_else_sees_the_links(app, login, team, role):
    slug = team["coalition"].slug
    client = _logged_in(app, login, team[role])
    assert client.get(f"/c/{slug}/settings").status_code == 403
    people = client.get(f"/c/{slug}/members").get_data(as_text=True)
    dashboard = client.get(f"/c/{slug}/").get_data(as_text=True)
    for path in PAGES:
        assert f"/c/{slug}{path}" not in people and f"/c/{slug}{path}" not in dashboard
