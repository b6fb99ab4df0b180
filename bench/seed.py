"""The benchmark dataset: `flask seed-bench --scale N` fills a separate "Benchmark Coalition" (slug "bench").

At scale 1: ~1,000 members, 20 campaigns with questions, 100,000 stories (varied consent, status, tags, answers),
2,000 meetings with ~50,000 RSVPs, 5,000 stakeholders with targets and ~30,000 outreach entries, ~50,000 outbox
rows and ~20,000 audit entries. Each domain makes its own rows (`coalition/<domain>/bench.py`, `bench_rows()`), with
bulk INSERTs in chunks, one commit per chunk (`coalition.core.bulk`); this module runs them in order and adds the
mail and audit rows. Every account shares one password, hashed once. The stories' full-text index is filled by its
triggers (SQLite) or its expression index (PostgreSQL); `install_search()` is called only when the database lacks it.

`bench_pages()` is the list of pages `bench/run.py` measures (and tests/bench/test_bench.py checks).
"""

import math
import random
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, func, select

from coalition.accounts import bench as accounts_bench
from coalition.accounts.models import User
from coalition.campaigns import bench as campaigns_bench
from coalition.campaigns.models import Campaign, CampaignStatus
from coalition.coalitions import bench as coalitions_bench
from coalition.coalitions.models import Coalition, Membership
from coalition.core.audit import AuditEntry
from coalition.core.bulk import Text, insert_rows, scaled
from coalition.core.kept import rebuild_kept
from coalition.core.models import utcnow
from coalition.core.outbox import FAILED, SENT, OutboxMessage
from coalition.core.pagination import SEARCH_COUNT_CAP
from coalition.core.tokens import hash_token
from coalition.extensions import db
from coalition.meetings import bench as meetings_bench
from coalition.meetings.models import CalendarFeed, Meeting, Rsvp
from coalition.stakeholders import bench as stakeholders_bench
from coalition.stakeholders.models import CampaignTarget, Outreach
from coalition.stories import bench as stories_bench
from coalition.stories.models import Story, StoryStatus, StoryVisibility

BENCH_SLUG = "bench"
BENCH_NAME = "Benchmark Coalition"
BENCH_PASSWORD = "bench-password-2026"  # noqa: S105 - documented password of throw-away benchmark accounts
EMAIL_DOMAIN = "bench.example.org"
#: The accounts the benchmark logs in as.
BENCH_ACCOUNTS = {
    "lead": "lead@bench.example.org",
    "organizer": "organizer@bench.example.org",
    "member": "member@bench.example.org",
}
SEED = 20_26
#: The secret of member@'s calendar feed, so that the benchmark can request it (a throw-away dataset's link).
BENCH_FEED_TOKEN = "bench-calendar-feed-token-2026"  # noqa: S105
#: Rows per unit of scale of the kinds made here (the domains hold theirs), and the fewest members at any scale.
MEMBERS, OUTBOX, AUDIT, MINIMUM_MEMBERS = 1_000, 50_000, 20_000, 30


# --- The command --------------------------------------------------------------------------------------------


@click.command("seed-bench")
@click.option("--scale", default=1.0, show_default=True, type=click.FloatRange(min=0.0001, max=50))
@click.option("--reset", is_flag=True, help="Delete the existing benchmark coalition and its accounts first.")
@with_appcontext
def seed_bench_command(scale, reset):
    """Create the large "Benchmark Coalition" (slug "bench") for performance tests (100,000 stories × scale)."""
    if bench_exists():
        if not reset:
            raise click.ClickException('The "bench" coalition already exists; use --reset to replace it.')
        click.echo("Deleting the existing benchmark data...")
        delete_bench()
    counts = seed_bench(scale, echo=click.echo)
    click.echo(", ".join(f"{name} {number:,}" for name, number in counts.items()))
    click.echo(f"Log in as {BENCH_ACCOUNTS['organizer']} (or lead@, member@) with password {BENCH_PASSWORD}")


def bench_exists() -> bool:
    """Is there a benchmark coalition in this database?"""
    return db.session.scalar(select(Coalition.id).where(Coalition.slug == BENCH_SLUG)) is not None


