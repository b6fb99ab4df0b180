"""People in several coalitions switch between them; each sees the navigation of their role there."""

import re

import pytest


def _nav_links(html: bytes) -> list[str]:
    """Labels of the coalition navigation."""
    nav = re.search(rb'<nav aria-label="Coalition" class="main-nav">(.*?)</nav>', html, re.S)
    return [label.decode() for label in re.findall(rb"<a [^>]*>([^<]+)</a>", nav.group(1))] if nav else []


def test_person_in_two_coalitions_sees_both_on_home_and_can_open_each(
    app, db, make_coalition, make_member, make_user, login
):
    tenants = make_coalition(name="Riverside Tenants")
    clinic = make_coalition(name="Clinic Access Alliance")
    person = make_user()
    make_member(tenants, "lead", user=person)
    make_member(clinic, "member", user=person)
    client = app.test_client()
    login(client, person)
    home = client.get("/")
    assert home.status_code == 200
    assert f'href="/c/{tenants.slug}/"'.encode() in home.data
    assert f'href="/c/{clinic.slug}/"'.encode() in home.data
    tenants_page = client.get(f"/c/{tenants.slug}/")
    clinic_page = client.get(f"/c/{clinic.slug}/")
    assert tenants_page.status_code == clinic_page.status_code == 200
    assert b"Your role here: Coalition lead" in tenants_page.data
    assert b"Your role here: Member" in clinic_page.data


def test_person_in_two_coalitions_sees_role_navigation_in_each(app, make_coalition, make_member, make_user, login):
    tenants = make_coalition()
    clinic = make_coalition()
    person = make_user()
    make_member(tenants, "lead", user=person)
    make_member(clinic, "member", user=person)
    client = app.test_client()
    login(client, person)
    assert "Settings" in _nav_links(client.get(f"/c/{tenants.slug}/").data)
    assert "Settings" not in _nav_links(client.get(f"/c/{clinic.slug}/").data)
    assert client.get(f"/c/{clinic.slug}/settings").status_code == 403


def test_person_in_one_coalition_goes_straight_to_its_dashboard(client, make_coalition, make_member, login):
    coalition = make_coalition()
    login(client, make_member(coalition, "member"))
    response = client.get("/")
    assert response.headers["Location"] == f"/c/{coalition.slug}/"


def test_person_in_no_coalition_is_told_how_to_join(client, make_user, login):
    login(client, make_user())
    response = client.get("/")
    assert response.status_code == 200
    assert b"You are not a member of any coalition yet." in response.data


@pytest.mark.parametrize(
    ("role", "present", "absent"),
    [
        ("member", {"Dashboard", "People", "Partners"}, {"Settings", "Audit log"}),
        ("organizer", {"Dashboard", "People", "Partners"}, {"Settings", "Audit log"}),
        ("lead", {"Dashboard", "People", "Partners", "Settings", "Audit log"}, set()),
    ],
)
def test_navigation_follows_the_role(client, make_coalition, make_member, login, role, present, absent):
    coalition = make_coalition()
    login(client, make_member(coalition, role))
    links = set(_nav_links(client.get(f"/c/{coalition.slug}/").data))
    assert present <= links
    assert not (absent & links)


def test_members_never_see_other_members_emails(client, make_coalition, make_member, login):
    coalition = make_coalition()
    make_member(coalition, "organizer", email="organizer.private@example.org", name="Olga Organizer")
    make_member(coalition, "member", email="member.private@example.org", name="Mina Member")
    login(client, make_member(coalition, "member"))
    page = client.get(f"/c/{coalition.slug}/members")
    assert b"Olga Organizer" in page.data and b"Mina Member" in page.data
    assert b"private@example.org" not in page.data
    assert b"Email" not in page.data


@pytest.mark.parametrize("role", ["organizer", "lead"])
def test_organizers_and_leads_see_member_emails(client, make_coalition, make_member, login, role):
    coalition = make_coalition()
    make_member(coalition, "member", email="member.private@example.org")
    login(client, make_member(coalition, role))
    assert b"member.private@example.org" in client.get(f"/c/{coalition.slug}/members").data


def test_only_leads_see_member_management_buttons(app, make_coalition, make_member, login):
    coalition = make_coalition()
    make_member(coalition, "member")
    organizer, lead = app.test_client(), app.test_client()
    login(organizer, make_member(coalition, "organizer"))
    login(lead, make_member(coalition, "lead"))
    assert b"Change role" not in organizer.get(f"/c/{coalition.slug}/members").data
    assert b"Invite someone" not in organizer.get(f"/c/{coalition.slug}/members").data
    assert b"Change role" in lead.get(f"/c/{coalition.slug}/members").data


def test_visitor_sees_no_coalition_navigation_on_the_welcome_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert _nav_links(response.data) == []
    assert b'href="/account/login"' in response.data
