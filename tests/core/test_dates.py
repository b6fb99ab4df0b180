"""Dates in one format per language: Babel's medium date and short time, never seconds, through three filters."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import flask_babel
from flask import g
from flask_babel import force_locale

from coalition.core.i18n import date_text, datetime_text, time_text, to_zone

MOMENT = datetime(2026, 1, 5, 21, 4, 5, tzinfo=UTC)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_date_and_time_are_medium_date_and_short_time_without_seconds(app):
    with app.test_request_context():
        with force_locale("en"):
            assert datetime_text(MOMENT, "UTC") == "Jan 5, 2026, 9:04\u202fPM"
            assert date_text(date(2026, 1, 5)) == "Jan 5, 2026"
            assert time_text(MOMENT, "UTC") == "9:04\u202fPM"
        with force_locale("es"):
            assert datetime_text(MOMENT, "UTC") == "5 ene 2026, 21:04"


def test_datetime_is_shown_in_the_given_zone_or_the_viewers(app):
    with app.test_request_context(), force_locale("en"):
        assert datetime_text(MOMENT, "America/Chicago") == "Jan 5, 2026, 3:04\u202fPM"
        assert datetime_text(MOMENT) == "Jan 5, 2026, 9:04\u202fPM"  # a visitor outside any coalition: UTC


def test_the_viewers_zone_is_the_coalitions_and_follows_a_change_within_the_request(app):
    with app.test_request_context(), force_locale("en"):
        g.coalition = SimpleNamespace(timezone="America/Chicago")
        assert datetime_text(MOMENT) == "Jan 5, 2026, 3:04\u202fPM"
        assert to_zone(MOMENT).utcoffset() == timedelta(hours=-6)
        g.coalition = SimpleNamespace(timezone="Asia/Tokyo")
        flask_babel.refresh()  # as after a person saves another zone
        assert datetime_text(MOMENT) == "Jan 6, 2026, 6:04\u202fAM"
        assert time_text(datetime(2026, 7, 1, 12, 0)) == "9:00\u202fPM"  # a naive time is UTC
        assert to_zone(MOMENT).tzinfo.key == "Asia/Tokyo"


def test_no_template_picks_its_own_date_format():
    own_format = re.compile(r"\|\s*(date|datetime|time)\(\s*['\"]|strftime|format_(date|datetime|time)\(")
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if own_format.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_page_shows_dates_without_seconds(client, make_user, login, make_coalition, make_member):
    coalition = make_coalition()
    login(client, make_member(coalition, "lead"))
    client.post(
        f"/c/{coalition.slug}/members/invite", data={"email": "new@example.org", "role": "member", "partner_id": "0"}
    )
    html = client.get(f"/c/{coalition.slug}/invitations").get_data(as_text=True)
    assert re.search(r"<td>\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\u202f[AP]M</td>", html)
