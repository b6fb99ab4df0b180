"""Coalition rules: creation, invitations, join requests, roles, partners and settings.

Functions add and flush; the request (or CLI command) commits once.
"""

from flask import current_app
from sqlalchemy import func, select

from coalition.accounts.models import User
from coalition.accounts.services import find_user_by_email
from coalition.coalitions import tagging
from coalition.coalitions.models import Coalition, Invitation, Membership, MembershipStatus, PartnerOrganization
from coalition.coalitions.queries import active_members
from coalition.core.audit import record_audit
from coalition.core.errors import DomainError
from coalition.core.i18n import gettext as _
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.links import site_link
from coalition.core.models import utcnow
from coalition.core.outbox import queue_mail
from coalition.core.permissions import Role
from coalition.core.signals import member_joined, member_left
from coalition.core.text import normalize_email, slugify
from coalition.core.tokens import hash_token, new_token
from coalition.extensions import db


class CoalitionError(DomainError):
    """A rule of the coalition domain was broken; the message is shown to the person."""


def create_coalition(name: str, *, slug: str | None = None, timezone: str = "UTC", description: str = "") -> Coalition:
    """Create a coalition with a unique slug."""
    slug = slugify(slug or name)
    if db.session.scalar(select(Coalition.id).where(Coalition.slug == slug)) is not None:
        raise CoalitionError(_("The address %(slug)s is already taken.", slug=slug))
    coalition = Coalition(name=name.strip(), slug=slug, timezone=timezone, description=description)
    db.session.add(coalition)
    db.session.flush()
    record_audit("coalition.create", coalition=coalition, obj=coalition)
    return coalition


def add_member(coalition: Coalition, user: User, role: Role, partner_id: int | None = None) -> Membership:
    """Make `user` an active member with `role` (re-activating a removed or pending membership)."""
    membership = db.session.scalar(
        select(Membership).where(Membership.coalition_id == coalition.id, Membership.user_id == user.id)
    )
    if membership is None:
        membership = Membership(coalition=coalition, user=user)
        db.session.add(membership)
    membership.role = role
    membership.status = MembershipStatus.ACTIVE
    if partner_id is not None:
        membership.partner_id = partner_id
    db.session.flush()
    member_joined.send(coalition.id, membership=membership)
    return membership


# --- Invitations --------------------------------------------------------------------------------------------


def invite(coalition: Coalition, email: str, role: Role, *, invited_by: User | None, partner_id=None, tags=None) -> str:
    """Invite someone by email, with member tags to put on them when they join; returns the raw token of the
    link (also mailed)."""
    email = normalize_email(email)
    existing = find_user_by_email(email)
    if existing is not None and existing.active_memberships().get(coalition.id) is not None:
        raise CoalitionError(_("This person is already a member of the coalition."), field="email")
    raw, token_hash = new_token()
    invitation = Invitation(
        coalition=coalition,
        email=email,
        role=role,
        partner_id=partner_id,
        token_hash=token_hash,
        invited_by=invited_by,
        expires_at=utcnow() + current_app.config["INVITATION_MAX_AGE"],
        tags=list(tags or []),
    )
    db.session.add(invitation)
    db.session.flush()
    queue_mail(
        email,
        _l("You are invited to join %(name)s on Coalition", name=coalition.name),
        "coalitions/invitation",
        kind="invitation",
        locale=existing.locale if existing else coalition.default_locale,
        coalition=coalition,
        invited_by=invited_by,
        role=role,
        accept_url=site_link(f"/invitations/{raw}"),
    )
    record_audit("member.invite", actor=invited_by, coalition=coalition, obj=invitation, email=email, role=str(role))
    return raw


