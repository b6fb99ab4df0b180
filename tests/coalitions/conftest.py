"""Fixtures for coalition tests: a coalition with a logged-in person of a given role."""

import pytest


@pytest.fixture
def coalition(make_coalition):
    return make_coalition(name="Riverside Tenants")


@pytest.fixture
def as_role(app, coalition, make_member, login):
    """`as_role("lead")` -> (test client logged in as a new person with that role, the User)."""

    def make(role, **user_fields):
        user = make_member(coalition, role, **user_fields)
        client = app.test_client()
        login(client, user)
        return client, user

    return make
