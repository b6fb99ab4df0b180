"""Who may see and do what with stakeholders: organizers and leads only; other coalitions get 404."""

import re
from datetime import timedelta

import pytest

from coalition.extensions import db
from coalition.stakeholders.followups import coalition_today, follow_up_panel
from coalition.stakeholders.models import Outreach, Stakeholder
from tests.conftest import DEFAULT_PASSWORD

ROLES = ["visitor", "member", "organizer", "lead", "outsider"]
EXPECTED = {"visitor": 302, "member": 403, "organizer": 200, "lead": 200, "outsider": 404}


@pytest.fixture
def world(team, make_stakeholder, make_campaign, make_target):
    stakeholder = make_stakeholder(team["coalition"], name="Council Member Reyes", email="reyes@city.example")
    campaign = make_campaign(team["coalition"])
    target = make_target(stakeholder, campaign, by=team["organizer"])
    return dict(team, stakeholder=stakeholder, campaign=campaign, target=target)


def _pages(world):
    s, c, t = world["stakeholder"].id, world["campaign"].id, world["target"].id
    return [
        "/",
        "/?q=reyes",
        "/new",
        f"/{s}",
        f"/{s}/edit",
        "/export.csv",
        "/export.vcf",
        f"/{s}/vcard.vcf",
        "/import",
        f"/{s}/targets/new",
        f"/targets/{t}/edit",
        f"/{s}/outreach/new",
        "/outreach/new?q=reyes",
        "/follow-ups",
        "/follow-ups?scope=all",
        f"/campaigns/{c}/map",
        f"/campaigns/{c}/packet",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_stakeholder_page_answers_by_role(client, login, world, role):
    if role != "visitor":
        login(client, world[role])
    base = f"/c/{world['coalition'].slug}/stakeholders"
    for page in _pages(world):
        response = client.get(base + page)
        assert response.status_code == EXPECTED[role], (page, response.status_code)
        assert b"Reyes" not in response.data or role in ("organizer", "lead")


@pytest.mark.parametrize("role", ["member", "outsider"])
def test_state_changing_posts_are_refused_and_change_nothing(client, login, world, role):
    login(client, world[role])
    base = f"/c/{world['coalition'].slug}/stakeholders"
    s = world["stakeholder"].id
    for url, data in [
        ("/new", {"name": "Sneaky", "category": "ally"}),
        (f"/{s}/edit", {"name": "Renamed", "category": "ally"}),
        (f"/{s}/delete", {}),
        (
            f"/{s}/outreach/new",
            {"occurred_at": "2026-01-05T10:00", "channel": "call", "summary": "x", "response": "none"},
        ),
        (f"/targets/{world['target'].id}/remove", {}),
    ]:
        assert client.post(base + url, data=data).status_code == (403 if role == "member" else 404)
    db.session.expire_all()
    names = db.session.scalars(db.select(Stakeholder.name)).all()
    assert names == ["Council Member Reyes"]


def test_organizer_of_another_coalition_gets_404_for_ids_from_this_one(client, login, world):
    outsider, other = world["outsider"], world["other"]
    login(client, outsider)
    base = f"/c/{other.slug}/stakeholders"
    for page in (
        f"/{world['stakeholder'].id}",
        f"/targets/{world['target'].id}/edit",
        f"/campaigns/{world['campaign'].id}/map",
    ):
        assert client.get(base + page).status_code == 404


def test_member_sees_no_stakeholder_links_or_counts_on_the_dashboard(client, login, world, make_outreach):
    from datetime import date

    make_outreach(
        world["stakeholder"], world["organizer"], follow_up_on=date(2020, 1, 1), follow_up_owner=world["organizer"]
    )
    assert follow_up_panel(world["coalition"], world["member"]) is None
    assert follow_up_panel(world["coalition"], world["organizer"]) is not None
    login(client, world["member"])
    page = client.get(f"/c/{world['coalition'].slug}/campaigns/").data
    assert b"/stakeholders" not in page


def test_filters_work_and_posts_need_a_token_with_csrf_on(client, login, world, csrf_enabled):
    login_response = client.get("/account/login")
    assert login_response.status_code == 200
    base = f"/c/{world['coalition'].slug}/stakeholders"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_response.get_data(as_text=True)).group(1)
    client.post(
        "/account/login", data={"email": world["organizer"].email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    assert b"Council Member Reyes" in client.get(base + "/?q=reyes&category=&campaign=0").data
    assert client.post(f"{base}/{world['stakeholder'].id}/delete").status_code == 400
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Stakeholder.id))) == 1


def test_each_follow_up_is_marked_done_from_the_list_with_the_token_it_carries(
    client, login, world, make_outreach, csrf_enabled
):
    today = coalition_today(world["coalition"])
    entries = [
        make_outreach(world["stakeholder"], world["organizer"], follow_up_on=today - timedelta(days=d)) for d in (1, 2)
    ]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/account/login").get_data(as_text=True))
    client.post(
        "/account/login",
        data={"email": world["organizer"].email, "password": DEFAULT_PASSWORD, "csrf_token": token.group(1)},
    )
    page = client.get(f"/c/{world['coalition'].slug}/stakeholders/follow-ups?scope=all").get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="([^"]+/done)".*?value="([^"]+)".*?</form>', page, re.S)
    assert [action.rsplit("/", 2)[-2] for action, _token in forms] == [str(e.id) for e in reversed(entries)]
    action, row_token = forms[0]
    assert client.post(action, data={"csrf_token": row_token, "next": "follow_ups"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Outreach, entries[1].id).follow_up_done
