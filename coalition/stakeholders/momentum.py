"""What stakeholders give campaign momentum (targets by stance and their movement, outreach by month, stance changes
and packets on the timeline) and the lead's dashboard panel (outreach activity by week)."""

from datetime import timedelta
from functools import cache

from sqlalchemy import bindparam, case, func, select

from coalition.campaigns.providers import StanceCount, StanceSummary, TimelineEntry, TimelineRows
from coalition.core.i18n import gettext as _
from coalition.core.links import row_link
from coalition.core.models import utcnow
from coalition.core.permissions import can
from coalition.extensions import db
from coalition.stakeholders.labels import STANCE_LABELS
from coalition.stakeholders.models import CampaignTarget, Outreach, Packet, Stakeholder, Stance, StanceChange
from coalition.stakeholders.powermap import STANCE_ORDER
from coalition.stakeholders.tallies import OUTREACH, STANCE, month_key

#: Shown from the strongest support down, unknown last.
SHOWN_ORDER = (Stance.CHAMPION, Stance.SUPPORTIVE, Stance.NEUTRAL, Stance.OPPOSED, Stance.HOSTILE, Stance.UNKNOWN)
WEEKS = 8


def _support(stance) -> int | None:
    """How far toward support a stance is (None for unknown: it neither moves toward nor away)."""
    return None if stance == Stance.UNKNOWN else STANCE_ORDER.index(Stance(stance))


def _moved_since(campaign_ids, since):
    """(target id, campaign id, stance now, stance at `since` or None if added later) of the campaigns' targets whose
    stance changed after `since`: one query that reads the campaigns' stance history after `since` only (index on
    (campaign_id, created_at)), and for each such target its last step at `since` ((target_id, created_at),
    backwards)."""
    return db.session.execute(_moved_statement(), {"campaign_ids": list(campaign_ids), "since": since}).all()


