"""The permission grid of the foundation: roles × actions × objects, and `can()` for every role and action."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from coalition.campaigns.models import Campaign
from coalition.coalitions.models import Invitation, Membership
from coalition.coalitions.services import invite, request_to_join, save_partner
from coalition.core.models import utcnow
from coalition.core.permissions import OBJECT_RULES, ROLE_PERMISSIONS, Role, can, role_allows
from coalition.decisions import services as decisions

ROLES = ["anonymous", "member", "organizer", "lead", "other_lead", "pending", "removed"]
OUTSIDERS = {"other_lead": 404, "pending": 404, "removed": 404, "anonymous": "login"}

SETTINGS = {
    "name": "Renamed",
    "default_locale": "en",
    "timezone": "UTC",
    "reminder_hours": "24",
    "no_response_days": "14",
}

# action: (method, url template, data, expected for member, organizer, lead)
ACTIONS = {
    "dashboard": ("GET", "/c/{slug}/", None, 200, 200, 200),
    "members": ("GET", "/c/{slug}/members", None, 200, 200, 200),
    "partners": ("GET", "/c/{slug}/partners", None, 200, 200, 200),
    "invite_form": ("GET", "/c/{slug}/members/invite", None, 403, 403, 200),
    "invite": (
        "POST",
        "/c/{slug}/members/invite",
        {"email": "n@example.org", "role": "lead", "partner_id": "0"},
        403,
        403,
        302,
    ),
    "invitations": ("GET", "/c/{slug}/invitations", None, 403, 403, 200),
    "revoke_invitation": ("POST", "/c/{slug}/invitations/{invitation}/revoke", {}, 403, 403, 302),
    "settings_get": ("GET", "/c/{slug}/settings", None, 403, 403, 200),
    "settings_post": ("POST", "/c/{slug}/settings", SETTINGS, 403, 403, 302),
    "partner_new": ("GET", "/c/{slug}/partners/new", None, 403, 403, 200),
    "partner_edit": ("GET", "/c/{slug}/partners/{partner}/edit", None, 403, 403, 200),
    "partner_edit_post": ("POST", "/c/{slug}/partners/{partner}/edit", {"name": "Renamed"}, 403, 403, 302),
    "partner_delete": ("POST", "/c/{slug}/partners/{partner}/delete", {}, 403, 403, 302),
    "change_role": ("POST", "/c/{slug}/members/{target}/role", {"role": "organizer"}, 403, 403, 302),
    "remove_member": ("POST", "/c/{slug}/members/{target}/remove", {}, 403, 403, 302),
    "approve": ("POST", "/c/{slug}/members/{requester}/approve", {}, 403, 403, 302),
    "decline": ("POST", "/c/{slug}/members/{requester}/decline", {}, 403, 403, 302),
    "audit": ("GET", "/c/{slug}/audit", None, 403, 403, 200),
    # decisions
    "decisions": ("GET", "/c/{slug}/decisions/", None, 200, 200, 200),
    "decisions_drafts": ("GET", "/c/{slug}/decisions/?state=drafts", None, 200, 200, 200),
    "decision_show": ("GET", "/c/{slug}/decisions/{decision}", None, 200, 200, 200),
    "decision_draft_show": ("GET", "/c/{slug}/decisions/{draft}", None, 404, 200, 200),
    "decision_csv": ("GET", "/c/{slug}/decisions/{decision}/result.csv", None, 200, 200, 200),
    "decision_answer": ("POST", "/c/{slug}/decisions/{decision}/answer", {"position": "agree"}, 302, 302, 302),
    "decision_new": ("GET", "/c/{slug}/decisions/new", None, 403, 200, 200),
    "decision_create": ("POST", "/c/{slug}/decisions/new", {"title": ""}, 403, 200, 200),
    "decision_edit": ("GET", "/c/{slug}/decisions/{decision}/edit", None, 403, 200, 200),
    "decision_open": ("POST", "/c/{slug}/decisions/{draft}/open", {}, 404, 302, 302),
    "decision_close": ("POST", "/c/{slug}/decisions/{decision}/close", {}, 403, 302, 302),
    "decision_extend": ("GET", "/c/{slug}/decisions/{decision}/extend", None, 403, 200, 200),
    "decision_reopen": ("GET", "/c/{slug}/decisions/{decision}/reopen", None, 403, 200, 200),
    "decision_withdraw": ("POST", "/c/{slug}/decisions/{decision}/withdraw", {}, 403, 302, 302),
    "decision_remind": ("POST", "/c/{slug}/decisions/{decision}/remind", {}, 403, 302, 302),
    "decision_outcome": ("GET", "/c/{slug}/decisions/{decision}/outcome", None, 403, 200, 200),
    "checkin": ("GET", "/c/{slug}/decisions/checkins/{campaign}", None, 200, 200, 200),
    "checkin_setup": (
        "POST",
        "/c/{slug}/decisions/checkins/{campaign}",
        {"setup-every_weeks": "2", "setup-submit": "1"},
        403,
        302,
        302,
    ),
}


@pytest.fixture
def world(db, make_coalition, make_member, make_user):
    """A coalition with a partner, a target member, a join request and an open invitation; another coalition."""
    coalition = make_coalition(allow_join_requests=True)
    other = make_coalition()
    partner = save_partner(coalition, None, name="Tenant Union")
    target = make_member(coalition, "member")
    requester = make_user()
    request_to_join(coalition, requester)
    invite(coalition, "invited@example.org", Role.MEMBER, invited_by=None)
    organizer = make_member(coalition, "organizer")
    campaign = Campaign(coalition_id=coalition.id, title="Safe homes", slug="safe-homes")
    db.session.add(campaign)
    decision, draft = (_decision(coalition, organizer, title) for title in ("Open question", "Draft question"))
    decisions.open_decision(decision, organizer)
    db.session.commit()
    ids = {
        "slug": coalition.slug,
        "partner": partner.id,
        "target": _membership_id(db, coalition, target),
        "requester": _membership_id(db, coalition, requester),
        "invitation": db.session.scalar(select(Invitation.id)),
        "decision": decision.id,
        "draft": draft.id,
        "campaign": campaign.id,
    }
    return {"coalition": coalition, "other": other, "ids": ids}


def _decision(coalition, organizer, title):
    return decisions.create_decision(
        coalition,
        organizer,
        kind="proposal",
        privacy="organizers",
        options=[],
        title=title,
        opens_at=utcnow() - timedelta(minutes=1),
        closes_at=utcnow() + timedelta(days=3),
    )


def _membership_id(db, coalition, user):
    return db.session.scalar(
        select(Membership.id).where(Membership.coalition_id == coalition.id, Membership.user_id == user.id)
    )


def _client_as(role, app, db, world, make_member, make_user, login):
    client = app.test_client()
    coalition = world["coalition"]
    if role == "anonymous":
        return client
    if role in ("member", "organizer", "lead"):
        user = make_member(coalition, role)
    elif role == "other_lead":
        user = make_member(world["other"], "lead")
    elif role == "pending":
        user = make_user()
        request_to_join(coalition, user)
        db.session.commit()
    elif role == "removed":
        user = make_member(coalition, "member")
        membership = db.session.get(Membership, _membership_id(db, coalition, user))
        membership.status = "removed"
        db.session.commit()
    login(client, user)
    return client


def _expected(role, action):
    if role in OUTSIDERS:
        return OUTSIDERS[role]
    return dict(zip(("member", "organizer", "lead"), ACTIONS[action][3:], strict=True))[role]


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_grid(app, db, world, make_member, make_user, login, role, action):
    method, url, data, *_ = ACTIONS[action]
    client = _client_as(role, app, db, world, make_member, make_user, login)
    response = client.open(url.format(**world["ids"]), method=method, data=data)
    expected = _expected(role, action)
    if expected == "login":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/login")
    else:
        assert response.status_code == expected, response.data[:300]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/c/{slug}/partners/{partner}/edit"),
        ("POST", "/c/{slug}/partners/{partner}/delete"),
        ("POST", "/c/{slug}/members/{target}/role"),
        ("POST", "/c/{slug}/members/{target}/remove"),
        ("POST", "/c/{slug}/members/{requester}/approve"),
        ("POST", "/c/{slug}/invitations/{invitation}/revoke"),
        ("GET", "/c/{slug}/decisions/{decision}"),
        ("GET", "/c/{slug}/decisions/{decision}/result.csv"),
        ("POST", "/c/{slug}/decisions/{decision}/answer"),
        ("GET", "/c/{slug}/decisions/{decision}/edit"),
        ("POST", "/c/{slug}/decisions/{decision}/close"),
        ("POST", "/c/{slug}/decisions/{draft}/open"),
        ("GET", "/c/{slug}/decisions/{decision}/outcome"),
        ("GET", "/c/{slug}/decisions/checkins/{campaign}"),
    ],
)
def test_object_of_another_coalition_is_not_found_under_this_coalition(app, db, world, make_member, login, method, url):
    """A lead of B using B's object ids under B's own URL gets 404 when the ids belong to coalition A."""
    other = world["other"]
    client = app.test_client()
    login(client, make_member(other, "lead"))
    ids = {**world["ids"], "slug": other.slug}
    response = client.open(url.format(**ids), method=method, data={"role": "organizer", "name": "X"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/c/{slug}/partners/99999999999/edit"),
        ("GET", "/c/{slug}/partners/2147483648/edit"),
        ("GET", "/c/{slug}/partners/0/edit"),
        ("POST", "/c/{slug}/members/99999999999/role"),
        ("POST", "/c/{slug}/members/99999999999999999999999/remove"),
        ("POST", "/c/{slug}/invitations/99999999999/revoke"),
        ("GET", "/c/no-such-coalition/"),
    ],
)
def test_out_of_range_ids_and_unknown_coalitions_are_not_found(app, world, make_member, login, method, url):
    client = app.test_client()
    login(client, make_member(world["coalition"], "lead"))
    response = client.open(url.format(**world["ids"]), method=method, data={"role": "organizer"})
    assert response.status_code == 404


# --- can() for every role and action ---------------------------------------------------------------------------

ALL_ACTIONS = sorted({action.removesuffix(":own") for actions in ROLE_PERMISSIONS.values() for action in actions})


@pytest.mark.parametrize("action", ALL_ACTIONS)
@pytest.mark.parametrize("role", list(Role))
def test_role_map_answers_every_role_and_action(role, action):
    assert role_allows(role, action) == (action in ROLE_PERMISSIONS[role])


@pytest.mark.parametrize("action", [a for a in ALL_ACTIONS if a not in OBJECT_RULES])
@pytest.mark.parametrize("role", list(Role))
def test_can_follows_the_role_map_for_members_of_the_coalition(make_coalition, make_member, role, action):
    coalition = make_coalition()
    user = make_member(coalition, role.value)
    assert can(action, coalition, user=user) == (action in ROLE_PERMISSIONS[role])


@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_can_refuses_everything_to_a_lead_of_another_coalition(make_coalition, make_member, action):
    coalition, other = make_coalition(), make_coalition()
    assert not can(action, coalition, user=make_member(other, "lead"))


@pytest.mark.parametrize("status", ["pending", "removed"])
def test_can_refuses_everything_to_pending_and_removed_members(db, make_coalition, make_member, status):
    coalition = make_coalition()
    user = make_member(coalition, "lead")
    db.session.scalar(select(Membership).where(Membership.user_id == user.id)).status = status
    db.session.commit()
    assert not any(can(action, coalition, user=user) for action in ALL_ACTIONS)


def test_roles_include_the_roles_below_them():
    assert ROLE_PERMISSIONS[Role.MEMBER] < ROLE_PERMISSIONS[Role.ORGANIZER] < ROLE_PERMISSIONS[Role.LEAD]


def test_only_leads_manage_the_coalition():
    managing = {"coalition.manage", "partner.manage", "member.manage", "audit.view"}
    assert managing <= ROLE_PERMISSIONS[Role.LEAD]
    assert not managing & ROLE_PERMISSIONS[Role.ORGANIZER]


class _Owned:
    def __init__(self, coalition_id, owner):
        self.coalition_id, self.owner = coalition_id, owner

    def is_owned_by(self, user):
        return user.id == self.owner.id


def test_own_actions_are_allowed_only_on_ones_own_objects(make_coalition, make_member):
    own_actions = sorted(a.removesuffix(":own") for a in ROLE_PERMISSIONS[Role.MEMBER] if a.endswith(":own"))
    coalition = make_coalition()
    owner, someone = make_member(coalition, "member"), make_member(coalition, "member")
    mine = _Owned(coalition.id, owner)
    for action in own_actions:
        assert role_allows(Role.MEMBER, action, owner, mine)
        assert not role_allows(Role.MEMBER, action, someone, mine)
        assert not role_allows(Role.MEMBER, action, owner, None)
