"""Queries other domains use to ask who belongs to a coalition."""

from sqlalchemy import Select, select

from coalition.accounts.models import User
from coalition.coalitions.models import Coalition, Membership, MembershipStatus
from coalition.core.permissions import Role
from coalition.extensions import db


def active_members(coalition=None, roles: tuple[Role, ...] | list[Role] | None = None) -> Select:
    """A `select(User)` of the active members of `coalition` (of every coalition when None), optionally only
    those with one of `roles` (e.g. `roles_with("stakeholder.view")` for the organizing team); ordered by name.

    Callers add their own filters, columns, joins and limits."""
    statement = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.status == MembershipStatus.ACTIVE)
        .order_by(User.display_name, User.id)
    )
    if coalition is not None:
        coalition_id = coalition if isinstance(coalition, int) else coalition.id
        statement = statement.where(Membership.coalition_id == coalition_id)
    if roles is not None:
        statement = statement.where(Membership.role.in_(list(roles)))
    return statement


def coalition_by_slug(slug: str) -> Coalition | None:
    """The coalition at /c/<slug>/, if any."""
    return db.session.scalar(select(Coalition).where(Coalition.slug == slug))


def memberships_of(user_id: int) -> dict[int, Membership]:
    """{coalition id: Membership} of a person's active memberships, in one query."""
    rows = db.session.scalars(
        select(Membership).where(Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE)
    )
    return {membership.coalition_id: membership for membership in rows}