@cache
def _moved_statement():
    """Built once: `_moved_since` of :campaign_ids and :since."""
    since, campaign_ids = bindparam("since"), bindparam("campaign_ids", expanding=True)
    earlier = (
        select(StanceChange.new_stance)
        .where(StanceChange.target_id == CampaignTarget.id, StanceChange.created_at <= since)
        .order_by(StanceChange.created_at.desc(), StanceChange.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    changed = select(StanceChange.target_id).where(
        StanceChange.campaign_id.in_(campaign_ids), StanceChange.created_at > since
    )
    return select(CampaignTarget.id, CampaignTarget.campaign_id, CampaignTarget.stance, earlier).where(
        CampaignTarget.campaign_id.in_(campaign_ids), CampaignTarget.id.in_(changed)
    )


def stance_counts(campaign_ids, since, tallies) -> dict[int, StanceSummary]:
    """{campaign id: targets by stance now and at `since`, and how many moved}: the power map's numbers.

    Targets by stance now are kept (`tallies`); the stances at `since` are those now, corrected by the targets whose
    stance changed since (one query). A target's history opens with its first stance (`services.add_target`), so a
    target added after `since` counts now, not then (the power map shows it as "added later").
    """
    now = {}
    for campaign_id in campaign_ids:
        numbers = tallies.get(campaign_id, {})
        counts = {s: numbers.get((STANCE, str(s)), 0) for s in SHOWN_ORDER}
        if any(counts.values()):
            now[campaign_id] = counts
    if not now:
        return {}
    then = {campaign_id: dict(counts) for campaign_id, counts in now.items()}
    summaries = {campaign_id: StanceSummary() for campaign_id in now}
    for _target_id, campaign_id, stance, earlier in _moved_since(list(now), since):
        then[campaign_id][Stance(stance)] -= 1
        if earlier is None:
            continue
        then[campaign_id][Stance(earlier)] += 1
        before, after = _support(earlier), _support(stance)
        if before is not None and after is not None and before != after:
            summary = summaries[campaign_id]
            summary.toward, summary.away = (
                (summary.toward + 1, summary.away) if after > before else (summary.toward, summary.away + 1)
            )
    for campaign_id, by_stance in now.items():
        summaries[campaign_id].stances = [
            StanceCount(str(s), str(STANCE_LABELS[s]), count, then[campaign_id][s]) for s, count in by_stance.items()
        ]
    return summaries


def outreach_by_month(campaign_ids, last_month, this_month, tallies) -> dict[int, tuple[int, int]]:
    """{campaign id: (outreach last month, outreach this month)}, from the kept tallies (no query)."""
    months = (month_key(last_month), month_key(this_month))
    return {
        campaign_id: tuple(tallies.get(campaign_id, {}).get((OUTREACH, month), 0) for month in months)
        for campaign_id in campaign_ids
    }


def last_activity(campaign_id):
    """When the campaign's latest outreach happened (a subquery walking (campaign_id, occurred_at) backwards)."""
    return (
        select(Outreach.occurred_at)
        .where(Outreach.campaign_id == campaign_id)
        .order_by(Outreach.occurred_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def stance_timeline(campaign, viewer) -> TimelineRows | None:
    """Stance changes of the campaign's targets, for those who may see stakeholders (the campaign's timeline)."""
    if not can("stakeholder.view", campaign, viewer):
        return None
    rows = (
        select(
            StanceChange.created_at, Stakeholder.id, Stakeholder.name, StanceChange.old_stance, StanceChange.new_stance
        )
        .join(CampaignTarget, CampaignTarget.id == StanceChange.target_id)
        .join(Stakeholder, Stakeholder.id == CampaignTarget.stakeholder_id)
        .where(StanceChange.campaign_id == campaign.id, StanceChange.old_stance.is_not(None))
    )
    return TimelineRows(rows, _stance_entry)


def _stance_entry(at, stakeholder_id, name, old, new) -> TimelineEntry:
    # The stances come through a UNION: read them by value (SQLite gives the text, not the enum).
    old, new = Stance(old), Stance(new)
    return TimelineEntry(
        at,
        "stance",
        _("%(name)s: %(old)s → %(new)s", name=name, old=STANCE_LABELS[old], new=STANCE_LABELS[new]),
        row_link("stakeholders.detail", "stakeholder_id", stakeholder_id),
    )


def packet_timeline(campaign, viewer) -> TimelineRows:
    """Testimony packets delivered for the campaign; members see that one went, not to whom (the timeline)."""
    if not can("stakeholder.view", campaign, viewer):
        return TimelineRows(select(Packet.delivered_at, Packet.id).where(Packet.campaign_id == campaign.id), _sent)
    rows = (
        select(Packet.delivered_at, Packet.id, Stakeholder.name)
        .join(Stakeholder, Stakeholder.id == Packet.stakeholder_id)
        .where(Packet.campaign_id == campaign.id)
    )
    return TimelineRows(rows, _sent_to)


def _sent(at, _packet_id) -> TimelineEntry:
    return TimelineEntry(at, "packet", _("Testimony packet delivered"))


def _sent_to(at, packet_id, name) -> TimelineEntry:
    return TimelineEntry(
        at,
        "packet",
        _("Testimony packet delivered to %(name)s", name=name),
        row_link("stakeholders.packet", "packet_id", packet_id),
    )


@cache
def _weeks_statement():
    """Built once: the outreach of :coalition_id per week since :week_7 (:week_0 is the start of the last seven
    days, :week_1 of the seven before, ...)."""
    starts = [bindparam(f"week_{index}") for index in range(WEEKS)]
    week = case(*[(Outreach.occurred_at >= start, index) for index, start in enumerate(starts)], else_=None)
    return (
        select(week, func.count())
        .where(Outreach.coalition_id == bindparam("coalition_id"), Outreach.occurred_at >= starts[-1])
        .group_by(week)
    )


def outreach_panel(coalition, user):
    """For leads: outreach logged per week over the last eight weeks (one query)."""
    if not can("coalition.manage", coalition, user):
        return None
    now = utcnow()
    starts = [now - timedelta(weeks=w) for w in range(1, WEEKS + 1)]  # week 0 is the last seven days
    values = {f"week_{index}": start for index, start in enumerate(starts)}
    rows = dict(db.session.execute(_weeks_statement(), {"coalition_id": coalition.id, **values}).all())
    weeks = [(starts[i], rows.get(i, 0)) for i in range(WEEKS)]
    return {"weeks": weeks, "longest": max((n for _start, n in weeks), default=0), "total": sum(rows.values())}
