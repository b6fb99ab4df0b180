"""The five counts: each takes the options and the answers' choices (plain dicts, never people) and returns a
JSON-serialisable result, so that the result frozen at the close is exactly what was shown.

Choice shapes (see decisions.answers): proposal {"position": "agree"}, poll {"options": [id, ...]},
score {"scores": {"id": n}}, ranked {"ranking": [id, ...]}, time poll {"times": {"id": "yes"}, "needs": {...}}.
"""

import statistics
from collections import Counter

from coalition.decisions.models import Availability, DecisionKind, Position


def count_proposal(choices: list[dict], comments: list[tuple[dict, str, str | None]]) -> dict:
    """Counts per position; the blocks and their reasons first, then disagreements (names only when given)."""
    counts = Counter(choice.get("position") for choice in choices)
    reasons = {
        position: [
            {"name": name, "reason": comment}
            for choice, comment, name in comments
            if choice.get("position") == position
        ]
        for position in (Position.BLOCK, Position.DISAGREE)
    }
    return {
        "counts": {position.value: counts.get(position.value, 0) for position in Position},
        "blocks": reasons[Position.BLOCK],
        "disagreements": reasons[Position.DISAGREE],
        "total": len(choices),
    }


def count_poll(option_ids: list[int], choices: list[dict]) -> dict:
    """Counts per option (a person may have chosen several)."""
    counts = Counter(option for choice in choices for option in choice.get("options", []))
    return {"counts": {str(option): counts.get(option, 0) for option in option_ids}, "total": len(choices)}


def count_score(option_ids: list[int], choices: list[dict]) -> dict:
    """Average, spread (population standard deviation), lowest and highest score per option."""
    per_option = {}
    for option in option_ids:
        scores = [choice["scores"][str(option)] for choice in choices if str(option) in choice.get("scores", {})]
        per_option[str(option)] = {
            "count": len(scores),
            "average": round(statistics.fmean(scores), 2) if scores else None,
            "spread": round(statistics.pstdev(scores), 2) if scores else None,
            "lowest": min(scores) if scores else None,
            "highest": max(scores) if scores else None,
        }
    return {"scores": per_option, "total": len(choices)}


def instant_runoff(option_ids: list[int], rankings: list[list[int]]) -> dict:
    """The textbook instant-runoff count: every round, each ballot counts for its highest-ranked option still in
    the race; an option with more than half of the ballots still counting wins; otherwise the option with the
    fewest votes is eliminated and the next round begins.

    Tie-break for elimination: among the options tied for fewest votes, eliminate the one with the fewest
    first-preference votes in round one; if still tied, the one listed last on the decision (a fixed, published
    order, never chance). Ballots that rank no remaining option are "exhausted" and no longer count.
    """
    continuing = list(option_ids)
    first_round: dict[int, int] = {}
    rounds = []
    while continuing:
        tally = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ranking in rankings:
            top = next((option for option in ranking if option in tally), None)
            if top is None:
                exhausted += 1
            else:
                tally[top] += 1
        if not first_round:
            first_round = dict(tally)
        counting = sum(tally.values())
        leader = max(continuing, key=lambda option: tally[option])
        entry = {"counts": {str(o): tally[o] for o in continuing}, "exhausted": exhausted, "eliminated": None}
        rounds.append(entry)
        if counting == 0:
            return {"rounds": rounds, "winner": None, "total": len(rankings)}
        if tally[leader] * 2 > counting or len(continuing) == 1:
            return {"rounds": rounds, "winner": leader, "total": len(rankings)}
        fewest = min(tally.values())
        tied = [option for option in continuing if tally[option] == fewest]
        loser = min(tied, key=lambda option: (first_round.get(option, 0), -option_ids.index(option)))
        entry["eliminated"] = loser
        continuing.remove(loser)
    return {"rounds": rounds, "winner": None, "total": len(rankings)}


def count_ranked(option_ids: list[int], choices: list[dict]) -> dict:
    """Instant runoff over the ballots' rankings."""
    return instant_runoff(option_ids, [list(choice.get("ranking", [])) for choice in choices])


def count_time_poll(option_ids: list[int], choices: list[dict]) -> dict:
    """Per time: yes, if need be and no, and the needs of those who can come (yes or if need be)."""
    per_option = {}
    for option in option_ids:
        key = str(option)
        answers = Counter(choice.get("times", {}).get(key) for choice in choices)
        coming = [c for c in choices if c.get("times", {}).get(key) in (Availability.YES, Availability.IF_NEED_BE)]
        languages = Counter(c.get("needs", {}).get("interpretation_language") for c in coming)
        languages.pop(None, None)
        languages.pop("", None)
        per_option[key] = {
            **{a.value: answers.get(a.value, 0) for a in Availability},
            "interpretation": dict(sorted(languages.items())),
            "children": sum(int(c.get("needs", {}).get("children") or 0) for c in coming),
            "access_needs": sum(1 for c in coming if c.get("needs", {}).get("access_needs")),
        }
    return {"times": per_option, "total": len(choices)}


def count(kind: DecisionKind, option_ids: list[int], choices: list[dict], comments=()) -> dict:
    """The result of a decision of `kind` from its answers' choices."""
    kind = DecisionKind(kind)
    if kind == DecisionKind.PROPOSAL:
        return count_proposal(choices, list(comments))
    if kind == DecisionKind.POLL:
        return count_poll(option_ids, choices)
    if kind == DecisionKind.SCORE:
        return count_score(option_ids, choices)
    if kind == DecisionKind.RANKED:
        return count_ranked(option_ids, choices)
    return count_time_poll(option_ids, choices)
