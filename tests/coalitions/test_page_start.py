"""What every page of a coalition does before its own work: one statement for the log-in session, the person, their
roles and the coalition, and a header built from it; authorization still read afresh on every request."""

import re

from flask_babel import force_locale, gettext
from sqlalchemy import delete, update

from coalition.accounts.models import LoginSession
from coalition.coalitions.models import Membership, MembershipStatus
from coalition.core.permissions import Role


def _menu(html: str) -> list[tuple[str, str]]:
    """(address, label) of each item of the coalition's menu."""
    found = re.search(r'<nav aria-label="[^"]*" class="main-nav">.*?</nav>', html, re.S)
    return re.findall(r'<li><a href="([^"]*)"[^>]*>([^<]+)</a></li>', found.group(0)) if found else []


def test_a_page_starts_with_one_statement_for_session_person_roles_and_coalition(
    client, make_coalition, make_member, login, count_queries
):
    coalition, other = make_coalition(), make_coalition()
    user = make_member(coalition, "member")
    make_member(other, "lead", user=user)
    login(client, user)
    client.get(f"/c/{coalition.slug}/partners")  # warm-up (last_seen_at)
    with count_queries() as counter:
        assert client.get(f"/c/{coalition.slug}/partners").status_code == 200
    first, rest = counter.statements[0], counter.statements[1:]
    assert "login_sessions" in first and "memberships" in first and "coalitions" in first
    assert not [s for s in rest if "login_sessions" in s or "coalitions.slug" in s or "memberships.user_id =" in s]


def test_the_fixed_statements_do_not_grow_with_the_coalitions_a_person_is_in(
    app, make_coalition, make_member, login, count_queries
):
    counts = []
    for others in (0, 4):
        coalition = make_coalition()
        user = make_member(coalition, "member")
        for _ in range(others):
            make_member(make_coalition(), "organizer", user=user)
        client = app.test_client()
        login(client, user)
        client.get(f"/c/{coalition.slug}/partners")
        with count_queries() as counter:
            assert client.get(f"/c/{coalition.slug}/partners").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 3, counts


def test_a_removed_member_loses_the_coalition_on_the_very_next_request(db, as_role, coalition):
    client, user = as_role("organizer")
    assert client.get(f"/c/{coalition.slug}/").status_code == 200
    db.session.execute(update(Membership).where(Membership.user_id == user.id).values(status=MembershipStatus.REMOVED))
    db.session.commit()
    assert client.get(f"/c/{coalition.slug}/").status_code == 404


def test_a_changed_role_shows_in_the_menu_on_the_very_next_request(db, as_role, coalition):
    client, user = as_role("member")
    labels = [label for _, label in _menu(client.get(f"/c/{coalition.slug}/").get_data(as_text=True))]
    assert "Stakeholders" not in labels and "Settings" not in labels
    db.session.execute(update(Membership).where(Membership.user_id == user.id).values(role=Role.LEAD))
    db.session.commit()
    labels = [label for _, label in _menu(client.get(f"/c/{coalition.slug}/").get_data(as_text=True))]
    assert "Stakeholders" in labels and "Settings" in labels


def test_a_revoked_session_stops_working_at_once(db, as_role, coalition):
    client, user = as_role("lead")
    assert client.get(f"/c/{coalition.slug}/").status_code == 200
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.commit()
    response = client.get(f"/c/{coalition.slug}/")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_menu_speaks_the_persons_language(app, as_role, coalition):
    client, _ = as_role("lead", locale="es")
    labels = [label for _, label in _menu(client.get(f"/c/{coalition.slug}/").get_data(as_text=True))]
    with app.test_request_context(), force_locale("es"):
        expected = [gettext(text) for text in ("Dashboard", "Campaigns", "People", "Settings", "Audit log")]
    assert expected[1] != "Campaigns"
    assert set(expected) <= set(labels)


def test_the_menu_links_follow_where_the_site_is_mounted(as_role, coalition):
    client, _ = as_role("member")
    mounted = _menu(client.get(f"/c/{coalition.slug}/", base_url="http://localhost/site/").get_data(as_text=True))
    plain = _menu(client.get(f"/c/{coalition.slug}/").get_data(as_text=True))
    assert mounted[0] == (f"/site/c/{coalition.slug}/", "Dashboard")
    assert plain[0] == (f"/c/{coalition.slug}/", "Dashboard")


def test_the_menu_of_another_coalition_links_to_that_coalition(app, make_coalition, make_member, login):
    first, second = make_coalition(), make_coalition()
    user = make_member(first, "member")
    make_member(second, "member", user=user)
    client = app.test_client()
    login(client, user)
    assert _menu(client.get(f"/c/{first.slug}/").get_data(as_text=True))[1][0] == f"/c/{first.slug}/campaigns/"
    assert _menu(client.get(f"/c/{second.slug}/").get_data(as_text=True))[1][0] == f"/c/{second.slug}/campaigns/"


def test_the_log_out_button_carries_a_working_csrf_token(app, as_role, coalition):
    client, _ = as_role("member")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        html = client.get(f"/c/{coalition.slug}/").get_data(as_text=True)
        form = re.search(r'<form method="post" action="/account/logout".*?</form>', html, re.S).group(0)
        token = re.search(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)">', form).group(1)
        assert client.post("/account/logout", data={"csrf_token": token}).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert client.get(f"/c/{coalition.slug}/").status_code == 302
