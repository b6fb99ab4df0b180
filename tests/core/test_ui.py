"""Base UI: language from the person's preference then the browser, pagination with bounded queries."""

import re

import pytest

from coalition.coalitions.services import add_member
from coalition.core.permissions import Role


def _lang(response) -> str:
    return re.search(rb'<html lang="([^"]+)"', response.data).group(1).decode()


def test_visitor_gets_the_language_of_the_browser(client):
    assert _lang(client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})) == "es"


def test_visitor_with_an_unsupported_browser_language_gets_english(client):
    assert _lang(client.get("/", headers={"Accept-Language": "de-DE"})) == "en"


def test_persons_preferred_language_wins_over_the_browser(client, make_user, login):
    login(client, make_user(locale="es"))
    assert _lang(client.get("/account/profile", headers={"Accept-Language": "en-US"})) == "es"


def test_person_without_preference_gets_the_browser_language(client, make_user, login):
    login(client, make_user(locale=None))
    assert _lang(client.get("/account/profile", headers={"Accept-Language": "es"})) == "es"


def test_changing_the_language_in_the_profile_changes_the_page_language(client, make_user, login):
    login(client, make_user())
    client.post("/account/profile", data={"display_name": "Ana", "locale": "es", "timezone": ""})
    assert _lang(client.get("/account/profile", headers={"Accept-Language": "en"})) == "es"


def _coalition_with_members(db, make_coalition, make_user, count):
    coalition = make_coalition()
    for n in range(count):
        add_member(coalition, make_user(name=f"Member {n:02d} Person"), Role.MEMBER)
    db.session.commit()
    return coalition


def test_members_list_is_paginated_with_a_link_to_page_two(db, client, make_coalition, make_user, make_member, login):
    coalition = _coalition_with_members(db, make_coalition, make_user, 30)
    login(client, make_member(coalition, "lead", name="Zed Lead"))
    first = client.get(f"/c/{coalition.slug}/members")
    assert re.search(rb'<a href="/c/[^"]+/members\?[^"]*page=2" rel="next">', first.data)
    assert b"31 in all" in first.data
    assert first.data.count(b"<td>Member ") == 25
    second = client.get(f"/c/{coalition.slug}/members?page=2")
    assert second.data.count(b"<td>Member ") == 5
    assert b"Zed Lead</td>" in second.data
    assert b'rel="prev"' in second.data


@pytest.mark.parametrize("page", ["0", "-3", "abc", "999999999999"])
def test_odd_page_numbers_never_fail(db, client, make_coalition, make_member, login, page):
    coalition = make_coalition()
    login(client, make_member(coalition, "lead"))
    assert client.get(f"/c/{coalition.slug}/members?page={page}").status_code == 200


@pytest.mark.parametrize("role", ["member", "lead"])
def test_members_list_runs_the_same_number_of_queries_for_5_and_30_members(
    app, db, make_coalition, make_user, make_member, login, count_queries, role
):
    counts = []
    for size in (5, 30):
        coalition = _coalition_with_members(db, make_coalition, make_user, size)
        client = app.test_client()
        login(client, make_member(coalition, role))
        client.get(f"/c/{coalition.slug}/members")  # warm-up (last_seen_at, caches)
        with count_queries() as counter:
            assert client.get(f"/c/{coalition.slug}/members").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 10


def test_dashboard_and_home_pages_render_for_a_new_coalition(client, make_coalition, make_member, login):
    coalition = make_coalition()
    login(client, make_member(coalition, "lead"))
    response = client.get(f"/c/{coalition.slug}/")
    assert response.status_code == 200
    assert b'<a class="skip-link" href="#main">' in response.data
    assert b'aria-current="page"' in response.data
