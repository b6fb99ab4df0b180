"""The coalitions domain's dashboard panel for leads: membership growth and pending join requests."""

from datetime import timedelta
from functools import cache

from sqlalchemy import bindparam, case, func, select, true

from coalition.accounts.models import User
from coalition.coalitions.models import Membership, MembershipStatus
from coalition.core.models import utcnow
from coalition.extensions import db

GROWTH_DAYS = 30
PANEL_LIMIT = 5


def membership_panel(coalition, user) -> dict:
    """Active members, how many joined in the last 30 days and the 30 before, and the oldest join requests."""
    now = utcnow()
    rows = db.session.execute(
        _panel_statement(),
        {
            "coalition_id": coalition.id,
            "recent": now - timedelta(days=GROWTH_DAYS),
            "before": now - timedelta(days=2 * GROWTH_DAYS),
        },
    ).all()
    total, joined, joined_before, pending = rows[0][:4]
    return {
        "total": int(total or 0),
        "joined": int(joined or 0),
        "joined_before": int(joined_before or 0),
        "pending": int(pending or 0),
        "requests": [row for row in rows if row.id is not None],
        "days": GROWTH_DAYS,
    }


@cache
def _panel_statement():
    """Built once: the growth numbers of :coalition_id (one row) joined to its oldest pending join requests, one row
    per request (or one row without a request): the panel in one statement (it took two)."""
    growth = _growth_statement().subquery()
    requests = _requests_statement().subquery()
    return (
        select(growth, requests.c.id, requests.c.display_name, requests.c.created_at)
        .select_from(growth.outerjoin(requests, true()))
        .order_by(requests.c.created_at, requests.c.id)
    )


def _growth_statement():
    """The active members of :coalition_id, those who joined since :recent and between :before and :recent, and the
    pending requests."""
    recent, before = bindparam("recent"), bindparam("before")
    active = Membership.status == MembershipStatus.ACTIVE
    return select(
        func.sum(case((active, 1), else_=0)).label("total"),
        func.sum(case((active & (Membership.created_at >= recent), 1), else_=0)).label("joined"),
        func.sum(
            case((active & (Membership.created_at >= before) & (Membership.created_at < recent), 1), else_=0)
        ).label("joined_before"),
        func.sum(case((Membership.status == MembershipStatus.PENDING, 1), else_=0)).label("pending"),
    ).where(Membership.coalition_id == bindparam("coalition_id"))


def _requests_statement():
    """The oldest pending join requests of :coalition_id, with the name of who asks."""
    return (
        select(User.display_name, Membership.created_at, Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.coalition_id == bindparam("coalition_id"), Membership.status == MembershipStatus.PENDING)
        .order_by(Membership.created_at, Membership.id)
        .limit(PANEL_LIMIT)
    )
