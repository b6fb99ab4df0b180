"""Object-level rules for decisions: who sees a decision, who may answer it, where names may ever be seen."""

from flask import g, has_request_context

from coalition.core.permissions import role_allows
from coalition.decisions.eligibility import is_eligible
from coalition.decisions.models import Audience, CollectiveDecision, DecisionStatus, Privacy


def _cached(key, compute):
    if not has_request_context():
        return compute()
    cache = g.setdefault("_decision_rules", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def eligible(decision: CollectiveDecision, user) -> bool:
    """Is the person among those the decision is for (memoised per request)?"""
    return _cached(("eligible", decision.id, user.id), lambda: is_eligible(decision, user))


def may_view(user, membership, obj) -> bool:
    """Drafts and decisions for the team or invited people: organizers, and the people they are for."""
    if not isinstance(obj, CollectiveDecision):
        return True
    if role_allows(membership.role, "decision.manage"):
        return True
    if obj.status == DecisionStatus.DRAFT:
        return False
    return obj.audience == Audience.MEMBERS or eligible(obj, user)


def may_answer(user, membership, obj) -> bool:
    """Answer only while open, and only when the decision is for you."""
    if not isinstance(obj, CollectiveDecision):
        return True
    return obj.is_accepting and eligible(obj, user)


def may_view_names(user, membership, obj) -> bool:
    """Never on anonymous ballots."""
    return not (isinstance(obj, CollectiveDecision) and obj.privacy == Privacy.ANONYMOUS)


#: action -> rule, registered with core.permissions by the package's register(app).
OBJECT_RULES = {
    "decision.view": may_view,
    "decision.answer": may_answer,
    "decision.view_names": may_view_names,
}
