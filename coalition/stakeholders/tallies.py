"""What stakeholders keep in the campaigns' tallies (`campaigns.tallies`), in the same transaction as the change:
each campaign's targets per stance ("stance", key: the stance) and outreach per month ("outreach", key: "2026-11",
the UTC month it occurred in)."""

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from coalition.campaigns.tallies import TallySource
from coalition.core.kept import ids_of
from coalition.extensions import db
from coalition.stakeholders.models import CampaignTarget, Outreach, Stakeholder

STANCE, OUTREACH = "stance", "outreach"
TARGET, ENTRY, STAKEHOLDER = "target", "outreach", "stakeholder"


def month_key(moment: datetime) -> str:
    """The key of the UTC month of `moment` ("2026-11")."""
    return f"{moment.astimezone(UTC):%Y-%m}"


def _touched(session) -> set:
    """Targets and outreach touched, and stakeholders deleted (their targets and outreach go by ON DELETE CASCADE)."""
    touched = {(TARGET, i) for i in ids_of(session, CampaignTarget)} | {(ENTRY, i) for i in ids_of(session, Outreach)}
    touched |= {(STAKEHOLDER, s.id) for s in session.deleted if isinstance(s, Stakeholder)}
    return touched


def _where(statement, model, kind, touched, coalition_id):
    if touched is not None:
        ids = sorted(key for touched_kind, key in touched if touched_kind == kind)
        stakeholders = sorted(key for touched_kind, key in touched if touched_kind == STAKEHOLDER)
        if not ids and not stakeholders:
            return None
        statement = statement.where(model.id.in_(ids) | model.stakeholder_id.in_(stakeholders))
    if coalition_id is not None:
        statement = statement.where(model.coalition_id == coalition_id)
    return statement


def contributions(touched=None, coalition_id=None) -> Counter:
    """Counter{(coalition, campaign, kind, key): n} of the touched targets and outreach (or of a whole coalition)."""
    found: Counter = Counter()
    targets = _where(
        select(CampaignTarget.coalition_id, CampaignTarget.campaign_id, CampaignTarget.stance),
        CampaignTarget,
        TARGET,
        touched,
        coalition_id,
    )
    if targets is not None:
        for coalition, campaign, stance in db.session.execute(targets):
            found[(coalition, campaign, STANCE, str(stance))] += 1
    entries = _where(
        select(Outreach.coalition_id, Outreach.campaign_id, Outreach.occurred_at).where(
            Outreach.campaign_id.is_not(None)
        ),
        Outreach,
        ENTRY,
        touched,
        coalition_id,
    )
    if entries is not None:
        for coalition, campaign, occurred_at in db.session.execute(entries):
            found[(coalition, campaign, OUTREACH, month_key(occurred_at))] += 1
    return found


#: What stakeholders add to the campaigns' tallies.
TALLIES = TallySource((STANCE, OUTREACH), _touched, contributions)
