"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

from functools import partial

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from coalition import create_app
from coalition.core.migrations import include_object
from coalition.extensions import db
from tests.conftest import private_database


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with nothing in it, separate from the one the other tests use."""
    with private_database(tmp_path, prefix="coalition_migrate") as url:
        yield url


def _differences(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
    return compare_metadata(context, db.metadata)


def test_upgrade_builds_the_schema_of_the_models(empty_database_url):
    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert _differences(connection) == []
        db.engine.dispose()


def test_stories_written_after_the_migrations_are_found_by_search(empty_database_url):
    """A batch ALTER on SQLite once dropped the full-text triggers: new and edited stories were never found."""
    from sqlalchemy import func, select, update

    from coalition.coalitions.models import Coalition
    from coalition.stories.models import Story
    from coalition.stories.search import matches

    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade()
        with db.engine.begin() as conn:
            coalition = insert_as_it_was(conn, Coalition.__table__, name="Tenants", slug="tenants")
            story = insert_as_it_was(
                conn, Story.__table__, coalition_id=coalition, title="Mould in the stairwell", body="Since March."
            )

        def found(word):
            return db.session.scalar(select(func.count()).select_from(Story).where(matches(word)))

        assert found("mould") == 1
        db.session.execute(update(Story).where(Story.id == story).values(title="Heating broken all winter"))
        db.session.commit()
        assert (found("heating"), found("mould")) == (1, 0)
        db.session.remove()
        db.engine.dispose()


def test_search_words_are_stored_without_positions_on_postgresql(empty_database_url):
    """0024: the words a search tests, stripped of their positions, stay small enough to be kept in the story's row
    (no out-of-line read per story tested); downgraded, they carry their positions again. Found either way."""
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("SQLite searches its FTS5 table")
    from coalition.coalitions.models import Coalition
    from coalition.stories.models import Story

    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    stored = "SELECT search_vector::text FROM stories"
    found = "SELECT count(*) FROM stories WHERE search_vector @@ to_tsquery('simple', 'stair:* & mould:*')"
    with migrated.app_context():
        upgrade()
        with db.engine.begin() as conn:
            coalition = insert_as_it_was(conn, Coalition.__table__, name="Tenants", slug="tenants")
            insert_as_it_was(
                conn, Story.__table__, coalition_id=coalition, title="Mould in the stairwell", body="Mould again."
            )
            assert conn.execute(text(stored)).scalar() == "'again' 'in' 'mould' 'stairwell' 'the'"
            assert conn.execute(text(found)).scalar() == 1
        downgrade(revision="0023_story_tag_counts")
        with db.engine.connect() as conn:
            assert conn.execute(text(stored)).scalar() == "'again':6 'in':2 'mould':1,5 'stairwell':4 'the':3"
            assert conn.execute(text(found)).scalar() == 1
            assert "ix_stories_fulltext_vector" in {i["name"] for i in inspect(conn).get_indexes("stories")}
        upgrade()
        with db.engine.connect() as conn:
            assert ":" not in conn.execute(text(stored)).scalar()
            assert "ix_stories_fulltext_vector" in {i["name"] for i in inspect(conn).get_indexes("stories")}
        db.engine.dispose()


def test_story_campaign_counts_count_each_campaign_status_and_visibility_of_the_stories_already_there(
    empty_database_url,
):
    from coalition.campaigns.models import Campaign
    from coalition.coalitions.models import Coalition
    from coalition.core.models import utcnow
    from coalition.stories.models import Story

    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade(revision="0024_stripped_search_words")
        with db.engine.begin() as conn:
            coalition = insert_as_it_was(conn, Coalition.__table__, name="Old", slug="old")
            first, second = (
                insert_as_it_was(conn, Campaign.__table__, coalition_id=coalition, title=title, slug=title.lower())
                for title in ("Repairs", "Rents")
            )
            add = partial(insert_as_it_was, conn, Story.__table__, coalition_id=coalition, title="T", body="B")
            add(campaign_id=first, status="approved", visibility="public")
            add(campaign_id=first, status="approved", visibility="public")
            add(campaign_id=first, status="submitted", visibility="team")
            add(campaign_id=second, status="approved", visibility="members")
            add(campaign_id=second, status="approved", visibility="members", withdrawn_at=utcnow())
            add(campaign_id=second, status="approved", visibility="members", deleted_at=utcnow())
            add(campaign_id=None, status="approved", visibility="public")
        upgrade(revision="0025_story_campaign_counts")
        counts = "SELECT campaign_id, status, visibility, count FROM story_campaign_counts ORDER BY 1, 2, 3"
        with db.engine.connect() as conn:
            kept = [tuple(row) for row in conn.execute(text(counts))]
        assert kept == [
            (first, "approved", "public", 2),
            (first, "submitted", "team", 1),
            (second, "approved", "members", 1),
        ]
        downgrade(revision="0024_stripped_search_words")
        with db.engine.connect() as conn:
            assert "story_campaign_counts" not in inspect(conn).get_table_names()
        db.engine.dispose()


def test_the_stakeholders_search_reads_a_trigram_index_on_postgresql(empty_database_url):
    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade()
        indexes = {i["name"] for i in inspect(db.engine).get_indexes("stakeholders")}
        if db.engine.dialect.name != "postgresql":
            assert "ix_stakeholders_search_trgm" not in indexes  # SQLite: nothing to do
        else:
            assert "ix_stakeholders_search_trgm" in indexes
            with db.engine.connect() as connection:
                connection.execute(text("SET enable_seqscan = off"))  # an empty table: make the planner show its hand
                plan = "\n".join(
                    connection.scalars(
                        text(
                            "EXPLAIN SELECT count(*) FROM stakeholders WHERE lower(name) LIKE '%ortiz%' "
                            "OR lower(organization) LIKE '%ortiz%' OR email LIKE '%ortiz%'"
                        )
                    )
                )
            assert "ix_stakeholders_search_trgm" in plan
        downgrade(revision="0017_growth")
        assert "ix_stakeholders_search_trgm" not in {i["name"] for i in inspect(db.engine).get_indexes("stakeholders")}
        db.engine.dispose()


def test_downgrade_to_base_and_upgrade_again(empty_database_url):
    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert not {t for t in tables if include_object(None, t, "table", True, None)}
        upgrade()
        with db.engine.connect() as connection:
            assert _differences(connection) == []
        db.engine.dispose()


def insert_as_it_was(conn, table, **values) -> int:
    """Insert into `table` as the database has it at this revision (the model's defaults for the columns it has
    then, later columns left out); return the new row's id."""
    import sqlalchemy as sa

    present = {column["name"] for column in inspect(conn).get_columns(table.name)}
    row = dict(values)
    for column in table.columns:
        if column.name in present and column.name not in row and column.default is not None:
            row[column.name] = column.default.arg(None) if column.default.is_callable else column.default.arg
    old = sa.table(table.name, *[sa.column(name, table.c[name].type) for name in [*row, "id"]])
    return conn.execute(old.insert().values(**row).returning(old.c.id)).scalar_one()


