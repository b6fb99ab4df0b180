"""What stakeholders give campaign momentum (targets by stance and their movement, outreach by month, stance changes
and packets on the timeline) and the lead's dashboard panel (outreach activity by week)."""

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from coalition.campaigns.providers import StanceCount, StanceSummary, TimelineEntry
from coalition.core.models import utcnow
from coalition.core.permissions import can
from coalition.extensions import db
from coalition.stakeholders.labels import STANCE_LABELS
from coalition.stakeholders.models import CampaignTarget, Outreach, Packet, Stakeholder, Stance, StanceChange
from coalition.stakeholders.powermap import STANCE_ORDER, stances_at

#: Shown from the strongest support down, unknown last.
SHOWN_ORDER = (Stance.CHAMPION, Stance.SUPPORTIVE, Stance.NEUTRAL, Stance.OPPOSED, Stance.HOSTILE, Stance.UNKNOWN)
WEEKS = 8


def _support(stance) -> int | None:
    """How far toward support a stance is (None for unknown: it neither moves toward nor away)."""
    return None if stance == Stance.UNKNOWN else STANCE_ORDER.index(Stance(stance))


def stance_counts(campaign_ids, since) -> dict[int, StanceSummary]:
    """{campaign id: targets by stance now and at `since`, and how many moved}: the power map's numbers, 2 queries.

    A target added after `since` counts now, not then (the power map shows it as "added later").
    """
    targets = db.session.execute(
        select(CampaignTarget.id, CampaignTarget.campaign_id, CampaignTarget.stance, CampaignTarget.created_at).where(
            CampaignTarget.campaign_id.in_(campaign_ids)
        )
    ).all()
    history = stances_at([t.id for t in targets], since)
    counts: dict[int, dict] = {}
    summaries = {campaign_id: StanceSummary() for campaign_id in {t.campaign_id for t in targets}}
    for target_id, campaign_id, stance, created_at in targets:
        now_then = counts.setdefault(campaign_id, {s: [0, 0] for s in SHOWN_ORDER})
        now_then[Stance(stance)][0] += 1
        then, added_later = history.get(target_id, (stance, created_at > since))
        if added_later:
            continue
        now_then[Stance(then)][1] += 1
        before, after = _support(then), _support(stance)
        if before is not None and after is not None and before != after:
            summary = summaries[campaign_id]
            summary.toward, summary.away = (
                (summary.toward + 1, summary.away) if after > before else (summary.toward, summary.away + 1)
            )
    for campaign_id, by_stance in counts.items():
        summaries[campaign_id].stances = [
            StanceCount(str(s), str(STANCE_LABELS[s]), now, then) for s, (now, then) in by_stance.items()
        ]
    return summaries


def outreach_by_month(campaign_ids, last_month, this_month) -> dict[int, tuple[int, int]]:
    """{campaign id: (outreach last month, outreach this month)}, one query."""
    this = func.sum(case((Outreach.occurred_at >= this_month, 1), else_=0))
    rows = db.session.execute(
        select(Outreach.campaign_id, func.count(), this)
        .where(Outreach.campaign_id.in_(campaign_ids), Outreach.occurred_at >= last_month)
        .group_by(Outreach.campaign_id)
    )
    return {campaign_id: (int(total - (current or 0)), int(current or 0)) for campaign_id, total, current in rows}


def last_activity(campaign_ids):
    """select(campaign_id, at): when outreach happened for a campaign."""
    return select(Outreach.campaign_id.label("campaign_id"), Outreach.occurred_at.label("at")).where(
        Outreach.campaign_id.in_(campaign_ids)
    )


def stance_timeline(campaign, viewer, limit: int) -> list[TimelineEntry]:
    """Stance changes of the campaign's targets, newest first, for those who may see stakeholders (one query)."""
    if not can("stakeholder.view", campaign, viewer):
        return []
    rows = db.session.execute(
        select(
            StanceChange.created_at, StanceChange.old_stance, StanceChange.new_stance, Stakeholder.id, Stakeholder.name
        )
        .join(CampaignTarget, CampaignTarget.id == StanceChange.target_id)
        .join(Stakeholder, Stakeholder.id == CampaignTarget.stakeholder_id)
        .where(CampaignTarget.campaign_id == campaign.id, StanceChange.old_stance.is_not(None))
        .order_by(StanceChange.created_at.desc(), StanceChange.id.desc())
        .limit(limit)
    )
    return [
        TimelineEntry(
            at,
            "stance",
            _("%(name)s: %(old)s → %(new)s", name=name, old=STANCE_LABELS[old], new=STANCE_LABELS[new]),
            url_for("stakeholders.detail", stakeholder_id=stakeholder_id),
        )
        for at, old, new, stakeholder_id, name in rows
    ]


def packet_timeline(campaign, viewer, limit: int) -> list[TimelineEntry]:
    """Testimony packets delivered for the campaign, newest first; members see that one went, not to whom."""
    team = can("stakeholder.view", campaign, viewer)
    rows = db.session.execute(
        select(Packet.id, Packet.delivered_at, Stakeholder.name)
        .join(Stakeholder, Stakeholder.id == Packet.stakeholder_id)
        .where(Packet.campaign_id == campaign.id)
        .order_by(Packet.delivered_at.desc(), Packet.id.desc())
        .limit(limit)
    )
    return [
        TimelineEntry(
            at,
            "packet",
            _("Testimony packet delivered to %(name)s", name=name) if team else _("Testimony packet delivered"),
            url_for("stakeholders.packet", packet_id=packet_id) if team else None,
        )
        for packet_id, at, name in rows
    ]


def outreach_panel(coalition, user):
    """For leads: outreach logged per week over the last eight weeks (one query)."""
    if not can("coalition.manage", coalition, user):
        return None
    now = utcnow()
    starts = [now - timedelta(weeks=w) for w in range(1, WEEKS + 1)]  # week 0 is the last seven days
    week = case(*[(Outreach.occurred_at >= start, index) for index, start in enumerate(starts)], else_=None)
    rows = dict(
        db.session.execute(
            select(week, func.count())
            .where(Outreach.coalition_id == coalition.id, Outreach.occurred_at >= starts[-1])
            .group_by(week)
        ).all()
    )
    weeks = [(starts[i], rows.get(i, 0)) for i in range(WEEKS)]
    return {"weeks": weeks, "longest": max((n for _start, n in weeks), default=0), "total": sum(rows.values())}
