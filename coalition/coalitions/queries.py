"""Queries other domains use to ask who belongs to a coalition."""

from sqlalchemy import Select, select

from coalition.accounts.models import User
from coalition.coalitions.models import Membership, MembershipStatus
from coalition.core.permissions import Role


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
