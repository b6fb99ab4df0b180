"""Ids that arrive in query strings are bounded like ids in paths: too large or malformed gives no 500."""

import pytest

from coalition.core.scoping import MAX_ID, db_id

TOO_LARGE = "99999999999999"
URLS = [
    "/stories/?campaign=",
    "/stories/public?campaign=",
    "/stories/new?campaign=",
    "/meetings/?campaign=",
    "/stakeholders/?campaign=",
    "/stakeholders/outreach/new?meeting_id=",
    "/campaigns/?page=",
    "/members?page=",
]


@pytest.mark.parametrize("value", [TOO_LARGE, "-3", "0", "abc"])
@pytest.mark.parametrize("url", URLS)
def test_out_of_range_or_malformed_ids_in_query_strings_never_fail(
    client, make_coalition, make_member, login, url, value
):
    coalition = make_coalition()
    login(client, make_member(coalition, "lead"))
    response = client.get(f"/c/{coalition.slug}{url}{value}")
    assert response.status_code in (200, 302, 404)


def test_db_id_accepts_only_ids_the_database_can_hold():
    assert db_id("42") == 42
    assert db_id(str(MAX_ID)) == MAX_ID
    for bad in (str(MAX_ID + 1), "0", "-1", "x"):
        with pytest.raises(ValueError):
            db_id(bad)


def test_a_statement_built_once_is_scoped_to_the_coalition_of_each_request(app, make_coalition):
    from flask import g
    from sqlalchemy import bindparam

    from coalition.campaigns.models import Campaign
    from coalition.campaigns.services import save_campaign
    from coalition.core.scoping import scoped, scoped_values
    from coalition.extensions import db

    first, second = make_coalition(), make_coalition()
    ours = save_campaign(first, None, title="Ours", status="active")
    theirs = save_campaign(second, None, title="Theirs", status="active")
    db.session.commit()
    statement = scoped(Campaign, built_once=True).where(Campaign.id == bindparam("campaign_id"))
    for coalition, found, foreign in ((first, ours, theirs), (second, theirs, ours)):
        with app.test_request_context("/"):
            g.coalition = coalition
            assert db.session.scalar(statement, scoped_values(campaign_id=found.id)) == found
            assert db.session.scalar(statement, scoped_values(campaign_id=foreign.id)) is None