def find_open_invitation(raw: str) -> Invitation | None:
    """The invitation behind a link, if it can still be accepted."""
    if not raw:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(raw)))
    return invitation if invitation is not None and invitation.is_open else None


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Accept an invitation for `user`: they become a member with the invited role."""
    if normalize_email(user.email) != invitation.email:
        raise CoalitionError(_("This invitation was sent to another email address."))
    membership = add_member(invitation.coalition, user, invitation.role, invitation.partner_id)
    invitation.accepted_at = utcnow()
    tagging.apply_invitation_tags(invitation, membership)
    record_audit("member.join", actor=user, coalition=invitation.coalition, obj=membership, via="invitation")
    return membership


def revoke_invitation(invitation: Invitation, by: User) -> None:
    """Revoke an invitation that has not been accepted yet."""
    invitation.revoked_at = utcnow()
    record_audit("member.invite_revoke", actor=by, coalition=invitation.coalition, obj=invitation)


# --- Join requests ------------------------------------------------------------------------------------------


def find_open_coalition(slug: str) -> Coalition | None:
    """The coalition with this slug if it accepts join requests."""
    if not slug:
        return None
    return db.session.scalar(select(Coalition).where(Coalition.slug == slug, Coalition.allow_join_requests.is_(True)))


def open_coalitions() -> list[Coalition]:
    """Coalitions that accept join requests."""
    return list(
        db.session.scalars(select(Coalition).where(Coalition.allow_join_requests.is_(True)).order_by(Coalition.name))
    )


def request_to_join(coalition: Coalition, user: User) -> Membership:
    """Ask to join; a lead approves. Existing members and earlier requests are left as they are."""
    if not coalition.allow_join_requests:
        raise CoalitionError(_("This coalition does not accept join requests."))
    membership = db.session.scalar(
        select(Membership).where(Membership.coalition_id == coalition.id, Membership.user_id == user.id)
    )
    if membership is not None and membership.status in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        return membership
    if membership is None:
        membership = Membership(coalition=coalition, user=user, role=Role.MEMBER)
        db.session.add(membership)
    membership.status = MembershipStatus.PENDING
    db.session.flush()
    for lead in leads_of(coalition):
        queue_mail(
            lead.email,
            _l("%(name)s asks to join %(coalition)s", name=user.display_name, coalition=coalition.name),
            "coalitions/join_request",
            kind="join_request",
            locale=lead.locale,
            coalition=coalition,
            requester=user,
            members_url=site_link(f"/c/{coalition.slug}/members?status=pending"),
        )
    return membership


def approve_join_request(membership: Membership, by: User) -> None:
    """Approve a pending join request."""
    if membership.status != MembershipStatus.PENDING:
        raise CoalitionError(_("There is no pending request to approve."))
    membership.status = MembershipStatus.ACTIVE
    db.session.flush()
    member_joined.send(membership.coalition_id, membership=membership)
    record_audit("member.approve", actor=by, coalition=membership.coalition, obj=membership)
    queue_mail(
        membership.user.email,
        _l("Welcome to %(name)s", name=membership.coalition.name),
        "coalitions/join_approved",
        kind="join_approved",
        locale=membership.user.locale,
        coalition=membership.coalition,
        dashboard_url=site_link(f"/c/{membership.coalition.slug}/"),
    )


def decline_join_request(membership: Membership, by: User) -> None:
    """Decline a pending join request."""
    if membership.status != MembershipStatus.PENDING:
        raise CoalitionError(_("There is no pending request to decline."))
    membership.status = MembershipStatus.REMOVED
    record_audit("member.decline", actor=by, coalition=membership.coalition, obj=membership)


# --- Roles and removal --------------------------------------------------------------------------------------


def leads_of(coalition: Coalition) -> list[User]:
    """The active leads of a coalition."""
    return list(db.session.scalars(active_members(coalition, roles=(Role.LEAD,))))


def _is_last_lead(membership: Membership) -> bool:
    if membership.role != Role.LEAD or membership.status != MembershipStatus.ACTIVE:
        return False
    count = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.coalition_id == membership.coalition_id,
            Membership.role == Role.LEAD,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )
    return count <= 1


def change_role(membership: Membership, role: Role, by: User) -> None:
    """Change a member's role; a coalition always keeps at least one lead."""
    if membership.status != MembershipStatus.ACTIVE:
        raise CoalitionError(_("Only active members can change role."))
    if role != Role.LEAD and _is_last_lead(membership):
        raise CoalitionError(_("A coalition needs at least one lead. Make someone else lead first."))
    old = membership.role
    membership.role = role
    record_audit("member.role", actor=by, coalition=membership.coalition, obj=membership, old=str(old), new=str(role))


def remove_member(membership: Membership, by: User) -> None:
    """Remove someone from the coalition; their stories stay theirs. The last lead cannot be removed."""
    if _is_last_lead(membership):
        raise CoalitionError(_("A coalition needs at least one lead. Make someone else lead first."))
    membership.status = MembershipStatus.REMOVED
    db.session.flush()
    member_left.send(membership.coalition_id, membership=membership)
    record_audit("member.remove", actor=by, coalition=membership.coalition, obj=membership)


# --- Settings and partners ----------------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "name",
    "description",
    "default_locale",
    "timezone",
    "allow_join_requests",
    "reminder_hours",
    "no_response_days",
    "suppression_threshold",
)


def update_settings(coalition: Coalition, by: User, **fields) -> None:
    """Update a coalition's settings."""
    threshold = fields.get("suppression_threshold")
    if threshold is not None and not 1 <= threshold <= 50:
        raise CoalitionError(_("Between 1 (show every count) and 50."), "suppression_threshold")
    for name, value in fields.items():
        if name in SETTINGS_FIELDS:
            setattr(coalition, name, value)
    record_audit("coalition.settings", actor=by, coalition=coalition, obj=coalition)


def save_partner(
    coalition: Coalition, by: User, partner: PartnerOrganization | None = None, **fields
) -> PartnerOrganization:
    """Create or update a partner organization; names are unique within a coalition."""
    clash = db.session.scalar(
        select(PartnerOrganization.id).where(
            PartnerOrganization.coalition_id == coalition.id,
            func.lower(PartnerOrganization.name) == fields["name"].strip().lower(),
            PartnerOrganization.id != (partner.id if partner else -1),
        )
    )
    if clash is not None:
        raise CoalitionError(_("A partner organization with this name already exists."), field="name")
    if partner is None:
        partner = PartnerOrganization(coalition=coalition)
        db.session.add(partner)
    for name in ("name", "website", "contact_name", "contact_email"):
        setattr(partner, name, fields.get(name) or None if name != "name" else fields[name].strip())
    db.session.flush()
    record_audit("partner.save", actor=by, coalition=coalition, obj=partner)
    return partner


def delete_partner(partner: PartnerOrganization, by: User) -> None:
    """Delete a partner organization; members affiliated with it keep their membership."""
    record_audit("partner.delete", actor=by, coalition=partner.coalition, obj=partner, name=partner.name)
    db.session.delete(partner)


def refuse_deleting_last_lead(user: User, keep_stories_anonymised: bool) -> None:
    """A coalition always keeps a lead: its only lead cannot delete their account (memberships go with it)."""
    for membership in user.memberships:
        if _is_last_lead(membership):
            raise CoalitionError(
                _(
                    "You are the only lead of %(name)s. Make someone else lead first, then delete your account.",
                    name=membership.coalition.name,
                )
            )


def export_memberships(user: User) -> list[dict]:
    """My memberships, for "export my data"."""
    return [
        {
            "coalition": m.coalition.name,
            "role": str(m.role),
            "status": str(m.status),
            "partner_organization": m.partner.name if m.partner else None,
            "since": m.created_at.isoformat(),
        }
        for m in user.memberships
    ]
