"""Time-poll options are typed one date and time per line in the coalition's zone; errors name the bad line."""

from datetime import UTC, datetime, timedelta

import pytest

from coalition.core.models import utcnow
from coalition.decisions import services
from coalition.decisions.errors import DecisionError
from coalition.decisions.models import CollectiveDecision
from tests.decisions.conftest import local_text

NEXT_YEAR = utcnow().year + 1


def test_times_are_read_in_the_coalitions_zone_with_24_hour_or_am_pm():
    text = f"{NEXT_YEAR}-07-03 18:30\n\n  {NEXT_YEAR}-07-04   6:30 pm \n{NEXT_YEAR}-07-05 9am"
    options = services.parse_options("time_poll", text, "America/Chicago")
    assert [label for label, _start in options] == [
        f"{NEXT_YEAR}-07-03 18:30",
        f"{NEXT_YEAR}-07-04 18:30",
        f"{NEXT_YEAR}-07-05 09:00",
    ]
    assert options[0][1] == datetime(NEXT_YEAR, 7, 3, 23, 30, tzinfo=UTC)  # CDT is UTC-5


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"{NEXT_YEAR}-07-03 18:30\nnext tuesday", "Line 2 (“next tuesday”)"),
        (f"{NEXT_YEAR}-07-03 18:30\n{NEXT_YEAR}-02-30 18:30", "Line 2"),
        ("2001-07-03 18:30", "Line 1 (“2001-07-03 18:30”) is in the past"),
    ],
)
def test_an_unreadable_or_past_time_names_its_line(text, line):
    with pytest.raises(DecisionError) as error:
        services.parse_options("time_poll", text, "America/Chicago")
    assert line in str(error.value) and error.value.field == "options"


def test_a_time_skipped_by_the_clock_change_names_its_line():
    march = [datetime(NEXT_YEAR, 3, day) for day in range(1, 15)]
    second_sunday = [day for day in march if day.weekday() == 6][1]  # US clocks jump 02:00 -> 03:00
    with pytest.raises(DecisionError) as error:
        services.parse_options(
            "time_poll", f"{NEXT_YEAR}-07-03 18:30\n{second_sunday:%Y-%m-%d} 02:30", "America/Chicago"
        )
    assert str(error.value).startswith("Line 2:") and "does not exist" in str(error.value)


def test_the_form_explains_the_format_and_shows_the_error_next_to_the_options(app, login, organizer, coalition):
    client = app.test_client()
    login(client, organizer)
    form_page = client.get(f"/c/{coalition.slug}/decisions/new").get_data(as_text=True)
    assert "America/Chicago" in form_page and "2026-12-03 18:30" in form_page
    data = {
        "kind": "time_poll",
        "privacy": "open",
        "title": "When do we meet?",
        "audience": "members",
        "campaign_id": "0",
        "meeting_id": "0",
        "options": f"{NEXT_YEAR}-07-03 18:30\nsoon",
        "closes_at": local_text(utcnow() + timedelta(days=3)),
    }
    response = client.post(f"/c/{coalition.slug}/decisions/new", data=data)
    assert response.status_code == 200
    assert "Line 2 (“soon”)" in response.get_data(as_text=True)
    data["options"] = f"{NEXT_YEAR}-07-03 18:30\n{NEXT_YEAR}-07-04 7:00 PM"
    assert client.post(f"/c/{coalition.slug}/decisions/new", data=data).status_code == 302
    from coalition.extensions import db

    decision = db.session.scalars(db.select(CollectiveDecision)).one()
    assert [o.label for o in decision.options] == [f"{NEXT_YEAR}-07-03 18:30", f"{NEXT_YEAR}-07-04 19:00"]
