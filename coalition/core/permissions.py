"""Authorization in one place: the map from role to allowed action, and `can()` / `require()`.

Every view asks `require(action, obj)`; every template asks `can(action, obj)`. No one compares roles inline.

Rules, in order:
1. Nobody outside a coalition may do anything to its objects; views answer 404 (existence is not revealed).
2. A role may do the actions listed for it in ROLE_PERMISSIONS (each role includes the ones below it).
3. An action listed as "<action>:own" is allowed only when the object says `obj.is_owned_by(user)`.
4. An action with an entry in OBJECT_RULES must also pass that rule (e.g. a story's consent).
"""

import enum
from collections.abc import Callable

from flask import abort, g, has_request_context
from flask_login import current_user


class Role(enum.StrEnum):
    MEMBER = "member"
    ORGANIZER = "organizer"
    LEAD = "lead"


ROLE_RANK = {Role.MEMBER: 1, Role.ORGANIZER: 2, Role.LEAD: 3}

_MEMBER = {
    "coalition.view",
    "member.directory",
    "campaign.view",
    "campaign.follow",
    "story.create",
    "story.view",
    "story.edit:own",
    "story.withdraw:own",
    "story.delete:own",
    "story.consent:own",
    "story.accept_excerpt:own",
    "meeting.view",
    "meeting.rsvp",
    "meeting.feedback",
    "action_item.update:own",
    "decision.view",
    "decision.answer",
    "checkin.answer",
}
_ORGANIZER = _MEMBER | {
    "member.contact",
    "member.tag",
    "campaign.create",
    "campaign.edit",
    "campaign.archive",
    "campaign.post_update",
    "campaign.evidence",
    "story.review",
    "story.record_for_other",
    "story.propose_excerpt",
    "story.view_team",
    "story.export",
    "meeting.create",
    "meeting.edit",
    "meeting.manage",
    "action_item.manage",
    "action_item.update",
    "stakeholder.view",
    "stakeholder.edit",
    "stakeholder.import",
    "stakeholder.export",
    "outreach.log",
    "target.manage",
    "packet.build",
    "decision.create",
    "decision.manage",
    "decision.view_names",
    "decision.remind",
    "checkin.manage",
}
_LEAD = _ORGANIZER | {
    "coalition.manage",
    "partner.manage",
    "member.manage",
    "audit.view",
}
ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.MEMBER: frozenset(_MEMBER),
    Role.ORGANIZER: frozenset(_ORGANIZER),
    Role.LEAD: frozenset(_LEAD),
}

#: action -> rule(user, membership, obj) -> bool; an extra condition on top of the role map.
OBJECT_RULES: dict[str, Callable] = {}


def register_object_rules(rules: dict[str, Callable]) -> None:
    """Register object-level conditions, action -> rule (a domain calls this from its `register(app)`)."""
    OBJECT_RULES.update(rules)


def roles_with(action: str) -> tuple[Role, ...]:
    """The roles whose role map allows `action` outright, lowest first (e.g. the organizing team for
    "story.view_team")."""
    return tuple(role for role in sorted(ROLE_RANK, key=ROLE_RANK.get) if action in ROLE_PERMISSIONS[role])


def coalition_id_of(obj) -> int | None:
    """Return the id of the coalition an object belongs to (a Coalition is its own)."""
    if obj is None:
        return g.coalition.id if has_request_context() and getattr(g, "coalition", None) else None
    if type(obj).__name__ == "Coalition":
        return obj.id
    return getattr(obj, "coalition_id", None)


#: user -> {coalition id: active Membership}; registered by the coalitions domain (core knows no model).
_membership_loader: list[Callable] = []


def register_membership_loader(loader: Callable) -> None:
    """Register `loader(user) -> {coalition_id: Membership}` for a person's active memberships."""
    _membership_loader[:] = [loader]


def active_memberships_of(user) -> dict:
    """{coalition_id: Membership} of the user's active memberships, loaded once per request."""
    if not has_request_context():
        return _membership_loader[0](user) if _membership_loader else {}
    cache = g.get("_memberships")
    if cache is None:
        cache = g._memberships = {}
    result = cache.get(user.id)
    if result is None:
        result = cache[user.id] = _membership_loader[0](user) if _membership_loader else {}
    return result


def real_user(user):
    """The person behind `user`: `current_user` is a proxy that looks the person up on every attribute read, which a
    list of 25 rows does hundreds of times; pass the person itself down instead."""
    resolve = getattr(user, "_get_current_object", None)
    return resolve() if resolve is not None else user


def membership_for(user, coalition_id: int | None):
    """Return the user's active membership in a coalition, cached for the request."""
    if user is None or coalition_id is None or not getattr(user, "is_authenticated", False):
        return None
    return active_memberships_of(user).get(coalition_id)


def role_allows(role: Role, action: str, user=None, obj=None) -> bool:
    """Return True if `role` may do `action` (on `obj`, for ':own' actions)."""
    allowed = ROLE_PERMISSIONS.get(role) or ROLE_PERMISSIONS[Role(role)]
    if action in allowed:
        return True
    if f"{action}:own" in allowed and user is not None and hasattr(obj, "is_owned_by"):
        return bool(obj.is_owned_by(user))
    return False


def can(action: str, obj=None, user=None) -> bool:
    """May `user` (default: the current user) do `action` to `obj` (default: the current coalition)?"""
    # The person itself, not the proxy: a page asks many times, and each look through the proxy costs.
    user = real_user(user if user is not None else current_user)
    membership = membership_for(user, coalition_id_of(obj))
    if membership is None:
        return False
    if not role_allows(membership.role, action, user, obj):
        return False
    rule = OBJECT_RULES.get(action)
    return rule is None or bool(rule(user, membership, obj))


def require(action: str, obj=None) -> None:
    """Abort unless the current user may do `action` to `obj`: 404 outside the coalition, 403 inside it."""
    if can(action, obj):
        return
    if membership_for(current_user, coalition_id_of(obj)) is None:
        abort(404)
    abort(403)


def is_member_of(coalition, user=None) -> bool:
    """Is `user` (default: current user) an active member of `coalition`, in any role?"""
    user = user if user is not None else current_user
    return membership_for(user, coalition.id) is not None
