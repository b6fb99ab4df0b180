"""The words for proposal positions and time-poll availabilities (on pages, in mail links and in CSV)."""

from coalition.core.i18n import gettext as _
from coalition.decisions.models import Availability, Position


def position_labels() -> dict:
    """Position -> its label, in the order they are offered."""
    return {
        Position.AGREE: _("Agree"),
        Position.ABSTAIN: _("Abstain"),
        Position.DISAGREE: _("Disagree"),
        Position.BLOCK: _("Block"),
    }


def availability_labels() -> dict:
    """Availability -> its label."""
    return {Availability.YES: _("Yes"), Availability.IF_NEED_BE: _("If need be"), Availability.NO: _("No")}


def choice_text(decision, choice: dict) -> str:
    """An answer in words: the position, the chosen options, the scores, the ranking or the times."""
    labels = {str(option.id): option.label for option in decision.options}
    if "position" in choice:
        return str(position_labels().get(choice["position"], "?"))
    if "options" in choice:
        return ", ".join(labels.get(str(key), "?") for key in choice["options"])
    if "scores" in choice:
        return ", ".join(f"{labels.get(key, '?')}: {value}" for key, value in choice["scores"].items())
    if "ranking" in choice:
        return ", ".join(f"{rank}. {labels.get(str(key), '?')}" for rank, key in enumerate(choice["ranking"], 1))
    words = availability_labels()
    times = choice.get("times") or {}
    return ", ".join(f"{labels.get(key, '?')}: {words.get(value, '?')}" for key, value in times.items())