def delete_bench() -> None:
    """Delete the benchmark coalition (its rows go with it, by ON DELETE CASCADE), its accounts and its mail."""
    db.session.execute(delete(Coalition).where(Coalition.slug == BENCH_SLUG))
    db.session.commit()
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address.like(f"%@{EMAIL_DOMAIN}")))
    db.session.execute(delete(User).where(User.email.like(f"%@{EMAIL_DOMAIN}")))
    db.session.commit()


def seed_bench(scale: float = 1.0, *, echo=lambda message: None) -> dict[str, int]:
    """Create the benchmark coalition at `scale`; return the number of rows made per kind."""
    rng = random.Random(SEED)
    ctx = {"rng": rng, "text": Text(rng), "now": utcnow(), "scale": scale, "email_domain": EMAIL_DOMAIN, "counts": {}}
    delete_bench()  # leftovers of an interrupted run: accounts and mail outlive a missing coalition
    total = scaled(MEMBERS, scale, MINIMUM_MEMBERS)
    emails = list(BENCH_ACCOUNTS.values()) + [f"person{i}@{EMAIL_DOMAIN}" for i in range(1, total - 2)]
    # The order matters: each step draws from the one random generator, and reads the ids of the steps before it.
    steps = (
        ("accounts", partial(accounts_bench.bench_rows, emails=emails, password=BENCH_PASSWORD)),
        ("coalitions", partial(coalitions_bench.bench_rows, name=BENCH_NAME, slug=BENCH_SLUG)),
        ("campaigns", campaigns_bench.bench_rows),
        ("stories", stories_bench.bench_rows),
        ("meetings", meetings_bench.bench_rows),
        ("stakeholders", stakeholders_bench.bench_rows),
        ("mail and audit", _mail_and_audit_rows),
    )
    for name, step in steps:
        started = time.perf_counter()
        step(ctx)
        echo(f"  {name}: {time.perf_counter() - started:.1f} s")
    stories_bench.ensure_search_index()
    # Bulk inserts bypass the ORM, so the kept numbers (story counts, people reached, tallies...) are counted here.
    rebuild_kept(ctx["coalition_id"])
    db.session.commit()
    ensure_bench_feed()
    _analyze()
    return ctx["counts"]


def ensure_bench_feed() -> None:
    """Give member@ a calendar feed with the known token `BENCH_FEED_TOKEN` (unless it has one)."""
    coalition_id = db.session.scalar(select(Coalition.id).where(Coalition.slug == BENCH_SLUG))
    user_id = db.session.scalar(select(User.id).where(User.email == BENCH_ACCOUNTS["member"]))
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.coalition_id == coalition_id, CalendarFeed.user_id == user_id)
    )
    if feed is None:
        feed = CalendarFeed(coalition_id=coalition_id, user_id=user_id)
        db.session.add(feed)
    feed.token_hash = hash_token(BENCH_FEED_TOKEN)
    db.session.commit()


def _analyze() -> None:
    """Refresh the planner's statistics: after a bulk load, SQLite has none and picks the wrong indexes.

    PostgreSQL also vacuums, as autovacuum would soon after a load: until the pages are marked all-visible, the lists'
    index-only scans still read the stories (and the benchmark server runs with autovacuum off).
    """
    with db.engine.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.exec_driver_sql("VACUUM ANALYZE" if connection.dialect.name == "postgresql" else "ANALYZE")


# --- Mail and audit -----------------------------------------------------------------------------------------

MAIL_KINDS = ["meeting_reminder", "rsvp_confirmation", "campaign_update", "story_review", "invitation"]
AUDIT_ACTIONS = ["story.read_private", "story.approve", "story.return", "member.role_change", "campaign.evidence"]


