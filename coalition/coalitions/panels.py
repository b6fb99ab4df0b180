"""The coalitions domain's dashboard panel for leads: membership growth and pending join requests."""

from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from coalition.coalitions.models import Membership, MembershipStatus
from coalition.core.models import utcnow
from coalition.extensions import db

GROWTH_DAYS = 30
PANEL_LIMIT = 5


def membership_panel(coalition, user) -> dict:
    """Active members, how many joined in the last 30 days and the 30 before, and the oldest join requests."""
    now = utcnow()
    recent, before = now - timedelta(days=GROWTH_DAYS), now - timedelta(days=2 * GROWTH_DAYS)
    active = Membership.status == MembershipStatus.ACTIVE
    total, joined, joined_before, pending = db.session.execute(
        select(
            func.sum(case((active, 1), else_=0)),
            func.sum(case((active & (Membership.created_at >= recent), 1), else_=0)),
            func.sum(case((active & (Membership.created_at >= before) & (Membership.created_at < recent), 1), else_=0)),
            func.sum(case((Membership.status == MembershipStatus.PENDING, 1), else_=0)),
        ).where(Membership.coalition_id == coalition.id)
    ).one()
    requests = db.session.scalars(
        select(Membership)
        .where(Membership.coalition_id == coalition.id, Membership.status == MembershipStatus.PENDING)
        .options(joinedload(Membership.user))
        .order_by(Membership.created_at, Membership.id)
        .limit(PANEL_LIMIT)
    ).all()
    return {
        "total": int(total or 0),
        "joined": int(joined or 0),
        "joined_before": int(joined_before or 0),
        "pending": int(pending or 0),
        "requests": requests,
        "days": GROWTH_DAYS,
    }
