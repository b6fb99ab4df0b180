"""Check-ins: a campaign asks every N weeks how it is going (1–5, anonymous); organizers see the trend, members a
summary."""

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from coalition.decisions import checkins
from coalition.decisions.errors import DecisionError
from coalition.decisions.models import CheckinGiven, CheckinResponse
from coalition.extensions import db


@pytest.fixture
def campaign(make_campaign):
    return make_campaign("Safe homes")


def _checkin_url(campaign):
    return f"/c/{campaign.coalition.slug}/decisions/checkins/{campaign.id}"


def _campaign_page(client, campaign):
    return client.get(f"/c/{campaign.coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)


def _client(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def _rewind(checkin, weeks):
    checkin.started_at -= timedelta(weeks=weeks)
    db.session.commit()


def test_organizer_starts_a_check_in_every_n_weeks(app, login, organizer, campaign):
    client = _client(app, login, organizer)
    response = client.post(_checkin_url(campaign), data={"setup-every_weeks": "2", "setup-submit": "1"})
    assert response.status_code == 302
    checkin = checkins.checkin_of(campaign)
    assert checkin.every_weeks == 2 and checkin.active
    assert checkin.question == "How do you feel about where this campaign is going?"


def test_members_cannot_set_up_a_check_in(app, login, members, campaign):
    response = _client(app, login, members[0]).post(
        _checkin_url(campaign), data={"setup-every_weeks": "2", "setup-submit": "1"}
    )
    assert response.status_code == 403
    assert checkins.checkin_of(campaign) is None


def test_a_member_answers_once_per_period_and_again_the_next(app, login, members, campaign):
    checkin = checkins.start_checkin(campaign, every_weeks=2)
    db.session.commit()
    client = _client(app, login, members[0])
    client.post(_checkin_url(campaign), data={"rating": "4", "comment": "Good energy", "submit": "1"})
    again = client.post(_checkin_url(campaign), data={"rating": "1", "submit": "1"}, follow_redirects=True)
    assert "already answered" in again.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(CheckinResponse)) == 1
    _rewind(checkin, 2)
    assert checkins.current_period(checkin) == 1
    client.post(_checkin_url(campaign), data={"rating": "2", "submit": "1"})
    assert sorted(db.session.scalars(select(CheckinResponse.period))) == [0, 1]


def test_check_in_answers_are_anonymous(db, members, campaign):
    checkin = checkins.start_checkin(campaign, every_weeks=1)
    checkins.answer_checkin(checkin, members[0], rating=5, comment="fine")
    db.session.commit()
    columns = {c["name"] for c in inspect(db.engine).get_columns("decision_checkin_responses")}
    assert not {"user_id", "created_at", "given_id"} & columns
    given = {c["name"] for c in inspect(db.engine).get_columns("decision_checkins_given")}
    assert not {"rating", "comment", "response_id"} & given
    assert db.session.scalar(select(CheckinGiven.user_id)) == members[0].id
    with pytest.raises(DecisionError):
        checkins.answer_checkin(checkin, members[0], rating=1)


def test_organizers_see_the_trend_and_members_the_latest_summary(app, login, organizer, members, campaign):
    campaign.coalition.suppression_threshold = 3
    checkin = checkins.start_checkin(campaign, every_weeks=1)
    for person, rating in zip(members[:3], [2, 3, 4], strict=True):
        checkins.answer_checkin(checkin, person, rating=rating)
    db.session.commit()
    _rewind(checkin, 1)
    for person, rating in zip(members[:3], [5, 5, 5], strict=True):
        checkins.answer_checkin(checkin, person, rating=rating)
    db.session.commit()
    assert [(p["period"], p["count"], p["average"]) for p in checkins.trend(checkin, 3)] == [(0, 3, 3.0), (1, 3, 5.0)]
    boss = _campaign_page(_client(app, login, organizer), campaign)
    assert "Trend" in boss and "3.0" in boss and "5.0" in boss
    member = _campaign_page(_client(app, login, members[4]), campaign)
    assert "Trend" not in member and "3.0" not in member
    assert "Latest round: 5.0 out of 5" in member


def test_too_few_check_in_answers_show_no_average(app, login, members, campaign):
    checkin = checkins.start_checkin(campaign, every_weeks=1)
    checkins.answer_checkin(checkin, members[0], rating=1, comment="I am scared")
    db.session.commit()
    assert checkins.trend(checkin, 5)[0]["average"] is None
    assert checkins.comments(checkin, 5) == []
    page = _campaign_page(_client(app, login, members[1]), campaign)
    assert "too few answers yet" in page and "I am scared" not in page
