"""Adding people from outside (the API's signup helper, people import): match by email, invite the new ones.

Nobody gets an account without acting themselves: a new person is invited (mail through the outbox); what a
member set themselves is never overwritten; only tags are added.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from coalition.accounts.models import User
from coalition.coalitions import tagging
from coalition.coalitions.models import Coalition, Invitation, Membership, MembershipStatus
from coalition.coalitions.services import invite
from coalition.core.models import utcnow
from coalition.core.permissions import Role
from coalition.core.text import normalize_email
from coalition.extensions import db


@dataclass
class Match:
    """Who an email address is in a coalition: an active member, a pending invitation, or nobody yet."""

    email: str
    membership: Membership | None = None
    invitation: Invitation | None = None

    @property
    def is_known(self) -> bool:
        return self.membership is not None or self.invitation is not None


def match_people(coalition: Coalition, emails) -> dict[str, Match]:
    """{normalised email: Match} for many addresses in two queries (case-insensitive)."""
    wanted = {normalize_email(e) for e in emails if e}
    result = {email: Match(email) for email in wanted}
    if not wanted:
        return result
    rows = db.session.execute(
        select(Membership, func.lower(User.email))
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.coalition_id == coalition.id,
            Membership.status == MembershipStatus.ACTIVE,
            func.lower(User.email).in_(wanted),
        )
    )
    for membership, email in rows:
        result[email].membership = membership
    invitations = db.session.scalars(
        select(Invitation)
        .where(
            Invitation.coalition_id == coalition.id,
            func.lower(Invitation.email).in_(wanted),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.id)
    )
    for invitation in invitations:
        result[invitation.email.lower()].invitation = invitation
    return result


def sign_up_person(coalition: Coalition, email: str, *, tags=(), by=None) -> tuple[Match, bool]:
    """Match `email`; tag a member, add tags to a pending invitation, or invite a new person with the tags.

    Returns the match and whether a new invitation was made. Unknown tags are refused before anything changes.
    """
    known = tagging.known_tags(coalition.id, tags)
    email = normalize_email(email)
    match = match_people(coalition, [email])[email]
    if match.membership is not None:
        for tag in known:
            tagging.tag_member(match.membership, tag, by)
        return match, False
    names = [tag.name for tag in known]
    if match.invitation is not None:
        match.invitation.tags = list(dict.fromkeys([*(match.invitation.tags or []), *names]))
        return match, False
    invite(coalition, email, Role.MEMBER, invited_by=by if isinstance(by, User) else None, tags=names)
    match.invitation = db.session.scalar(
        select(Invitation)
        .where(Invitation.coalition_id == coalition.id, Invitation.email == email)
        .order_by(Invitation.id.desc())
    )
    return match, True