def test_upgrade_to_tag_tables_backfills_the_tags_already_stored(empty_database_url):

    from coalition.stakeholders.models import Stakeholder
    from coalition.stories.models import Story

    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade(revision="0005_stakeholders")
        with db.engine.begin() as conn:
            coalition_id = conn.execute(
                text(
                    "INSERT INTO coalitions (name, slug, description, default_locale, timezone, allow_join_requests,"
                    " reminder_hours, no_response_days, created_at, updated_at) VALUES ('Old', 'old', '', 'en', 'UTC',"
                    " false, 24, 14, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id"
                )
            ).scalar_one()  # plain SQL: the model has columns added by later revisions
            insert_as_it_was(
                conn, Story.__table__, coalition_id=coalition_id, title="T", body="B", tags=["mold", "heat"]
            )
            insert_as_it_was(conn, Stakeholder.__table__, coalition_id=coalition_id, name="Ana", tags=["council"])
        upgrade()
        with db.engine.connect() as conn:
            story_tags = conn.execute(text("SELECT tag, coalition_id FROM story_tags ORDER BY tag")).all()
            stakeholder_tags = conn.execute(text("SELECT tag FROM stakeholder_tags")).scalars().all()
        assert [tuple(row) for row in story_tags] == [("heat", coalition_id), ("mold", coalition_id)]
        assert stakeholder_tags == ["council"]
        db.engine.dispose()


