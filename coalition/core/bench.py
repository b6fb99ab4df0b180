"""The benchmark dataset: `flask seed-bench --scale N` fills a separate "Benchmark Coalition" (slug "bench").

At scale 1: ~1,000 members, 20 campaigns with questions, 100,000 stories (varied consent, status, tags, answers),
2,000 meetings with ~50,000 RSVPs, 5,000 stakeholders with targets and ~30,000 outreach entries, ~50,000 outbox
rows and ~20,000 audit entries. Rows go in with bulk INSERTs in chunks, one commit per chunk; every account shares
one password, hashed once. The stories' full-text index is filled by its triggers (SQLite) or its expression index
(PostgreSQL); `install_search()` is called only when the database lacks it.

`bench_pages()` is the list of pages `bench/run.py` measures (and tests/core/test_bench.py checks).
"""

import random
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import delete, func, insert, inspect, select

from coalition.core.models import utcnow
from coalition.extensions import db

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
CHUNK = 5_000
SEED = 20_26

#: Rows per unit of scale (stories = 100,000 × scale); campaigns stay 20 whatever the scale.
SIZES = {
    "members": 1_000,
    "stories": 100_000,
    "meetings": 2_000,
    "rsvps": 50_000,
    "stakeholders": 5_000,
    "outreach": 30_000,
    "outbox": 50_000,
    "audit": 20_000,
}
MINIMUM = {"members": 30, "meetings": 12, "stakeholders": 12}
CAMPAIGNS = 20
LEADS, ORGANIZERS = 3, 20

FIRST = (
    "Ana Omar Maria Jamal Mei Rosa Tom Luis Fatima Kwame Sofia Dmitri Aisha Carlos Nguyen Priya Samuel Elena".split()
)
LAST = (
    "Ortiz Haddad Santos Carter Chen Delgado Becker Ruiz Okafor Kim Nowak Tran Patel Mensah Rossi Silva Jones".split()
)
NEIGHBOURHOODS = (
    "Riverside Eastside Northgate Old-Mill Harbor Westfield Cedar-Park Lakeview Southbank Hillcrest".split()
)
STORY_TAGS = (
    "mold repairs heat rent-increase eviction pests water-leak elevator safety harassment deposit noise "
    "accessibility lead-paint utilities"
).split()
STAKEHOLDER_TAGS = "council housing health budget press landlord ward-4 ward-7 state federal".split()
FILLER = (
    "the a and we our my in on at of to for with since every month year week day night still again never "
    "always after before when because but so then there here it they he she was were is are has have had "
    "called asked told wrote waited nobody somebody family children kids neighbours building apartment "
    "unit floor hallway kitchen bathroom bedroom window door stairs street block corner office"
).split()
TOPICS = (
    "mold heat heating radiator cold leak ceiling water pipes rats mice cockroaches bedbugs eviction notice "
    "court rent increase deposit landlord manager superintendent repairs broken elevator wheelchair ramp lights "
    "security lock smoke alarm asthma clinic doctor inspector violation fine hearing lease renewal harassment "
    "threat noise construction dust lead paint boiler hot gas electricity bill shutoff garbage trash flood "
    "sewage roof crack wall stove fridge"
).split()
PLACES = [w.lower() for w in NEIGHBOURHOODS] + "maple oak elm pine birch willow avenue court terrace plaza".split()


def _count(name: str, scale: float) -> int:
    return max(MINIMUM.get(name, 1), round(SIZES[name] * scale))


