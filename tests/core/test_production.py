"""Production configuration: a strong SECRET_KEY from the environment, Secure cookies, no tracebacks."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import config
from coalition import create_app
from tests.conftest import DEFAULT_PASSWORD

STRONG_KEY = "k3Yq9-7cJmV2pXw8rTz4LbNs6HdFgA1eUoQiRyE"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production_env(monkeypatch, database_url):
    """Set environment variables, re-read config.py as a fresh process would, and restore both afterwards."""

    def setenv(**variables):
        for name, value in variables.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        importlib.reload(config)

    monkeypatch.setenv("DATABASE_URL", database_url)
    yield setenv
    monkeypatch.undo()
    importlib.reload(config)


@pytest.fixture
def production_app(production_env):
    production_env(SECRET_KEY=STRONG_KEY, SESSION_COOKIE_SECURE=None)
    app = create_app("production")
    yield app
    from coalition.extensions import db

    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("key", [None, "", "changeme", "dev", "too-short-but-random-1234"])
def test_production_refuses_to_start_without_a_strong_secret_key(production_env, key):
    production_env(SECRET_KEY=key)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_refuses_to_start_without_a_database_url(production_env, monkeypatch):
    production_env(SECRET_KEY=STRONG_KEY, DATABASE_URL=None)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production")


def test_production_reads_the_secret_key_from_the_environment(production_app):
    assert production_app.config["SECRET_KEY"] == STRONG_KEY
    assert not production_app.debug


def test_production_cookies_are_secure_httponly_and_lax(production_app, make_user):
    user = make_user()
    client, site = production_app.test_client(), "https://coalition.example.org"
    page = client.get("/account/login", base_url=site)
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.data).group(1).decode()
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y", "csrf_token": token},
        base_url=site,
        headers={"Referer": f"{site}/account/login"},
    )
    assert response.status_code == 302
    cookies = {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}
    for name in ("coalition_session", "coalition_remember"):
        assert "Secure" in cookies[name]
        assert "HttpOnly" in cookies[name]
        assert "SameSite=Lax" in cookies[name]


def test_production_sends_hsts(production_app):
    response = production_app.test_client().get("/", base_url="https://coalition.example.org")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_production_error_page_shows_no_traceback(production_app):
    @production_app.route("/boom")
    def boom():
        raise ZeroDivisionError("secret internal detail")

    response = production_app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"Traceback" not in response.data
    assert b"ZeroDivisionError" not in response.data
    assert b"secret internal detail" not in response.data


def test_production_web_workers_do_not_load_the_migrations(production_env, monkeypatch):
    production_env(SECRET_KEY=STRONG_KEY)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    assert "migrate" not in create_app("production").extensions
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # what the `flask` command sets: `flask db upgrade` works
    assert "migrate" in create_app("production").extensions


def test_a_production_web_worker_does_not_import_alembic(database_url):
    program = (
        "import sys; from coalition import create_app; create_app('production'); "
        "print('alembic' in sys.modules, 'flask_migrate' in sys.modules)"
    )
    environment = {**os.environ, "SECRET_KEY": STRONG_KEY, "DATABASE_URL": database_url}
    environment.pop("FLASK_RUN_FROM_CLI", None)
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.split() == ["False", "False"]