def test_upgrade_stores_meeting_languages_as_codes_and_downgrade_restores_names(empty_database_url):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from coalition.accounts.models import User
    from coalition.coalitions.models import Coalition
    from coalition.meetings.models import Meeting, Rsvp

    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade(revision="0009_perf")
        now = datetime(2026, 11, 1, 18, tzinfo=UTC)
        with db.engine.begin() as conn:
            coalition_id = conn.execute(
                insert(Coalition.__table__).values(name="Old", slug="old").returning(Coalition.__table__.c.id)
            ).scalar_one()
            user_id = conn.execute(
                insert(User.__table__)
                .values(email="ana@example.org", display_name="Ana", password_hash="x")
                .returning(User.__table__.c.id)
            ).scalar_one()
            meeting_id = insert_as_it_was(
                conn, Meeting.__table__, coalition_id=coalition_id, kind="small_gathering", title="T",
                timezone="UTC", start_at=now, end_at=now + timedelta(hours=1),
                languages="English, Español", interpretation="Spanish, vietnamita, ASL, Mixteco",
            )  # fmt: skip
            insert_as_it_was(
                conn,
                Rsvp.__table__,
                coalition_id=coalition_id,
                meeting_id=meeting_id,
                user_id=user_id,
                response="yes",
                interpretation_language="Spanish",
            )
        upgrade()
        with db.engine.connect() as conn:
            assert tuple(conn.execute(text("SELECT languages, interpretation FROM meetings")).one()) == (
                "en, es",
                "es, vi, ASL, Mixteco",
            )
            assert conn.execute(text("SELECT interpretation_language FROM meeting_rsvps")).scalar_one() == "es"
        downgrade(revision="0009_perf")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT interpretation FROM meetings")).scalar_one() == (
                "Spanish, Vietnamese, ASL, Mixteco"
            )
            assert conn.execute(text("SELECT interpretation_language FROM meeting_rsvps")).scalar_one() == "Spanish"
        db.engine.dispose()


def test_upgrade_gives_child_rows_the_coalition_of_their_parent(empty_database_url):
    from sqlalchemy import insert, select

    from coalition.campaigns.models import Campaign, CampaignQuestion
    from coalition.coalitions.models import Coalition
    from coalition.core.models import new_public_id
    from coalition.stories.models import ConsentChange, Story, StoryAnswer

    children = (CampaignQuestion.__table__, StoryAnswer.__table__, ConsentChange.__table__)
    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade(revision="0011_ui")
        with db.engine.begin() as conn:
            coalition_ids = []
            for slug in ("first", "second"):
                coalition_id = conn.execute(
                    insert(Coalition.__table__).values(name=slug, slug=slug).returning(Coalition.__table__.c.id)
                ).scalar_one()
                # One campaign, question and story per coalition, each with the id of its coalition.
                parent = {"id": coalition_id, "coalition_id": coalition_id}
                add = partial(insert_as_it_was, conn)
                add(Campaign.__table__, **parent, public_id=new_public_id(), title="C", slug="c")
                add(CampaignQuestion.__table__, id=coalition_id, campaign_id=coalition_id, prompt="Q")
                add(Story.__table__, **parent, public_id=new_public_id())
                add(StoryAnswer.__table__, story_id=coalition_id, question_id=coalition_id, value="v")
                add(ConsentChange.__table__, story_id=coalition_id, via="x", field="f", new_value="v")
                coalition_ids.append(coalition_id)
        upgrade()
        with db.engine.connect() as conn:
            for table in children:
                assert conn.execute(select(table.c.coalition_id).order_by(table.c.id)).scalars().all() == coalition_ids
        downgrade(revision="0011_ui")
        with db.engine.connect() as conn:
            assert "coalition_id" not in {c["name"] for c in inspect(conn).get_columns("story_answers")}
        db.engine.dispose()


