"""Queries other domains use to ask who belongs to a coalition."""

from functools import cache

from sqlalchemy import Select, bindparam, func, inspect, select
from sqlalchemy.orm import joinedload

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


def count_members(coalition, status: MembershipStatus | str = MembershipStatus.ACTIVE) -> int:
    """How many memberships of `coalition` have `status`: the people list's total, read from the memberships' index
    alone (the list itself joins the people, for their names)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.coalition_id == coalition.id, Membership.status == status)
    )


#: The person's memberships and their coalitions, loaded with every log-in session (see `register`): the pages of a
#: coalition then find its member's role, and the coalition itself, without a statement of their own.
SESSION_USER_OPTIONS = (joinedload(User.memberships).joinedload(Membership.coalition),)


def coalition_by_slug(slug: str, user=None) -> Coalition | None:
    """The coalition at /c/<slug>/, if any: one of `user`'s, when it came with their log-in session, else queried."""
    if user is not None:
        for membership in memberships_of(user).values():
            coalition = _loaded(membership, "coalition")
            if coalition is not None and coalition.slug == slug:
                return coalition
    return db.session.scalar(_by_slug(), {"slug": slug})


@cache
def _by_slug() -> Select:
    """Built once: every visitor's page of a coalition (a public page, a calendar feed) starts with it."""
    return select(Coalition).where(Coalition.slug == bindparam("slug"))


def memberships_of(user) -> dict[int, Membership]:
    """{coalition id: Membership} of a person's active memberships: those loaded with their log-in session, else
    one query."""
    loaded = _loaded(user, "memberships")
    if loaded is None:
        loaded = db.session.scalars(
            select(Membership).where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
        )
    return {m.coalition_id: m for m in loaded if m.status == MembershipStatus.ACTIVE}


def _loaded(obj, attribute: str):
    """The value of a relationship already loaded on `obj` (no statement), else None."""
    state = inspect(obj, raiseerr=False)
    return state.dict.get(attribute) if state is not None else None
