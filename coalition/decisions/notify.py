"""Decision mail, through the outbox: the invitation when it opens, reminders to those who have not answered
(automatic before the close, or one sent by an organizer), and the outcome to everyone eligible.

Every mail has a dedupe key the outbox keeps unique, so running `flask decisions remind` twice, or in two
workers, queues each reminder once. No mail ever carries a count before the close, nor an anonymous receipt.
"""

import zoneinfo
from datetime import timedelta

from babel.dates import format_datetime
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coalition.core.i18n import lazy_gettext as _l
from coalition.core.links import site_link
from coalition.core.models import utcnow
from coalition.core.outbox import OutboxMessage, queue_mail
from coalition.decisions.eligibility import eligible_people, not_answered
from coalition.decisions.links import choice_links, decision_path
from coalition.decisions.models import CollectiveDecision, DecisionStatus
from coalition.extensions import db

#: The longest reminder lead time one can choose.
MAX_REMINDER_HOURS = 24 * 14
#: People one run looks at per decision (bounded memory; the next run continues).
BATCH = 5000


def _locale(decision, user) -> str:
    return user.locale or decision.coalition.default_locale or "en"


def closes_text(decision: CollectiveDecision, user, locale: str) -> str:
    """The closing time in the person's zone (or the coalition's), in their language."""
    zone_name = user.timezone or decision.coalition.timezone or "UTC"
    zone = zoneinfo.ZoneInfo(zone_name)
    return f"{format_datetime(decision.closes_at.astimezone(zone), 'medium', tzinfo=zone, locale=locale)} ({zone_name})"


def mail_person(decision: CollectiveDecision, user, subject, template: str, *, kind: str, dedupe_key: str, **context):
    """Queue one decision mail to one person, in their language, with their own answer links."""
    locale = _locale(decision, user)
    return queue_mail(
        user.email,
        subject,
        f"decisions/{template}",
        kind=kind,
        dedupe_key=dedupe_key,
        locale=locale,
        decision=decision,
        name=user.display_name,
        closes=closes_text(decision, user, locale),
        decision_url=site_link(decision_path(decision)),
        **context,
    )


def notify_opened(decision: CollectiveDecision) -> int:
    """Invite everyone eligible to answer, with one signed link per choice."""
    queued = 0
    for user in db.session.scalars(eligible_people(decision).limit(BATCH)):
        if (
            mail_person(
                decision,
                user,
                _l("Your say: %(title)s", title=decision.title),
                "opened",
                kind="decision_open",
                dedupe_key=f"decision-open:{decision.id}:{user.id}",
                links=choice_links(decision, user),
            )
            is not None
        ):
            queued += 1
    return queued


def remind(decision: CollectiveDecision, *, manual: bool) -> int:
    """Queue a reminder to each eligible person who has not answered (never to those who have), once each.

    The automatic reminder and the organizers' manual one have separate keys: each reaches a person at most once.
    """
    prefix = "decision-nudge" if manual else "decision-reminder"
    queued = 0
    people = db.session.scalars(not_answered(decision).limit(BATCH)).all()
    sent = set(
        db.session.scalars(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like(f"{prefix}:{decision.id}:%"))
        )
    )
    for user in people:
        key = f"{prefix}:{decision.id}:{user.id}"
        if key in sent:
            continue
        if (
            mail_person(
                decision,
                user,
                _l("Reminder: %(title)s", title=decision.title),
                "reminder",
                kind="decision_reminder",
                dedupe_key=key,
                links=choice_links(decision, user),
            )
            is not None
        ):
            queued += 1
    return queued


def queue_reminders(now=None) -> int:
    """Remind, once, those who have not answered decisions closing within each decision's reminder time."""
    now = now or utcnow()
    decisions = db.session.scalars(
        select(CollectiveDecision)
        .where(
            CollectiveDecision.status == DecisionStatus.OPEN,
            CollectiveDecision.opens_at <= now,
            CollectiveDecision.closes_at > now,
            CollectiveDecision.closes_at <= now + timedelta(hours=MAX_REMINDER_HOURS),
        )
        .options(joinedload(CollectiveDecision.coalition))
        .order_by(CollectiveDecision.closes_at, CollectiveDecision.id)  # one order for every worker (ties by id)
    ).all()
    queued = 0
    for decision in decisions:
        if decision.closes_at <= now + timedelta(hours=decision.reminder_hours):
            queued += remind(decision, manual=False)
    return queued


def notify_outcome(decision: CollectiveDecision) -> int:
    """Mail the outcome statement to everyone eligible, in their language (once per person and decision)."""
    queued = 0
    for user in db.session.scalars(eligible_people(decision).limit(BATCH)):
        if (
            mail_person(
                decision,
                user,
                _l("Decided: %(title)s", title=decision.title),
                "outcome",
                kind="decision_outcome",
                dedupe_key=f"decision-outcome:{decision.id}:{user.id}",
            )
            is not None
        ):
            queued += 1
    return queued