#: What 0013_momentum backfills (story_counts were backfilled by 0009 and kept by the app since).
KEPT = {
    "statuses": "SELECT coalition_id, status, visibility, count FROM story_status_counts WHERE count <> 0",
    "reach": "SELECT campaign_id, person, refs FROM campaign_reach",
    "tallies": "SELECT campaign_id, kind, key, count FROM campaign_tallies WHERE count <> 0",
    "checked in": "SELECT id, checked_in FROM meetings",
    "stance campaigns": "SELECT id, campaign_id FROM stance_changes",
}


def _kept_rows() -> dict:
    return {name: sorted(map(tuple, db.session.execute(text(sql)).all())) for name, sql in KEPT.items()}


def test_upgrade_to_momentum_backfills_the_kept_numbers_as_a_recount_makes_them(empty_database_url):
    from datetime import UTC, datetime, timedelta

    from coalition.accounts.models import User
    from coalition.campaigns.models import Campaign
    from coalition.coalitions.models import Coalition
    from coalition.core.kept import rebuild_kept
    from coalition.decisions.models import CollectiveDecision, DecisionAnswer
    from coalition.meetings.models import Meeting, Rsvp, WalkIn
    from coalition.stakeholders.models import CampaignTarget, Outreach, Stakeholder, StanceChange
    from coalition.stories.models import Story

    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade(revision="0011_ui")
        now = datetime(2026, 11, 20, 18, tzinfo=UTC)
        with db.engine.begin() as conn:
            add = partial(insert_as_it_was, conn)
            coalition = add(Coalition.__table__, name="Old", slug="old")
            ana, ben = (
                add(User.__table__, email=f"{name}@example.org", display_name=name, password_hash="x")
                for name in ("ana", "ben")
            )
            homes = add(Campaign.__table__, coalition_id=coalition, title="Homes", slug="homes")
            story = {"coalition_id": coalition, "campaign_id": homes, "title": "T", "body": "B", "submitted_at": now}
            add(Story.__table__, **story, storyteller_id=ana, status="approved")
            add(Story.__table__, **story, intake_email=" Cy@Example.org", status="submitted")
            held = add(
                Meeting.__table__, coalition_id=coalition, campaign_id=homes, title="M",
                start_at=now - timedelta(hours=2), end_at=now - timedelta(hours=1),
            )  # fmt: skip
            add(Rsvp.__table__, coalition_id=coalition, meeting_id=held, user_id=ana, response="yes", attended=True)
            add(
                Rsvp.__table__,
                coalition_id=coalition,
                meeting_id=held,
                visitor_email="cy@example.org",
                response="maybe",
            )
            add(WalkIn.__table__, coalition_id=coalition, meeting_id=held, name="Dee")
            decision = add(
                CollectiveDecision.__table__, coalition_id=coalition, campaign_id=homes, title="D", closes_at=now
            )
            add(DecisionAnswer.__table__, coalition_id=coalition, decision_id=decision, user_id=ben)
            council = add(Stakeholder.__table__, coalition_id=coalition, name="Council")
            target = add(
                CampaignTarget.__table__,
                coalition_id=coalition,
                campaign_id=homes,
                stakeholder_id=council,
                stance="neutral",
            )
            add(StanceChange.__table__, coalition_id=coalition, target_id=target, new_stance="neutral", created_at=now)
            add(Outreach.__table__, coalition_id=coalition, stakeholder_id=council, campaign_id=homes, occurred_at=now)
        upgrade()
        backfilled = _kept_rows()
        rebuild_kept(coalition)
        db.session.flush()
        recounted = _kept_rows()
        db.session.rollback()
        db.engine.dispose()

    assert backfilled == recounted
    assert (homes, "people", "", 3) in backfilled["tallies"]  # Ana (story, RSVP), Cy (story, RSVP by email), Ben
    assert (homes, "outreach", "2026-11", 1) in backfilled["tallies"]
    assert backfilled["checked in"] == [(held, 2)]
    assert backfilled["stance campaigns"] == [(1, homes)]


