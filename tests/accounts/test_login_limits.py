"""Log-in limits fit a shared computer: a training of 20 people on one office network logs in within a minute, while
each account keeps its own tight limit and an unknown email gets the same answer as a wrong password."""

import pytest

from coalition import create_app
from coalition.extensions import db, limiter
from config import Config
from tests.conftest import DEFAULT_PASSWORD

OFFICE = {"REMOTE_ADDR": "203.0.113.7"}


def _production_limits(rate_limits):
    rate_limits(RATELIMIT_LOGIN=Config.RATELIMIT_LOGIN, RATELIMIT_LOGIN_ACCOUNT=Config.RATELIMIT_LOGIN_ACCOUNT)


def test_twenty_people_on_one_office_network_log_in_within_a_minute(app, make_user, rate_limits):
    _production_limits(rate_limits)
    people = [make_user() for _ in range(20)]
    codes = []
    for n, person in enumerate(people):
        client = app.test_client()
        if n % 4 == 0:  # some mistype their password once
            client.post("/account/login", data={"email": person.email, "password": "oops typo"}, environ_base=OFFICE)
        response = client.post(
            "/account/login", data={"email": person.email, "password": DEFAULT_PASSWORD}, environ_base=OFFICE
        )
        codes.append(response.status_code)
    assert codes == [302] * 20


def test_one_account_is_still_throttled_from_the_office_network(client, make_user, rate_limits):
    _production_limits(rate_limits)
    user = make_user()
    codes = [
        client.post(
            "/account/login", data={"email": user.email, "password": "wrong password here"}, environ_base=OFFICE
        ).status_code
        for _ in range(6)
    ]
    assert codes == [200] * 5 + [429]


def test_guessing_across_accounts_from_one_address_is_still_throttled(client, rate_limits):
    _production_limits(rate_limits)
    codes = [
        client.post(
            "/account/login",
            data={"email": f"guess{n}@example.org", "password": "wrong password here"},
            environ_base=OFFICE,
        ).status_code
        for n in range(61)
    ]
    assert codes[:60] == [200] * 60 and codes[60] == 429


@pytest.fixture
def app_behind(database_url):
    """The application with `count` trusted proxies in front (TRUSTED_PROXY_COUNT), 2 log-ins a minute per address."""
    made = []

    def make(count):
        made.append(create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, TRUSTED_PROXY_COUNT=count))
        made[-1].config["RATELIMIT_LOGIN"] = "2 per minute"
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()
    limiter.reset()


def _guesses_through_the_proxy(app, forwarded_for):
    """Wrong log-ins arriving from the proxy's address, each for the visitor address in `forwarded_for`."""
    client = app.test_client()
    return [
        client.post(
            "/account/login",
            data={"email": f"guess{n}@example.org", "password": "wrong password here"},
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        ).status_code
        for n, address in enumerate(forwarded_for)
    ]


def test_behind_a_trusted_proxy_each_visitor_address_has_its_own_limit(app_behind):
    codes = _guesses_through_the_proxy(app_behind(1), ["198.51.100.1", "198.51.100.2"] * 2 + ["198.51.100.1"])
    assert codes == [200, 200, 200, 200, 429]


def test_without_trusted_proxies_a_forwarded_address_is_ignored(app_behind):
    codes = _guesses_through_the_proxy(app_behind(0), ["198.51.100.1", "198.51.100.2", "198.51.100.3"])
    assert codes == [200, 200, 429]
