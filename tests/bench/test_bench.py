"""The benchmark at a tiny scale: the seeder makes the expected rows, and every measured page answers 200."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.seed import BENCH_SLUG, EMAIL_DOMAIN, seed_bench
from coalition.accounts.models import User
from coalition.campaigns.models import Campaign, CampaignQuestion
from coalition.coalitions.models import Coalition, Membership
from coalition.core.audit import AuditEntry
from coalition.core.outbox import OutboxMessage
from coalition.meetings.models import Meeting, Rsvp
from coalition.stakeholders.models import CampaignTarget, Outreach, Stakeholder
from coalition.stories.models import Story, StoryAnswer
from coalition.stories.search import matches

SCALE = 0.001  # 100 stories, the minimum of every other kind


def _count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def run_module():
    """bench/run.py, loaded afresh from its file: a test lowers its thresholds, and no other test should see that."""
    path = Path(__file__).resolve().parents[2] / "bench" / "run.py"
    spec = importlib.util.spec_from_file_location("bench_run", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_bench_creates_the_benchmark_coalition_and_its_rows(app, db):
    result = app.test_cli_runner().invoke(args=["seed-bench", "--scale", str(SCALE)])

    assert result.exit_code == 0, result.output
    coalition_id = db.session.scalar(select(Coalition.id).where(Coalition.slug == BENCH_SLUG))
    assert coalition_id is not None
    assert _count(db, Story, Story.coalition_id == coalition_id) == 100
    assert _count(db, StoryAnswer) > 0
    assert _count(db, Membership, Membership.coalition_id == coalition_id) == 30
    assert _count(db, Campaign, Campaign.coalition_id == coalition_id) == 20
    assert _count(db, CampaignQuestion) == 80
    assert _count(db, Meeting, Meeting.coalition_id == coalition_id) == 12
    assert _count(db, Rsvp, Rsvp.coalition_id == coalition_id) >= 30
    assert _count(db, Stakeholder, Stakeholder.coalition_id == coalition_id) == 12
    assert _count(db, CampaignTarget, CampaignTarget.coalition_id == coalition_id) > 0
    assert _count(db, Outreach, Outreach.coalition_id == coalition_id) == 30
    assert _count(db, OutboxMessage) == 50
    assert _count(db, AuditEntry, AuditEntry.coalition_id == coalition_id) == 20


def test_flask_command_of_wsgi_offers_seed_bench():
    root = Path(__file__).resolve().parents[2]
    flask = Path(sys.executable).with_name("flask")
    env = {**os.environ, "FLASK_APP": "wsgi.py"}

    result = subprocess.run(  # noqa: S603 - the virtualenv's own flask, fixed arguments
        [str(flask), "seed-bench", "--help"], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert "--scale" in result.stdout


def test_seeded_data_varies_consent_and_status(db):
    seed_bench(SCALE)

    visibilities = set(db.session.scalars(select(Story.visibility).distinct()))
    statuses = set(db.session.scalars(select(Story.status).distinct()))
    assert {"team", "members", "public"} <= {str(v) for v in visibilities}
    assert {"submitted", "approved"} <= {str(s) for s in statuses}


def test_seeded_meetings_hold_exactly_the_seats_of_their_rsvps(db):
    seed_bench(SCALE)

    rows = db.session.execute(select(Rsvp.meeting_id, func.sum(Rsvp.seats_held)).group_by(Rsvp.meeting_id))
    held = {meeting_id: seats for meeting_id, seats in rows}
    for meeting in db.session.scalars(select(Meeting)):
        assert meeting.seats_taken == (held.get(meeting.id) or 0)
        assert meeting.capacity is None or meeting.seats_taken <= meeting.capacity


def test_seeded_stories_are_in_the_search_index(db):
    seed_bench(SCALE)
    story = db.session.scalar(select(Story).where(Story.title != "").order_by(Story.id))
    word = story.title.split()[0]

    found = db.session.scalars(select(Story.id).where(matches(word))).all()
    assert story.id in found


def test_seed_bench_refuses_to_run_again_without_reset(app, db):
    seed_bench(SCALE)

    result = app.test_cli_runner().invoke(args=["seed-bench", "--scale", str(SCALE)])

    assert result.exit_code != 0
    assert "already exists" in result.output
    assert _count(db, Story) == 100


def test_seed_bench_with_reset_replaces_the_data(app, db):
    seed_bench(SCALE)

    result = app.test_cli_runner().invoke(args=["seed-bench", "--scale", str(SCALE), "--reset"])

    assert result.exit_code == 0, result.output
    assert _count(db, Coalition, Coalition.slug == BENCH_SLUG) == 1
    assert _count(db, Story) == 100
    assert _count(db, User, User.email.like(f"%@{EMAIL_DOMAIN}")) == 30


def test_reset_leaves_other_coalitions_alone(app, db, make_coalition, make_member):
    other = make_coalition()
    person = make_member(other, "lead")
    seed_bench(SCALE)

    app.test_cli_runner().invoke(args=["seed-bench", "--scale", str(SCALE), "--reset"])

    assert db.session.get(Coalition, other.id) is not None
    assert db.session.get(User, person.id) is not None


def test_every_benchmark_page_answers_200_for_its_role(app, db, run_module):
    seed_bench(SCALE)

    results = run_module.measure(app, requests=1)

    assert len(results) >= 30
    assert [r["page"] for r in results if r["status"] != 200] == []
    assert all(r["queries"] > 0 for r in results)


def test_runner_flags_pages_over_the_query_budget(app, db, run_module):
    seed_bench(SCALE)
    run_module.MANY_QUERIES = 0

    results = run_module.measure(app, requests=1, only="audit log")

    assert {r["page"] for r in results} == {"audit log", "audit log, deep page"}
    assert all("QUERIES" in r["flags"] for r in results)
    assert "audit log, deep page" in run_module.format_table(results)


def test_runner_finds_the_schema_present(app, run_module):
    assert run_module.prepare_schema(app) == "present"
