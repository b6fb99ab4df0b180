"""Log-in limits fit a shared computer: a training of 20 people on one office network logs in within a minute, while
each account keeps its own tight limit and an unknown email gets the same answer as a wrong password."""

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
