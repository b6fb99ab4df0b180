"""Answering: one answer per person, changeable until the close, in the shape of the decision's kind.

Anonymous decisions: the first answer adds a `DecisionParticipation` (who answered) and an `AnonymousBallot`
(what was answered) in the same transaction, with nothing in common but the decision. The ballot keeps only
sha256(receipt); the receipt goes back to the voter (their session cookie and the confirmation page), never to the
database, a log or a mail. Presenting the receipt later finds the ballot to change it.
"""

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coalition.core.i18n import gettext as _
from coalition.core.tokens import hash_token
from coalition.decisions.eligibility import is_eligible
from coalition.decisions.errors import DecisionError
from coalition.decisions.models import (
    AnonymousBallot,
    Availability,
    CollectiveDecision,
    DecisionAnswer,
    DecisionKind,
    DecisionParticipation,
    Position,
)
from coalition.extensions import db

NEEDS_KEYS = ("interpretation_language", "children", "access_needs")


def _option_ids(decision: CollectiveDecision) -> set[int]:
    return {option.id for option in decision.options}


def _ids(values) -> list[int]:
    try:
        return [int(value) for value in values]
    except (TypeError, ValueError) as error:
        raise DecisionError(_("Please choose from the options given.")) from error


def clean_choice(decision: CollectiveDecision, raw: dict, comment: str) -> dict:
    """Check a raw answer against the decision's kind and options; return the stored shape."""
    kind, options = decision.kind, _option_ids(decision)
    if kind == DecisionKind.PROPOSAL:
        position = raw.get("position")
        if position not in {p.value for p in Position}:
            raise DecisionError(_("Please choose agree, abstain, disagree or block."), "position")
        if position in (Position.DISAGREE, Position.BLOCK) and not (comment or "").strip():
            raise DecisionError(_("Please give your reason when you disagree or block."), "comment")
        return {"position": position}
    if kind == DecisionKind.POLL:
        chosen = _ids(raw.get("options") or [])
        if not chosen or not set(chosen) <= options or len(set(chosen)) != len(chosen):
            raise DecisionError(_("Please choose from the options given."), "options")
        if len(chosen) > decision.max_choices:
            raise DecisionError(_("Please choose at most %(n)d options.", n=decision.max_choices), "options")
        return {"options": sorted(chosen)}
    if kind == DecisionKind.SCORE:
        scores = {}
        for option in options:
            value = (raw.get("scores") or {}).get(str(option))
            if value in (None, ""):
                continue
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = -1
            if not 0 <= number <= decision.score_max:
                raise DecisionError(_("Scores go from 0 to %(max)d.", max=decision.score_max), "scores")
            scores[str(option)] = number
        if not scores:
            raise DecisionError(_("Please score at least one option."), "scores")
        return {"scores": scores}
    if kind == DecisionKind.RANKED:
        ranking = _ids(raw.get("ranking") or [])
        if not ranking or not set(ranking) <= options or len(set(ranking)) != len(ranking):
            raise DecisionError(_("Please rank the options, each once."), "ranking")
        return {"ranking": ranking}
    times = {}
    for option in options:
        value = (raw.get("times") or {}).get(str(option)) or Availability.NO.value
        if value not in {a.value for a in Availability}:
            raise DecisionError(_("Please answer yes, if need be or no for each time."), "times")
        times[str(option)] = value
    needs = raw.get("needs") or {}
    try:
        children = max(int(needs.get("children") or 0), 0)
    except (TypeError, ValueError):
        children = 0
    return {
        "times": times,
        "needs": {
            "interpretation_language": str(needs.get("interpretation_language") or "")[:60],
            "children": min(children, 20),
            "access_needs": str(needs.get("access_needs") or "")[:500],
        },
    }


def _check_can_answer(decision: CollectiveDecision, user) -> None:
    if not decision.is_accepting:
        raise DecisionError(_("This decision is not open for answers."))
    if not is_eligible(decision, user):
        raise DecisionError(_("This decision is not open to you."))


def answer_of(decision: CollectiveDecision, user) -> DecisionAnswer | None:
    """The person's named answer (never for anonymous decisions)."""
    if decision.is_anonymous:
        return None
    return db.session.scalar(
        select(DecisionAnswer).where(DecisionAnswer.decision_id == decision.id, DecisionAnswer.user_id == user.id)
    )


def ballot_for_receipt(decision: CollectiveDecision, receipt: str | None) -> AnonymousBallot | None:
    """The anonymous ballot a receipt belongs to, if any."""
    if not receipt:
        return None
    return db.session.scalar(
        select(AnonymousBallot).where(
            AnonymousBallot.decision_id == decision.id, AnonymousBallot.receipt_hash == hash_token(receipt)
        )
    )


def answer(
    decision: CollectiveDecision,
    user,
    raw: dict,
    comment: str = "",
    receipt: str | None = None,
    *,
    first_only: bool = False,
) -> str | None:
    """Record or change the person's answer. Returns a new receipt on a first anonymous answer, else None.

    `first_only` refuses a change (answers from a mail link only ever add a first answer).
    """
    _check_can_answer(decision, user)
    choice = clean_choice(decision, raw, comment)
    comment = (comment or "").strip()[:2000]
    if decision.is_anonymous:
        return _answer_anonymously(decision, user, choice, comment, receipt, first_only)
    existing = answer_of(decision, user)
    if existing is not None:
        if first_only:
            raise DecisionError(_("You have already answered. You can change your answer on the decision's page."))
        existing.choice, existing.comment = choice, comment
        db.session.flush()
        return None
    try:
        with db.session.begin_nested():
            db.session.add(
                DecisionAnswer(
                    coalition_id=decision.coalition_id,
                    decision_id=decision.id,
                    user_id=user.id,
                    choice=choice,
                    comment=comment,
                )
            )
    except IntegrityError as error:
        raise DecisionError(_("You have already answered.")) from error
    return None


def _answer_anonymously(decision, user, choice, comment, receipt, first_only) -> str | None:
    participated = db.session.scalar(
        select(DecisionParticipation.id).where(
            DecisionParticipation.decision_id == decision.id, DecisionParticipation.user_id == user.id
        )
    )
    if participated is not None:
        ballot = None if first_only else ballot_for_receipt(decision, receipt)
        if ballot is None:
            raise DecisionError(
                _("You have already answered. To change an anonymous answer, use the receipt code you were given.")
            )
        ballot.choice, ballot.comment = choice, comment
        db.session.flush()
        return None
    new_receipt = secrets.token_urlsafe(18)
    try:
        with db.session.begin_nested():
            db.session.add(
                DecisionParticipation(coalition_id=decision.coalition_id, decision_id=decision.id, user_id=user.id)
            )
    except IntegrityError as error:
        raise DecisionError(_("You have already answered.")) from error
    db.session.add(
        AnonymousBallot(
            id=secrets.token_hex(16),
            coalition_id=decision.coalition_id,
            decision_id=decision.id,
            choice=choice,
            comment=comment,
            receipt_hash=hash_token(new_receipt),
        )
    )
    db.session.flush()
    return new_receipt