def _chunks(rows, size=CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(model, rows, *, returning=False) -> list[int]:
    """Bulk-insert `rows` (dicts) in chunks, committing each; return the new ids in order when asked."""
    ids = []
    for chunk in _chunks(rows):
        statement = insert(model)
        if returning:
            statement = statement.returning(model.id, sort_by_parameter_order=True)
            ids.extend(db.session.scalars(statement, chunk).all())
        else:
            db.session.execute(statement, chunk)
        db.session.commit()
    return ids


def _insert_table(table, rows) -> None:
    for chunk in _chunks(rows):
        db.session.execute(table.insert(), chunk)
        db.session.commit()


class Text:
    """Story titles and texts from a fixed vocabulary, so searches match a realistic share of stories."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = FILLER + TOPICS + PLACES
        self.weights = (
            [6 / len(FILLER)] * len(FILLER) + [3 / len(TOPICS)] * len(TOPICS) + [1 / len(PLACES)] * len(PLACES)
        )

    def _words(self, count: int) -> list[str]:
        return self.rng.choices(self.words, self.weights, k=count)

    def title(self) -> str:
        return " ".join(self.rng.choices(TOPICS, k=self.rng.randint(2, 5))).capitalize()

    def body(self, low=40, high=140) -> str:
        words = self._words(self.rng.randint(low, high))
        sentences = [" ".join(words[i : i + 12]).capitalize() + "." for i in range(0, len(words), 12)]
        return " ".join(sentences)


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
    from coalition.coalitions.models import Coalition

    return db.session.scalar(select(Coalition.id).where(Coalition.slug == BENCH_SLUG)) is not None


def delete_bench() -> None:
    """Delete the benchmark coalition (its rows go with it, by ON DELETE CASCADE), its accounts and its mail."""
    from coalition.accounts.models import User
    from coalition.coalitions.models import Coalition
    from coalition.core.outbox import OutboxMessage

    db.session.execute(delete(Coalition).where(Coalition.slug == BENCH_SLUG))
    db.session.commit()
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address.like(f"%@{EMAIL_DOMAIN}")))
    db.session.execute(delete(User).where(User.email.like(f"%@{EMAIL_DOMAIN}")))
    db.session.commit()


def seed_bench(scale: float = 1.0, *, echo=lambda message: None) -> dict[str, int]:
    """Create the benchmark coalition at `scale`; return the number of rows made per kind."""
    rng = random.Random(SEED)
    ctx = {"rng": rng, "text": Text(rng), "now": utcnow(), "scale": scale, "counts": {}}
    delete_bench()  # leftovers of an interrupted run: accounts and mail outlive a missing coalition
    steps = (_seed_people, _seed_campaigns, _seed_stories, _seed_meetings, _seed_stakeholders, _seed_mail_and_audit)
    for step in steps:
        started = time.perf_counter()
        step(ctx)
        echo(f"  {step.__name__.removeprefix('_seed_')}: {time.perf_counter() - started:.1f} s")
    _ensure_search_index()
    _analyze()
    return ctx["counts"]


def _analyze() -> None:
    """Refresh the planner's statistics: after a bulk load, SQLite has none and picks the wrong indexes."""
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def _ensure_search_index() -> None:
    """Fill the stories' full-text index when this database was built without it (triggers fill it otherwise)."""
    from coalition.stories.search import install_search

    connection = db.session.connection()
    names = inspect(connection).get_table_names()
    if connection.dialect.name == "sqlite" and "stories_fts" not in names:
        install_search(connection)
    elif connection.dialect.name == "postgresql":
        indexes = {i["name"] for i in inspect(connection).get_indexes("stories")}
        if "ix_stories_fulltext" not in indexes:
            install_search(connection)
    db.session.commit()


# --- People -------------------------------------------------------------------------------------------------


def _seed_people(ctx) -> None:
    from coalition.accounts.models import User
    from coalition.accounts.passwords import hash_password
    from coalition.coalitions.models import Coalition, Membership, MembershipStatus, PartnerOrganization
    from coalition.core.permissions import Role

    rng, now = ctx["rng"], ctx["now"]
    coalition = Coalition(
        name=BENCH_NAME,
        slug=BENCH_SLUG,
        timezone="America/Chicago",
        description="A large generated coalition for performance tests.",
    )
    db.session.add(coalition)
    db.session.flush()
    partner_ids = _insert(
        PartnerOrganization,
        [{"coalition_id": coalition.id, "name": f"Bench Partner {i}", "website": None} for i in range(1, 6)],
        returning=True,
    )
    password_hash = hash_password(BENCH_PASSWORD)
    total = _count("members", ctx["scale"])
    emails = list(BENCH_ACCOUNTS.values()) + [f"person{i}@{EMAIL_DOMAIN}" for i in range(1, total - 2)]
    users = [
        {
            "email": email,
            "password_hash": password_hash,
            "display_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "locale": rng.choice(["en", "en", "en", "es"]),
            "email_verified_at": now - timedelta(days=rng.randint(1, 700)),
        }
        for email in emails
    ]
    user_ids = _insert(User, users, returning=True)
    roles = [Role.LEAD, Role.ORGANIZER, Role.MEMBER] + [Role.LEAD] * (LEADS - 1) + [Role.ORGANIZER] * (ORGANIZERS - 1)
    roles += [Role.MEMBER] * (len(user_ids) - len(roles))
    memberships = []
    for index, (user_id, role) in enumerate(zip(user_ids, roles, strict=True)):
        pending = role == Role.MEMBER and index > 3 and rng.random() < 0.02
        memberships.append(
            {
                "user_id": user_id,
                "coalition_id": coalition.id,
                "role": role,
                "status": MembershipStatus.PENDING if pending else MembershipStatus.ACTIVE,
                "partner_id": rng.choice(partner_ids + [None, None]),
            }
        )
    _insert(Membership, memberships)
    team = [u for u, r in zip(user_ids, roles, strict=True) if r != Role.MEMBER]
    ctx.update(coalition_id=coalition.id, users=user_ids, team=team, members=user_ids[2:])
    ctx["emails"] = dict(zip(user_ids, emails, strict=True))
    ctx["counts"]["members"] = len(user_ids)


# --- Campaigns ----------------------------------------------------------------------------------------------

QUESTIONS = (
    ("yes_no", "Have you reported the problem to your landlord?", []),
    ("choice", "How long have you lived in your home?", ["Less than a year", "1 to 5 years", "More than 5 years"]),
    ("number", "How many months did you wait for repairs?", []),
    ("short_text", "What would fix this for you?", []),
)


def _seed_campaigns(ctx) -> None:
    from coalition.campaigns.models import Campaign, CampaignFollower, CampaignQuestion, CampaignUpdate

    rng, now, coalition_id = ctx["rng"], ctx["now"], ctx["coalition_id"]
    statuses = ["active"] * 12 + ["planning", "planning", "won", "lost", "paused", "paused", "archived", "archived"]
    campaigns = [
        {
            "coalition_id": coalition_id,
            "title": f"{rng.choice(TOPICS).capitalize()} campaign {i}",
            "slug": f"campaign-{i}",
            "summary": ctx["text"].body(20, 40),
            "goal": "Safe, healthy homes for every tenant.",
            "decision_maker": "City Council",
            "status": statuses[i % len(statuses)],
            "issue_tags": rng.sample(STORY_TAGS, 2),
            "public_page": i % 3 == 0,
            "story_prompt": "Tell us what happened in your home.",
            "story_goal": 5_000,
            "starts_on": (now - timedelta(days=rng.randint(30, 700))).date(),
        }
        for i in range(1, CAMPAIGNS + 1)
    ]
    campaign_ids = _insert(Campaign, campaigns, returning=True)
    questions = [
        {"campaign_id": cid, "position": p, "kind": kind, "prompt": prompt, "choices": choices, "required": p == 1}
        for cid in campaign_ids
        for p, (kind, prompt, choices) in enumerate(QUESTIONS, start=1)
    ]
    question_ids = _insert(CampaignQuestion, questions, returning=True)
    ctx["questions"] = {
        cid: list(zip(question_ids[i * 4 : i * 4 + 4], QUESTIONS, strict=True)) for i, cid in enumerate(campaign_ids)
    }
    updates = [
        {
            "campaign_id": cid,
            "coalition_id": coalition_id,
            "author_id": rng.choice(ctx["team"]),
            "body": ctx["text"].body(20, 60),
            "created_at": now - timedelta(days=rng.randint(1, 400)),
        }
        for cid in campaign_ids
        for _ in range(5)
    ]
    _insert(CampaignUpdate, updates)
    followers = [
        {"campaign_id": cid, "user_id": uid}
        for cid in campaign_ids
        for uid in rng.sample(ctx["members"], min(50, len(ctx["members"])))
    ]
    _insert(CampaignFollower, followers)
    ctx["campaigns"] = campaign_ids
    ctx["counts"]["campaigns"] = len(campaign_ids)


# --- Stories ------------------------------------------------------------------------------------------------


def _story_row(ctx, index: int) -> dict:
    rng, now = ctx["rng"], ctx["now"]
    created = now - timedelta(seconds=rng.randint(3_600, 730 * 86_400))
    status = rng.choices(["draft", "submitted", "approved", "returned"], [5, 15, 75, 5])[0]
    visitor = rng.random() < 0.15
    row = {
        "coalition_id": ctx["coalition_id"],
        "campaign_id": rng.choice(ctx["campaigns"]) if rng.random() < 0.9 else None,
        "storyteller_id": None if visitor else rng.choice(ctx["members"]),
        "intake_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}" if visitor else None,
        "intake_email": f"visitor{index}@{EMAIL_DOMAIN}" if visitor else None,
        "title": ctx["text"].title(),
        "body": ctx["text"].body(),
        "language": "es" if rng.random() < 0.2 else "en",
        "tags": sorted(rng.sample(STORY_TAGS, rng.randint(0, 3))),
        "location": rng.choice(NEIGHBOURHOODS) if rng.random() < 0.7 else None,
        "content_note": "Mentions a child's illness." if rng.random() < 0.05 else None,
        "status": "draft" if visitor and status == "draft" else status,
        "visibility": rng.choices(["team", "members", "public"], [30, 40, 30])[0],
        "attribution": rng.choice(["full", "first_initial", "anonymous"]),
        "share_with_decision_makers": rng.random() < 0.5,
        "press_ok": rng.random() < 0.3,
        "withdrawn_at": created + timedelta(days=3) if rng.random() < 0.03 else None,
        "deleted_at": None,
        "created_at": created,
        "updated_at": created,
        "submitted_at": created + timedelta(minutes=5) if status != "draft" else None,
        "approved_at": created + timedelta(days=2) if status == "approved" else None,
    }
    if row["withdrawn_at"] is not None and rng.random() < 0.3:
        row.update(deleted_at=row["withdrawn_at"], title="", body="", tags=[])
    return row


def _answer_value(rng, kind: str, choices) -> str | None:
    chance = {"yes_no": 0.75, "choice": 0.7, "number": 0.4, "short_text": 0.15}[kind]
    if rng.random() >= chance:
        return None
    if kind == "yes_no":
        return rng.choice(["yes", "yes", "no"])
    if kind == "choice":
        return rng.choice(choices)
    if kind == "number":
        return str(rng.randint(0, 24))
    return f"Fix the {rng.choice(TOPICS)} and the {rng.choice(TOPICS)}."


def _seed_stories(ctx) -> None:
    """Stories in batches: insert a chunk, then its tag rows, answers and first consent record, each committed."""
    from coalition.stories.models import ConsentChange, Story, StoryAnswer, StoryTag

    rng, total = ctx["rng"], round(SIZES["stories"] * ctx["scale"])
    made = answers_made = 0
    while made < total:
        rows = [_story_row(ctx, made + i) for i in range(min(CHUNK, total - made))]
        ids = _insert(Story, rows, returning=True)
        answers, consents = [], []
        # Bulk INSERTs skip the ORM, which fills story_tags when `Story.tags` is set: the filter reads these rows.
        pairs = zip(ids, rows, strict=True)
        tags = [{"story_id": i, "coalition_id": ctx["coalition_id"], "tag": t} for i, r in pairs for t in r["tags"]]
        for story_id, row in zip(ids, rows, strict=True):
            consents.append(
                {
                    "story_id": story_id,
                    "changed_by_id": row["storyteller_id"],
                    "via": "storyteller" if row["storyteller_id"] else "visitor_link",
                    "field": "visibility",
                    "old_value": None,
                    "new_value": row["visibility"],
                    "created_at": row["created_at"],
                }
            )
            for question_id, (kind, _prompt, choices) in ctx["questions"].get(row["campaign_id"], []):
                value = _answer_value(rng, kind, choices)
                if value is not None:
                    answers.append({"story_id": story_id, "question_id": question_id, "value": value})
        _insert(StoryTag, tags)
        _insert(StoryAnswer, answers)
        _insert(ConsentChange, consents)
        made += len(rows)
        answers_made += len(answers)
        ctx.setdefault("story_ids", []).extend(ids)
    ctx["counts"].update(stories=made, answers=answers_made)


# --- Meetings -----------------------------------------------------------------------------------------------

MEETING_KINDS = ["coalition_meeting", "community_meeting", "small_gathering", "workshop", "public_action"]


def _seed_meetings(ctx) -> None:
    from coalition.meetings.models import ActionItem, AgendaItem, Meeting

    rng, now, coalition_id = ctx["rng"], ctx["now"], ctx["coalition_id"]
    total = _count("meetings", ctx["scale"])
    meetings = []
    for i in range(total):
        start = now + timedelta(hours=rng.randint(-730 * 24, 180 * 24))
        if i == 0:  # the big upcoming meeting the benchmark opens: everybody answered
            start = now + timedelta(days=10)
        meetings.append(
            {
                "coalition_id": coalition_id,
                "campaign_id": rng.choice(ctx["campaigns"]) if rng.random() < 0.7 else None,
                "kind": "community_meeting" if i == 0 else rng.choice(MEETING_KINDS),
                "title": "Big assembly" if i == 0 else f"{rng.choice(TOPICS).capitalize()} meeting {i}",
                "description": ctx["text"].body(10, 40),
                "start_at": start,
                "end_at": start + timedelta(minutes=rng.choice([60, 90, 120])),
                "timezone": "America/Chicago",
                "venue": f"{rng.choice(NEIGHBOURHOODS)} community hall",
                "address": f"{rng.randint(1, 999)} {rng.choice(PLACES).capitalize()} Street",
                "capacity": None,
                "seats_taken": 0,
                "visibility": "members" if i == 0 else rng.choices(["public", "members", "invite_only"], [2, 7, 1])[0],
                "languages": "en, es",
                "interpretation": "es, vi" if rng.random() < 0.5 or i == 0 else "",
                "childcare": rng.random() < 0.4,
                "status": "cancelled" if rng.random() < 0.03 and i else "scheduled",
                "created_by_id": rng.choice(ctx["team"]),
            }
        )
    rsvps, seats, capacities = _rsvps(ctx, meetings)
    for meeting, taken, capacity in zip(meetings, seats, capacities, strict=True):
        meeting.update(seats_taken=taken, capacity=capacity)
    meeting_ids = _insert(Meeting, meetings, returning=True)
    _insert_rsvps(ctx, meeting_ids, rsvps)
    agenda = [
        {"coalition_id": coalition_id, "meeting_id": mid, "position": p, "title": t, "duration_minutes": 20}
        for mid in meeting_ids
        for p, t in enumerate(("Welcome", "Updates", "Next steps"), start=1)
    ]
    _insert(AgendaItem, agenda)
    actions = [
        {
            "coalition_id": coalition_id,
            "meeting_id": mid,
            "title": f"Follow up on {rng.choice(TOPICS)}",
            "owner_id": rng.choice(ctx["users"]),
            "due_on": (now + timedelta(days=rng.randint(-60, 30))).date(),
            "status": rng.choice(["open", "done"]),
        }
        for mid, meeting in zip(meeting_ids, meetings, strict=True)
        if meeting["start_at"] < now and rng.random() < 0.3
    ]
    _insert(ActionItem, actions)
    ctx["meetings"] = meeting_ids
    ctx["counts"].update(meetings=len(meeting_ids), rsvps=len(rsvps))


def _rsvps(ctx, meetings):
    """RSVP rows per meeting index, with seats and a waitlist that respect each meeting's capacity."""
    rng, now = ctx["rng"], ctx["now"]
    people = ctx["users"]
    budget = round(SIZES["rsvps"] * ctx["scale"])
    big = min(len(people), 1_000)
    average = max(1, (budget - big) // max(1, len(meetings) - 1))
    rows, seats, capacities = [], [], []
    for index, meeting in enumerate(meetings):
        count = big if index == 0 else min(len(people), rng.randint(max(1, average // 4), average * 7 // 4))
        capacity = big // 2 if index == 0 else (rng.randint(15, 60) if rng.random() < 0.2 else None)
        taken = 0
        for position, user_id in enumerate(rng.sample(people, count)):
            response = rng.choices(["yes", "maybe", "no"], [6, 2, 2])[0]
            guests = rng.choice([0, 0, 0, 0, 1, 2]) if response == "yes" else 0
            need = 1 + guests
            waitlisted = response == "yes" and capacity is not None and taken + need > capacity
            held = need if response == "yes" and not waitlisted else 0
            taken += held
            answered = meeting["start_at"] - timedelta(days=7, minutes=-position)
            rows.append(
                {
                    "meeting_index": index,
                    "user_id": user_id,
                    "response": response,
                    "waitlisted": waitlisted,
                    "waitlisted_at": answered if waitlisted else None,
                    "seats_held": held,
                    "guests": guests,
                    "interpretation_language": rng.choice(["es", "vi"])
                    if meeting["interpretation"] and rng.random() < 0.15
                    else "",
                    "children": rng.randint(1, 3) if rng.random() < 0.1 else 0,
                    "access_needs": "Step-free access" if rng.random() < 0.05 else "",
                    "dietary": "Vegetarian" if rng.random() < 0.1 else "",
                    "attended": held > 0 and meeting["start_at"] < now and rng.random() < 0.7,
                    "created_at": answered,
                    "updated_at": answered,
                }
            )
        seats.append(taken)
        capacities.append(capacity)
    return rows, seats, capacities


def _insert_rsvps(ctx, meeting_ids, rows) -> None:
    from coalition.meetings.models import Rsvp

    for row in rows:
        row["meeting_id"] = meeting_ids[row.pop("meeting_index")]
        row["coalition_id"] = ctx["coalition_id"]
    _insert(Rsvp, rows)


# --- Stakeholders and outreach ------------------------------------------------------------------------------

CATEGORIES = [
    "elected_official",
    "agency_staff",
    "landlord",
    "healthcare_provider",
    "community_leader",
    "media",
    "funder",
    "ally",
]
STANCES = ["champion", "supportive", "neutral", "opposed", "hostile", "unknown"]


def _seed_stakeholders(ctx) -> None:
    from coalition.stakeholders.models import Stakeholder, StakeholderTag

    rng, coalition_id = ctx["rng"], ctx["coalition_id"]
    total = _count("stakeholders", ctx["scale"])
    stakeholders = [
        {
            "coalition_id": coalition_id,
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
            "title": rng.choice(["Council member", "Director", "Property manager", "Reporter", "Pastor", "Nurse"]),
            "organization": f"{rng.choice(PLACES).capitalize()} {rng.choice(['Council', 'Agency', 'Realty', 'News'])}",
            "category": rng.choice(CATEGORIES),
            "jurisdiction": f"Ward {rng.randint(1, 12)}",
            "email": f"stakeholder{i}@{EMAIL_DOMAIN}" if rng.random() < 0.8 else "",
            "phone": f"555-{rng.randint(1000, 9999)}",
            "notes": ctx["text"].body(5, 30),
            "tags": sorted(rng.sample(STAKEHOLDER_TAGS, rng.randint(0, 3))),
            "created_by_id": rng.choice(ctx["team"]),
        }
        for i in range(1, total + 1)
    ]
    stakeholder_ids = _insert(Stakeholder, stakeholders, returning=True)
    pairs = zip(stakeholder_ids, stakeholders, strict=True)
    tags = [{"stakeholder_id": i, "coalition_id": coalition_id, "tag": t} for i, row in pairs for t in row["tags"]]
    _insert(StakeholderTag, tags)
    targets_of = _seed_targets(ctx, stakeholder_ids)
    _seed_outreach(ctx, stakeholder_ids, targets_of)
    ctx["counts"]["stakeholders"] = len(stakeholder_ids)


def _seed_targets(ctx, stakeholder_ids) -> dict[int, list[int]]:
    """Targets (0–2 campaigns per stakeholder) with a stance history ending at the current stance."""
    from coalition.stakeholders.models import CampaignTarget, StanceChange

    rng, now, coalition_id = ctx["rng"], ctx["now"], ctx["coalition_id"]
    rows, campaigns_of = [], {}
    for stakeholder_id in stakeholder_ids:
        chosen = rng.sample(ctx["campaigns"], rng.choices([0, 1, 2], [3, 5, 2])[0])
        campaigns_of[stakeholder_id] = chosen
        for campaign_id in chosen:
            rows.append(
                {
                    "coalition_id": coalition_id,
                    "campaign_id": campaign_id,
                    "stakeholder_id": stakeholder_id,
                    "stance": rng.choice(STANCES),
                    "influence": rng.randint(1, 5),
                    "priority": rng.choice(["high", "medium", "low"]),
                    "ask": "Vote for the repair ordinance.",
                    "owner_id": rng.choice(ctx["team"]),
                }
            )
    target_ids = _insert(CampaignTarget, rows, returning=True)
    changes = []
    for target_id, row in zip(target_ids, rows, strict=True):
        history = [rng.choice(STANCES) for _ in range(rng.randint(0, 2))] + [row["stance"]]
        start = now - timedelta(days=rng.randint(60, 500))
        old = None
        for step, stance in enumerate(history):
            at = start + timedelta(days=step * rng.randint(10, 50))
            changes.append(
                {
                    "coalition_id": coalition_id,
                    "target_id": target_id,
                    "old_stance": old,
                    "new_stance": stance,
                    "changed_by_id": row["owner_id"],
                    "created_at": at,
                }
            )
            old = stance
    _insert(StanceChange, changes)
    ctx["counts"].update(targets=len(target_ids), stance_changes=len(changes))
    return campaigns_of


def _seed_outreach(ctx, stakeholder_ids, campaigns_of) -> None:
    from coalition.stakeholders.models import Outreach

    rng, now, coalition_id = ctx["rng"], ctx["now"], ctx["coalition_id"]
    today = now.date()
    rows = []
    for _ in range(round(SIZES["outreach"] * ctx["scale"])):
        stakeholder_id = rng.choice(stakeholder_ids)
        occurred = now - timedelta(hours=rng.randint(1, 400 * 24))
        follow_up = today + timedelta(days=rng.randint(-60, 30)) if rng.random() < 0.35 else None
        owner = rng.choice(ctx["team"])
        rows.append(
            {
                "coalition_id": coalition_id,
                "stakeholder_id": stakeholder_id,
                "campaign_id": rng.choice(campaigns_of[stakeholder_id] or [None]),
                "occurred_at": occurred,
                "channel": rng.choice(["call", "email", "letter", "meeting", "hearing_testimony", "public_event"]),
                "summary": ctx["text"].body(8, 30),
                "outcome": "",
                "response": rng.choices(["awaiting", "responded", "none"], [3, 5, 2])[0],
                "follow_up_on": follow_up,
                "follow_up_owner_id": owner if follow_up else None,
                "follow_up_done": bool(follow_up and follow_up < today and rng.random() < 0.5),
                "logged_by_id": owner,
                "created_at": occurred,
                "updated_at": occurred,
            }
        )
    _insert(Outreach, rows)
    ctx["counts"]["outreach"] = len(rows)


# --- Mail and audit -----------------------------------------------------------------------------------------

MAIL_KINDS = ["meeting_reminder", "rsvp_confirmation", "campaign_update", "story_review", "invitation"]
AUDIT_ACTIONS = ["story.read_private", "story.approve", "story.return", "member.role_change", "campaign.evidence"]


def _seed_mail_and_audit(ctx) -> None:
    from coalition.core.audit import AuditEntry
    from coalition.core.outbox import FAILED, SENT, OutboxMessage

    rng, now = ctx["rng"], ctx["now"]
    emails = list(ctx["emails"].values())
    mail = []
    for i in range(round(SIZES["outbox"] * ctx["scale"])):
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
    _insert(OutboxMessage, mail)
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
        for _ in range(round(SIZES["audit"] * ctx["scale"]))
    ]
    _insert(AuditEntry, audit)
    ctx["counts"].update(outbox=len(mail), audit=len(audit))


# --- The pages the benchmark measures -----------------------------------------------------------------------


@dataclass
class BenchPage:
    name: str
    #: "lead", "organizer" or "member": whom to log in as.
    role: str
    url: str


def bench_pages() -> list[BenchPage]:
    """The main list pages, searches and heavy detail pages of the benchmark coalition, with the role to use."""
    from flask import current_app

    from coalition.campaigns.models import Campaign, CampaignStatus
    from coalition.coalitions.models import Coalition
    from coalition.meetings.models import Meeting, Rsvp
    from coalition.stakeholders.models import CampaignTarget, Outreach
    from coalition.stories.models import Story, StoryStatus, Visibility

    coalition = db.session.scalar(select(Coalition).where(Coalition.slug == BENCH_SLUG))
    base = f"/c/{coalition.slug}"
    campaign_id = db.session.scalar(
        select(Campaign.id)
        .where(Campaign.coalition_id == coalition.id, Campaign.status == CampaignStatus.ACTIVE)
        .order_by(Campaign.id)
    )
    story_id = db.session.scalar(
        select(Story.id)
        .where(Story.coalition_id == coalition.id, Story.status == StoryStatus.APPROVED)
        .where(Story.visibility == Visibility.MEMBERS, Story.campaign_id == campaign_id, Story.withdrawn_at.is_(None))
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
    map_campaign = db.session.scalar(
        select(CampaignTarget.campaign_id)
        .where(CampaignTarget.coalition_id == coalition.id)
        .group_by(CampaignTarget.campaign_id)
        .order_by(func.count().desc(), CampaignTarget.campaign_id)
        .limit(1)
    )
    pages = [
        BenchPage("dashboard", "organizer", f"{base}/"),
        BenchPage("campaigns list", "member", f"{base}/campaigns/"),
        BenchPage("campaign page", "member", f"{base}/campaigns/{campaign_id}"),
        BenchPage("stories list (organizer)", "organizer", f"{base}/stories/"),
        BenchPage("stories list p200 (organizer)", "organizer", f"{base}/stories/?page=200"),
        BenchPage("stories list (member)", "member", f"{base}/stories/"),
        BenchPage("stories list p200 (member)", "member", f"{base}/stories/?page=200"),
        BenchPage("stories search 'mold'", "organizer", f"{base}/stories/?q=mold"),
        BenchPage("stories search 'mold' p200", "organizer", f"{base}/stories/?q=mold&page=200"),
        BenchPage("stories search 'eviction notice' (member)", "member", f"{base}/stories/?q=eviction+notice"),
        BenchPage("stories by campaign", "organizer", f"{base}/stories/?campaign={campaign_id}"),
        BenchPage("stories by tag", "member", f"{base}/stories/?tag=mold"),
        BenchPage("stories by tag p200", "member", f"{base}/stories/?tag=mold&page=200"),
        BenchPage("my stories", "member", f"{base}/stories/?mine=1"),
        BenchPage("story page", "organizer", f"{base}/stories/{story_id}"),
        BenchPage("meetings upcoming", "member", f"{base}/meetings/"),
        BenchPage("meetings past", "member", f"{base}/meetings/?when=past"),
        BenchPage("meetings past p50", "member", f"{base}/meetings/?when=past&page=50"),
        BenchPage("my meetings", "member", f"{base}/meetings/mine"),
        BenchPage("meeting page, many RSVPs + needs", "organizer", f"{base}/meetings/{meeting_id}"),
        BenchPage("meeting page (member)", "member", f"{base}/meetings/{meeting_id}"),
        BenchPage("stakeholders list", "organizer", f"{base}/stakeholders/"),
        BenchPage("stakeholders list p200", "organizer", f"{base}/stakeholders/?page=200"),
        BenchPage("stakeholders search", "organizer", f"{base}/stakeholders/?q=ortiz"),
        BenchPage("stakeholder page", "organizer", f"{base}/stakeholders/{stakeholder_id}"),
        BenchPage("follow-ups (mine)", "organizer", f"{base}/stakeholders/follow-ups"),
        BenchPage("follow-ups (all)", "organizer", f"{base}/stakeholders/follow-ups?scope=all"),
        BenchPage("power map", "organizer", f"{base}/stakeholders/campaigns/{map_campaign}/map"),
        BenchPage("members list", "member", f"{base}/members"),
        BenchPage("members list p40", "organizer", f"{base}/members?page=40"),
        BenchPage("audit log", "lead", f"{base}/audit"),
        BenchPage("audit log p200", "lead", f"{base}/audit?page=200"),
    ]
    if "campaigns.evidence" in current_app.view_functions:
        pages.insert(3, BenchPage("evidence report", "organizer", f"{base}/campaigns/{campaign_id}/evidence"))
    return pages
