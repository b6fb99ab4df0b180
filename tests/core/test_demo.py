"""`flask seed-demo`: idempotent; each demo account logs in and sees its role's navigation."""

import re

import pytest
from sqlalchemy import func, select

from coalition.accounts.models import User
from coalition.coalitions.models import Coalition, Membership, PartnerOrganization
from coalition.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SLUG


def _seed(app):
    return app.test_cli_runner().invoke(args=["seed-demo"])


def _counts(db):
    return [
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Coalition, User, Membership, PartnerOrganization)
    ]


def test_seed_demo_creates_the_demo_coalition_and_accounts(app, db):
    result = _seed(app)
    assert result.exit_code == 0, result.output
    for email, _name in DEMO_ACCOUNTS.values():
        assert email in result.output
    assert DEMO_PASSWORD in result.output
    coalition = db.session.scalar(select(Coalition).where(Coalition.slug == DEMO_SLUG))
    assert coalition.timezone == "America/Chicago"
    assert len(coalition.partners) >= 2


def test_seed_demo_twice_changes_nothing_the_second_time(app, db):
    assert _seed(app).exit_code == 0
    before = _counts(db)
    second = _seed(app)
    assert second.exit_code == 0
    assert "already present" in second.output
    assert _counts(db) == before


def _nav(html: bytes) -> set[str]:
    nav = re.search(rb'<nav aria-label="Coalition" class="main-nav">(.*?)</nav>', html, re.S).group(1)
    return {label.decode() for label in re.findall(rb"<a [^>]*>([^<]+)</a>", nav)}


@pytest.mark.parametrize(
    ("role", "sees", "does_not_see"),
    [
        ("lead", {"Dashboard", "People", "Settings", "Audit log"}, set()),
        ("organizer", {"Dashboard", "People"}, {"Settings", "Audit log"}),
        ("member", {"Dashboard", "People"}, {"Settings", "Audit log"}),
    ],
)
def test_each_demo_account_logs_in_and_sees_its_roles_navigation(app, db, role, sees, does_not_see):
    _seed(app)
    client = app.test_client()
    email = DEMO_ACCOUNTS[role][0]
    response = client.post("/account/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.data[-600:]
    dashboard = client.get(f"/c/{DEMO_SLUG}/")
    assert dashboard.status_code == 200
    nav = _nav(dashboard.data)
    assert sees <= nav
    assert not (does_not_see & nav)
    label = {"lead": "Coalition lead", "organizer": "Organizer", "member": "Member"}[role]
    assert f"Your role here: {label}".encode() in dashboard.data


def test_demo_pages_render_for_each_role(app, db):
    _seed(app)
    for role in ("lead", "organizer", "member"):
        client = app.test_client()
        client.post("/account/login", data={"email": DEMO_ACCOUNTS[role][0], "password": DEMO_PASSWORD})
        for path in ("/", "/members", "/partners"):
            assert client.get(f"/c/{DEMO_SLUG}{path}").status_code == 200, (role, path)
