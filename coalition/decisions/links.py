"""Signed mail links: one per choice, for one person and one decision, good until the close, no log-in.

A link only leads to a confirmation page; the answer is counted by the POST of that page's button, so a mail
scanner that follows links never votes. The token is signed with the app's secret and a salt used for nothing
else (single purpose); it names the decision, the person and the choice. It counts only a first answer: a
replay, a link of another decision, a forged or expired link, or a link after the close changes nothing.
"""

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from coalition.core.i18n import gettext as _
from coalition.core.links import site_link
from coalition.decisions.labels import position_labels
from coalition.decisions.models import CollectiveDecision, DecisionKind

SALT = "decisions.answer-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


@dataclass(frozen=True)
class LinkClaim:
    decision_id: int
    user_id: int
    choice: dict


def make_token(decision: CollectiveDecision, user, choice: dict) -> str:
    """The signed token of one choice for one person."""
    return _serializer().dumps({"d": decision.id, "u": user.id, "c": choice})


def read_token(token: str, decision: CollectiveDecision) -> tuple[LinkClaim | None, str | None]:
    """(claim, None) for a valid token of this decision, else (None, why it changes nothing)."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None, _("This link is not valid: it may have been copied incompletely. Nothing was changed.")
    if not isinstance(data, dict) or data.get("d") != decision.id:
        return None, _("This link belongs to another decision. Nothing was changed.")
    if decision.is_closed or not decision.is_accepting:
        return None, _("This decision is closed (or not open): the link has expired. Nothing was changed.")
    return LinkClaim(decision.id, int(data["u"]), dict(data.get("c") or {})), None


def choice_links(decision: CollectiveDecision, user) -> list[tuple[str, str]]:
    """(label, absolute URL) of each choice that can be answered from the mail; [] for kinds answered on the page."""
    if decision.kind == DecisionKind.PROPOSAL:
        choices = [(str(label), {"position": position.value}) for position, label in position_labels().items()]
    elif decision.kind == DecisionKind.POLL and decision.max_choices == 1:
        choices = [(option.label, {"options": [option.id]}) for option in decision.options]
    else:
        return []
    return [(label, site_link(answer_path(decision, make_token(decision, user, choice)))) for label, choice in choices]


def decision_path(decision: CollectiveDecision) -> str:
    """The path of a decision's page (built without a request, for mail sent by workers)."""
    return f"/c/{decision.coalition.slug}/decisions/{decision.id}"


def answer_path(decision: CollectiveDecision, token: str) -> str:
    """The path of a mail link's confirmation page."""
    return f"{decision_path(decision)}/answer/{token}"
