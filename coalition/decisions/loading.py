"""Loading a decision for a page (shared by the members' and the organizers' pages), and the coalition's clock."""

import zoneinfo
from datetime import datetime

from flask import abort, g
from sqlalchemy.orm import selectinload

from coalition.core.permissions import can, require
from coalition.core.scoping import get_scoped_or_404
from coalition.decisions.models import CollectiveDecision
from coalition.decisions.services import local_to_utc


def load_decision(decision_id: int, action: str = "decision.view") -> CollectiveDecision:
    """Load a decision of this coalition the person may see (others are not found), then check `action`."""
    decision = get_scoped_or_404(CollectiveDecision, decision_id, selectinload(CollectiveDecision.options))
    if not can("decision.view", decision):
        abort(404)
    require(action, decision)
    return decision


def zone_name() -> str:
    """The current coalition's time zone (forms take and show times in it)."""
    return g.coalition.timezone or "UTC"


def to_utc(value: datetime, field: str) -> datetime:
    """A wall-clock time typed in the coalition's zone, as UTC (an error names `field`)."""
    return local_to_utc(value, zone_name(), field)


def to_local(value: datetime | None) -> datetime | None:
    """A UTC time as the coalition's wall clock (for a form's initial value)."""
    return value.astimezone(zoneinfo.ZoneInfo(zone_name())).replace(tzinfo=None) if value else None
