"""OSDI people: the coalition's active members (never stakeholders, never visitors), the signup helper."""

from flask import abort, g
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coalition.accounts.models import User
from coalition.api import bp, hal
from coalition.api.keys import audit_api
from coalition.coalitions import signup, tagging
from coalition.coalitions.models import Invitation, Membership, MembershipStatus
from coalition.core.models import utcnow
from coalition.extensions import db


def split_name(display_name: str) -> tuple[str, str]:
    """("Ana", "Martínez López") from "Ana Martínez López"."""
    parts = (display_name or "").split(maxsplit=1)
    return (parts[0] if parts else "", parts[1] if len(parts) > 1 else "")


def member_json(membership: Membership, tags: list[str]) -> dict:
    """An OSDI person for an active member."""
    user = membership.user
    given, family = split_name(user.display_name)
    path = f"people/{membership.public_id}"
    return {
        "identifiers": hal.identifiers(membership),
        "created_date": hal.iso(membership.created_at),
        "modified_date": hal.iso(max(membership.updated_at, user.updated_at)),
        "given_name": given,
        "family_name": family,
        "email_addresses": [{"primary": True, "address": user.email, "status": "subscribed"}],
        "phone_numbers": [],
        "postal_addresses": [],
        "languages_spoken": [user.locale] if user.locale else [],
        "preferred_language": user.locale,
        "custom_fields": {"role": str(membership.role)},
        "coalition:status": "member",
        "coalition:tags": tags,
        "_links": {"self": hal.href(path), "osdi:taggings": hal.href(f"{path}/taggings")},
    }


def invited_json(invitation: Invitation) -> dict:
    """An OSDI person for someone invited who has not joined yet (no name until they give one)."""
    return {
        "identifiers": hal.identifiers(invitation),
        "created_date": hal.iso(invitation.created_at),
        "modified_date": hal.iso(invitation.created_at),
        "given_name": "",
        "family_name": "",
        "email_addresses": [{"primary": True, "address": invitation.email, "status": "invited"}],
        "phone_numbers": [],
        "postal_addresses": [],
        "languages_spoken": [],
        "preferred_language": None,
        "custom_fields": {},
        "coalition:status": "invited",
        "coalition:tags": list(invitation.tags or []),
        "_links": {"self": hal.href(f"people/{invitation.public_id}")},
    }


def members_statement():
    """select(Membership) of the key's coalition's active members, their accounts loaded, oldest first."""
    return (
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.coalition_id == g.coalition.id, Membership.status == MembershipStatus.ACTIVE)
        .options(joinedload(Membership.user))
        .order_by(Membership.id)
    )


def member_or_404(person_id: str) -> Membership:
    """An active member of the key's coalition by public id, or 404."""
    membership = db.session.scalar(members_statement().where(Membership.public_id == hal.public_id(person_id)))
    if membership is None:
        abort(404, description="No such person.")
    return membership


def render_people(memberships: list[Membership]) -> list[dict]:
    """People for a page of members, their tags in one query."""
    tags = tagging.tags_by_membership(m.id for m in memberships)
    return [member_json(m, tags[m.id]) for m in memberships]


@bp.get("/people")
def list_people():
    """List the coalition's members, paginated, with `filter=modified_date gt '…'` or `email_address eq '…'`."""
    statement = hal.apply_filter(
        members_statement(),
        {"modified_date": Membership.updated_at, "created_date": Membership.created_at},
        {"email_address": User.email},
    )
    rows, total, page, per_page = hal.paginate(statement)
    audit_api("people.read", count=len(rows))
    return hal.collection("people", "people", render_people(rows), total, page, per_page)


@bp.get("/people/<person_id>")
def show_person(person_id):
    """One person: a member, or someone invited."""
    uid = hal.public_id(person_id)
    membership = db.session.scalar(members_statement().where(Membership.public_id == uid))
    if membership is not None:
        audit_api("person.read", obj=membership)
        return hal.hal(render_people([membership])[0])
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.coalition_id == g.coalition.id, Invitation.public_id == uid)
    )
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= utcnow():
        abort(404, description="No such person.")
    audit_api("person.read", obj=invitation)
    return hal.hal(invited_json(invitation))


@bp.post("/people")
@bp.post("/people/person_signup_helper")
@bp.post("/person_signup_helper")
def person_signup_helper():
    """Match a person by email: tag a member, or invite someone new (an invitation mail); never an account."""
    body = hal.json_body()
    person = hal.typed(body, "person", dict, {}) or {}
    email = hal.primary_email(person)
    add_tags = hal.string_list(body, "add_tags")
    match, invited = signup.sign_up_person(g.coalition, email, tags=add_tags, by=g.api_actor)
    audit_api("person.signup", obj=match.membership or match.invitation, invited=invited)
    db.session.flush()
    if match.membership is not None:
        return hal.hal(render_people([match.membership])[0])
    return hal.hal(invited_json(match.invitation), 201 if invited else 200)