def test_story_audiences_counts_each_status_and_visibility_and_downgrade_sums_them_again(empty_database_url):
    from coalition.coalitions.models import Coalition
    from coalition.stories.models import Story

    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade(revision="0018_stakeholder_trigrams")
        with db.engine.begin() as conn:
            coalition = insert_as_it_was(conn, Coalition.__table__, name="Old", slug="old")
            add = partial(insert_as_it_was, conn, Story.__table__, coalition_id=coalition, title="T", body="B")
            for status, visibility in [("approved", "public"), ("approved", "public"), ("approved", "team")]:
                add(status=status, visibility=visibility)
            add(status="submitted", visibility="members")
            add(status="approved", visibility="public", withdrawn_at=text("CURRENT_TIMESTAMP"))
        upgrade(revision="0019_story_audiences")
        counts = "SELECT status, visibility, count FROM story_status_counts ORDER BY status, visibility"
        with db.engine.connect() as conn:
            kept = [tuple(row) for row in conn.execute(text(counts))]
        assert kept == [("approved", "public", 2), ("approved", "team", 1), ("submitted", "members", 1)]
        downgrade(revision="0018_stakeholder_trigrams")
        with db.engine.connect() as conn:
            kept = [tuple(row) for row in conn.execute(text("SELECT status, count FROM story_status_counts"))]
        assert sorted(kept) == [("approved", 3), ("submitted", 1)]
        db.engine.dispose()


def test_story_tag_counts_count_each_tag_status_and_visibility_of_the_stories_already_there(empty_database_url):
    from coalition.coalitions.models import Coalition
    from coalition.core.models import utcnow
    from coalition.stories.models import Story, StoryTag

    migrated = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with migrated.app_context():
        upgrade(revision="0022_number_answer_counts")
        with db.engine.begin() as conn:
            coalition = insert_as_it_was(conn, Coalition.__table__, name="Old", slug="old")
            add = partial(insert_as_it_was, conn, Story.__table__, coalition_id=coalition, title="T", body="B")
            stories = [
                (add(status="approved", visibility="public"), "approved", "public", ["mould", "heat"]),
                (add(status="approved", visibility="public"), "approved", "public", ["mould"]),
                (add(status="submitted", visibility="team"), "submitted", "team", ["mould"]),
                (add(status="approved", visibility="public", withdrawn_at=utcnow()), "approved", "public", ["mould"]),
            ]
            for story_id, status, visibility, tags in stories:
                for tag in tags:
                    conn.execute(
                        StoryTag.__table__.insert().values(
                            story_id=story_id,
                            tag=tag,
                            coalition_id=coalition,
                            status=status,
                            visibility=visibility,
                            created_at=utcnow(),
                            language="en",
                        )
                    )
        upgrade(revision="0023_story_tag_counts")
        counts = "SELECT tag, status, visibility, count FROM story_tag_counts ORDER BY tag, status, visibility"
        with db.engine.connect() as conn:
            kept = [tuple(row) for row in conn.execute(text(counts))]
        assert kept == [
            ("heat", "approved", "public", 1),
            ("mould", "approved", "public", 2),
            ("mould", "submitted", "team", 1),
        ]
        downgrade(revision="0022_number_answer_counts")
        with db.engine.connect() as conn:
            assert "story_tag_counts" not in inspect(conn).get_table_names()
        db.engine.dispose()