def _mail_and_audit_rows(ctx) -> None:
    """Sent (and some failed) mail to the benchmark accounts, and audit entries about its stories."""
    rng, now = ctx["rng"], ctx["now"]
    emails = list(ctx["emails"].values())
    mail = []
    for i in range(round(OUTBOX * ctx["scale"])):
        created = now - timedelta(minutes=rng.randint(1, 365 * 24 * 60))
        sent = rng.random() < 0.97
        mail.append(
            {
                "to_address": rng.choice(emails),
                "subject": "Coalition: an update",
                "body_text": "Hello,\n\nThis is a generated benchmark message.\n",
                "attachments": [],
                "kind": rng.choice(MAIL_KINDS),
                "message_id": f"<bench-{i}-{secrets.token_hex(4)}@coalition.localhost>",
                "status": SENT if sent else FAILED,
                "attempts": 1 if sent else 8,
                "next_attempt_at": created,
                "sent_at": created + timedelta(seconds=30) if sent else None,
                "last_error": None if sent else "SMTPRecipientsRefused: generated",
                "created_at": created,
            }
        )
    insert_rows(OutboxMessage, mail)
    audit = [
        {
            "coalition_id": ctx["coalition_id"],
            "actor_id": rng.choice(ctx["team"]),
            "action": rng.choice(AUDIT_ACTIONS),
            "object_type": "Story",
            "object_id": rng.choice(ctx["story_ids"]) if ctx.get("story_ids") else None,
            "detail": {"place": "bench"},
            "created_at": now - timedelta(minutes=rng.randint(1, 365 * 24 * 60)),
        }
        for _ in range(round(AUDIT * ctx["scale"]))
    ]
    insert_rows(AuditEntry, audit)
    ctx["counts"].update(outbox=len(mail), audit=len(audit))


# --- The pages the benchmark measures -----------------------------------------------------------------------


@dataclass
class BenchPage:
    name: str
    #: "lead", "organizer" or "member": whom to log in as; "visitor": nobody (no log-in).
    role: str
    url: str


