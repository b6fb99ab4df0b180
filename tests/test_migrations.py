"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from coalition import create_app
from coalition.core.migrations import include_object
from coalition.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    """A database with nothing in it, separate from the one the other tests use."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    base = make_url(url)
    name = f"coalition_migrate_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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
