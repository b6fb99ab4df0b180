"""Results people can read: whether a result may be seen, and its rows for the charts, tables and CSV.

Before the close, a decision with hidden results shows no count to anyone (organizers included). Where ballots
are anonymous, counts under the coalition's suppression threshold read "fewer than N", with complementary
suppression: when only one count of a breakdown would be hidden, the next smallest is hidden too, so the total
does not give it away.
"""

from dataclasses import dataclass, field

from coalition.core.i18n import gettext as _
from coalition.core.permissions import can
from coalition.decisions import services
from coalition.decisions.labels import availability_labels, position_labels
from coalition.decisions.models import CollectiveDecision, DecisionKind, DecisionStatus, Position, Privacy


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: its label, the count (None when suppressed) and what to show for it."""

    label: str
    count: int | None
    shown: str
    percent: int | None
    length: float


@dataclass
class Presented:
    kind: str
    rows: list[Row] = field(default_factory=list)
    total: int = 0
    #: Proposal: block and disagreement reasons ({"name", "reason"}); names only where they may be seen.
    blocks: list = field(default_factory=list)
    disagreements: list = field(default_factory=list)
    reasons_hidden: bool = False
    #: Score: per option {"label", "count", "average", "spread", "lowest", "highest"}.
    scores: list = field(default_factory=list)
    #: Ranked: [{"number", "cells": [(label, shown)], "eliminated", "exhausted"}] and the winner's label.
    rounds: list = field(default_factory=list)
    winner: str | None = None
    #: Time poll: per time {"option", "yes", "if_need_be", "no", "interpretation", "children", "access_needs"}.
    times: list = field(default_factory=list)


def results_visible(decision: CollectiveDecision) -> bool:
    """May any count be shown now? After the close always; before it only when results are visible while open."""
    if decision.status == DecisionStatus.CLOSED or (decision.status == DecisionStatus.OPEN and decision.is_closed):
        return True
    return decision.status == DecisionStatus.OPEN and not decision.results_hidden


def names_visible(decision: CollectiveDecision, user) -> bool:
    """Who answered what: everyone on open decisions, organizers on "organizers see names", nobody when anonymous."""
    if decision.privacy == Privacy.ANONYMOUS:
        return False
    if decision.privacy == Privacy.OPEN:
        return can("decision.view", decision, user)
    return can("decision.view_names", decision, user)


def suppressed_keys(counts: dict, threshold: int | None) -> set:
    """Keys whose counts must not be shown: 1..threshold-1, plus one more when only one would be hidden."""
    if not threshold:
        return set()
    hidden = {key for key, value in counts.items() if 0 < value < threshold}
    if len(hidden) == 1:
        others = sorted((value, str(key)) for key, value in counts.items() if key not in hidden and value > 0)
        if others:
            hidden.add(next(key for key in counts if str(key) == others[0][1]))
    return hidden


def _rows(pairs: list[tuple[str, int]], total: int, threshold: int | None) -> list[Row]:
    hidden = suppressed_keys({label: count for label, count in pairs}, threshold)
    longest = max((count for label, count in pairs if label not in hidden), default=0)
    rows = []
    for label, count in pairs:
        if label in hidden:
            rows.append(Row(label, None, _("fewer than %(n)d", n=threshold), None, 0.0))
        else:
            rows.append(
                Row(
                    label,
                    count,
                    str(count),
                    round(100 * count / total) if total else 0,
                    count / longest if longest else 0.0,
                )
            )
    return rows


def raw_result(decision: CollectiveDecision) -> dict:
    """The frozen result after the close, else the live count (call only when results are visible)."""
    if decision.status == DecisionStatus.CLOSED and decision.result is not None:
        return decision.result
    return services.current_result(decision, with_names=decision.privacy != Privacy.ANONYMOUS)


def present(decision: CollectiveDecision, user) -> Presented | None:
    """The result as the person may read it, or None while it is hidden."""
    if not results_visible(decision):
        return None
    result = raw_result(decision)
    threshold = decision.coalition.suppression_threshold if decision.is_anonymous else None
    labels = {str(option.id): option.label for option in decision.options}
    out = Presented(kind=decision.kind.value, total=result.get("total", 0))
    show_names = names_visible(decision, user)
    if decision.kind == DecisionKind.PROPOSAL:
        names = position_labels()
        pairs = [(str(names[Position(p)]), result["counts"][p]) for p in result["counts"]]
        out.rows = _rows(pairs, out.total, threshold)
        out.reasons_hidden = any(row.count is None for row in out.rows[2:])
        if not out.reasons_hidden:
            strip = (lambda r: r) if show_names else (lambda r: {"name": None, "reason": r["reason"]})
            out.blocks = [strip(r) for r in result["blocks"]]
            out.disagreements = [strip(r) for r in result["disagreements"]]
    elif decision.kind == DecisionKind.POLL:
        out.rows = _rows([(labels.get(k, "?"), v) for k, v in result["counts"].items()], out.total, threshold)
    elif decision.kind == DecisionKind.SCORE:
        for key, stats in result["scores"].items():
            if threshold and 0 < stats["count"] < threshold:
                out.scores.append(
                    {"label": labels.get(key, "?"), "count": None, "shown": _("fewer than %(n)d", n=threshold)}
                )
            else:
                out.scores.append({"label": labels.get(key, "?"), "shown": str(stats["count"]), **stats})
    elif decision.kind == DecisionKind.RANKED:
        for number, entry in enumerate(result["rounds"], start=1):
            hidden = suppressed_keys(entry["counts"], threshold)
            cells = [
                (labels.get(k, "?"), _("fewer than %(n)d", n=threshold) if k in hidden else str(v))
                for k, v in entry["counts"].items()
            ]
            eliminated = labels.get(str(entry["eliminated"])) if entry["eliminated"] is not None else None
            out.rounds.append(
                {"number": number, "cells": cells, "eliminated": eliminated, "exhausted": entry["exhausted"]}
            )
        out.winner = labels.get(str(result["winner"])) if result["winner"] is not None else None
    else:
        for key, stats in result["times"].items():
            out.times.append({"option": labels.get(key, "?"), "key": key, **stats})
        names = availability_labels()
        out.rows = _rows([(labels.get(k, "?"), v["yes"]) for k, v in result["times"].items()], out.total, None)
        out.availability_labels = names
    return out


def csv_rows(decision: CollectiveDecision, presented: Presented) -> tuple[list[str], list[list]]:
    """Header and rows of the result CSV: totals only (never names), with suppressed counts as shown."""
    if presented.kind == DecisionKind.SCORE:
        header = [_("Option"), _("Answers"), _("Average"), _("Spread"), _("Lowest"), _("Highest")]
        rows = [
            [s["label"], s["shown"], s.get("average"), s.get("spread"), s.get("lowest"), s.get("highest")]
            for s in presented.scores
        ]
    elif presented.kind == DecisionKind.RANKED:
        header = [_("Round"), _("Option"), _("Votes"), _("Eliminated")]
        rows = [
            [r["number"], label, shown, r["eliminated"] or ""] for r in presented.rounds for label, shown in r["cells"]
        ]
    elif presented.kind == DecisionKind.TIME_POLL:
        header = [_("Time"), _("Yes"), _("If need be"), _("No"), _("Children"), _("Access needs")]
        rows = [
            [t["option"], t["yes"], t["if_need_be"], t["no"], t["children"], t["access_needs"]] for t in presented.times
        ]
    else:
        header = [_("Answer"), _("Count")]
        rows = [[row.label, row.shown] for row in presented.rows]
    return header, rows