def bench_pages() -> list[BenchPage]:
    """The main list pages, searches and heavy detail pages of the benchmark coalition, with the role to use."""
    coalition = db.session.scalar(select(Coalition).where(Coalition.slug == BENCH_SLUG))
    base = f"/c/{coalition.slug}"
    # Deep pages sit at the same depth of their list at every scale (page 200 at scale 1 is page 20 at scale 0.1,
    # where page 200 would be past the end), so the growth from one scale to the next compares like with like.
    scale = (db.session.scalar(select(func.count()).where(Membership.coalition_id == coalition.id)) or 0) / 1000

    def deep(page: int) -> int:
        return max(2, round(page * scale))

    search_deep = math.ceil(SEARCH_COUNT_CAP / current_app.config["PER_PAGE"])

    campaign_id = db.session.scalar(
        select(Campaign.id)
        .where(Campaign.coalition_id == coalition.id, Campaign.status == CampaignStatus.ACTIVE)
        .order_by(Campaign.id)
    )
    story_id = db.session.scalar(
        select(Story.id)
        .where(Story.coalition_id == coalition.id, Story.status == StoryStatus.APPROVED)
        .where(
            Story.visibility == StoryVisibility.MEMBERS, Story.campaign_id == campaign_id, Story.withdrawn_at.is_(None)
        )
        .order_by(Story.id)
    )
    meeting_id = db.session.scalar(
        select(Rsvp.meeting_id)
        .where(Rsvp.coalition_id == coalition.id)
        .group_by(Rsvp.meeting_id)
        .order_by(func.count().desc(), Rsvp.meeting_id)
        .limit(1)
    ) or db.session.scalar(select(Meeting.id).where(Meeting.coalition_id == coalition.id).order_by(Meeting.id))
    stakeholder_id = db.session.scalar(
        select(Outreach.stakeholder_id)
        .where(Outreach.coalition_id == coalition.id)
        .group_by(Outreach.stakeholder_id)
        .order_by(func.count().desc(), Outreach.stakeholder_id)
        .limit(1)
    )
    public_campaign = db.session.scalar(
        select(Campaign.slug)
        .where(Campaign.coalition_id == coalition.id, Campaign.public_page.is_(True))
        .order_by(Campaign.id)
        .limit(1)
    )
    map_campaign = db.session.scalar(
        select(CampaignTarget.campaign_id)
        .where(CampaignTarget.coalition_id == coalition.id)
        .group_by(CampaignTarget.campaign_id)
        .order_by(func.count().desc(), CampaignTarget.campaign_id)
        .limit(1)
    )
    return [
        BenchPage("dashboard", "organizer", f"{base}/"),
        BenchPage("dashboard (member)", "member", f"{base}/"),
        BenchPage("dashboard (lead)", "lead", f"{base}/"),
        BenchPage("campaigns list", "member", f"{base}/campaigns/"),
        BenchPage("campaign page", "member", f"{base}/campaigns/{campaign_id}"),
        BenchPage("campaign page (organizer)", "organizer", f"{base}/campaigns/{campaign_id}"),
        BenchPage("campaign page (lead), stances since", "lead", f"{base}/campaigns/{map_campaign}?since=2020-01-01"),
        BenchPage("campaign timeline p3", "organizer", f"{base}/campaigns/{map_campaign}?page=3"),
        BenchPage("evidence report", "organizer", f"{base}/campaigns/{campaign_id}/evidence"),
        BenchPage("stories list (organizer)", "organizer", f"{base}/stories/"),
        BenchPage("stories list, deep page (organizer)", "organizer", f"{base}/stories/?page={deep(200)}"),
        BenchPage("stories list (member)", "member", f"{base}/stories/"),
        BenchPage("stories list, deep page (member)", "member", f"{base}/stories/?page={deep(200)}"),
        BenchPage("stories search 'mold'", "organizer", f"{base}/stories/?q=mold"),
        # A search is browsable SEARCH_COUNT_CAP matches deep: its last page (20), at every scale.
        BenchPage("stories search 'mold', deep page", "organizer", f"{base}/stories/?q=mold&page={search_deep}"),
        BenchPage("stories search 'eviction notice' (member)", "member", f"{base}/stories/?q=eviction+notice"),
        BenchPage("stories by campaign", "organizer", f"{base}/stories/?campaign={campaign_id}"),
        BenchPage("stories by tag", "member", f"{base}/stories/?tag=mold"),
        BenchPage("stories by tag, deep page", "member", f"{base}/stories/?tag=mold&page={deep(200)}"),
        BenchPage("my stories", "member", f"{base}/stories/?mine=1"),
        BenchPage("story page", "organizer", f"{base}/stories/{story_id}"),
        BenchPage("meetings upcoming", "member", f"{base}/meetings/"),
        BenchPage("meetings past", "member", f"{base}/meetings/?when=past"),
        BenchPage("meetings past, deep page", "member", f"{base}/meetings/?when=past&page={deep(50)}"),
        BenchPage("my meetings", "member", f"{base}/meetings/mine"),
        BenchPage("meeting page, many RSVPs + needs", "organizer", f"{base}/meetings/{meeting_id}"),
        BenchPage("meeting page (member)", "member", f"{base}/meetings/{meeting_id}"),
        BenchPage("stakeholders list", "organizer", f"{base}/stakeholders/"),
        BenchPage("stakeholders list, deep page", "organizer", f"{base}/stakeholders/?page={deep(200)}"),
        BenchPage("stakeholders search", "organizer", f"{base}/stakeholders/?q=ortiz"),
        BenchPage("stakeholder page", "organizer", f"{base}/stakeholders/{stakeholder_id}"),
        BenchPage("follow-ups (mine)", "organizer", f"{base}/stakeholders/follow-ups"),
        BenchPage("follow-ups (all)", "organizer", f"{base}/stakeholders/follow-ups?scope=all"),
        BenchPage("power map", "organizer", f"{base}/stakeholders/campaigns/{map_campaign}/map"),
        BenchPage("members list", "member", f"{base}/members"),
        BenchPage("members list, deep page", "organizer", f"{base}/members?page={deep(40)}"),
        BenchPage("audit log", "lead", f"{base}/audit"),
        BenchPage("audit log, deep page", "lead", f"{base}/audit?page={deep(200)}"),
        BenchPage("meeting .ics", "member", f"{base}/meetings/{meeting_id}/meeting.ics"),
        BenchPage("personal calendar feed", "visitor", f"{base}/meetings/feed/{BENCH_FEED_TOKEN}.ics"),
        BenchPage("public campaign page", "visitor", f"{base}/campaigns/public/{public_campaign}"),
    ]
