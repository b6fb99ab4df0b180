"""Check-ins: a campaign asks its members every N weeks how it is going (1–5 and a comment, anonymous).

Like anonymous ballots, the answer (`CheckinResponse`: period, rating, comment, random id, no time) is kept apart
from the fact that someone answered (`CheckinGiven`), so nobody answers a period twice and nobody can tell who
said what. Results are a trend: the average and number of answers per period.
"""

import secrets
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coalition.core.i18n import gettext as _
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.models import utcnow
from coalition.decisions.errors import DecisionError
from coalition.decisions.models import Checkin, CheckinGiven, CheckinResponse
from coalition.extensions import db

DEFAULT_QUESTION = _l("How do you feel about where this campaign is going?")


def checkin_of(campaign) -> Checkin | None:
    """The campaign's check-in, if it runs one."""
    return db.session.scalar(select(Checkin).where(Checkin.campaign_id == campaign.id))


def start_checkin(campaign, *, every_weeks: int, question: str = "") -> Checkin:
    """Start (or change) a campaign's recurring check-in."""
    if not 1 <= int(every_weeks) <= 52:
        raise DecisionError(_("Every 1 to 52 weeks."), "every_weeks")
    checkin = checkin_of(campaign)
    if checkin is None:
        checkin = Checkin(coalition_id=campaign.coalition_id, campaign_id=campaign.id, started_at=utcnow())
        db.session.add(checkin)
    checkin.every_weeks, checkin.active = int(every_weeks), True
    checkin.question = (question or "").strip()[:300] or str(DEFAULT_QUESTION)
    db.session.flush()
    return checkin


def stop_checkin(checkin: Checkin) -> None:
    """Stop asking (the answers stay)."""
    checkin.active = False
    db.session.flush()


def current_period(checkin: Checkin, now=None) -> int:
    """0 for the first N weeks, 1 for the next N, ..."""
    elapsed = (now or utcnow()) - checkin.started_at
    return max(int(elapsed / timedelta(weeks=checkin.every_weeks)), 0)


def has_answered(checkin: Checkin, user, period: int | None = None) -> bool:
    """Did this person answer this period already?"""
    period = current_period(checkin) if period is None else period
    return (
        db.session.scalar(
            select(CheckinGiven.id).where(
                CheckinGiven.checkin_id == checkin.id, CheckinGiven.period == period, CheckinGiven.user_id == user.id
            )
        )
        is not None
    )


def answer_checkin(checkin: Checkin, user, *, rating: int, comment: str = "") -> None:
    """Answer this period's check-in once, anonymously."""
    if not checkin.active:
        raise DecisionError(_("This check-in is not running."))
    if not 1 <= int(rating) <= 5:
        raise DecisionError(_("Please choose from 1 to 5."), "rating")
    period = current_period(checkin)
    try:
        with db.session.begin_nested():
            db.session.add(
                CheckinGiven(coalition_id=checkin.coalition_id, checkin_id=checkin.id, period=period, user_id=user.id)
            )
    except IntegrityError as error:
        raise DecisionError(_("You already answered this check-in. Thank you!")) from error
    db.session.add(
        CheckinResponse(
            id=secrets.token_hex(16),
            coalition_id=checkin.coalition_id,
            checkin_id=checkin.id,
            period=period,
            rating=int(rating),
            comment=(comment or "").strip()[:2000],
        )
    )
    db.session.flush()


def trend(checkin: Checkin, threshold: int, limit: int = 26) -> list[dict]:
    """Per period, latest last: when it started, how many answered and the average (hidden under `threshold`)."""
    rows = db.session.execute(
        select(CheckinResponse.period, func.count(), func.avg(CheckinResponse.rating))
        .where(CheckinResponse.checkin_id == checkin.id)
        .group_by(CheckinResponse.period)
        .order_by(CheckinResponse.period.desc())
        .limit(limit)
    ).all()
    return [
        {
            "period": period,
            "starts": checkin.started_at + timedelta(weeks=checkin.every_weeks * period),
            "count": count,
            "average": round(float(average), 1) if count >= threshold else None,
        }
        for period, count, average in reversed(rows)
    ]


def comments(checkin: Checkin, threshold: int, limit: int = 50) -> list[str]:
    """Comments of the latest periods with enough answers to keep them anonymous."""
    counts = dict(
        db.session.execute(
            select(CheckinResponse.period, func.count())
            .where(CheckinResponse.checkin_id == checkin.id)
            .group_by(CheckinResponse.period)
        ).all()
    )
    periods = [period for period, count in counts.items() if count >= threshold]
    if not periods:
        return []
    return list(
        db.session.scalars(
            select(CheckinResponse.comment)
            .where(
                CheckinResponse.checkin_id == checkin.id,
                CheckinResponse.period.in_(periods),
                CheckinResponse.comment != "",
            )
            .order_by(CheckinResponse.period.desc(), CheckinResponse.id)
            .limit(limit)
        )
    )
