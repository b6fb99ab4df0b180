"""Long lists format every row cheaply, with the same text as before: dates, times, links, translations, labels.

The reference for dates is the way they were made before, call by call through Flask-Babel; the fast filters must
give the same text for every language, time zone and instant, across changes to and from summer time.
"""

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from babel.dates import get_datetime_format
from flask import g, render_template_string, url_for
from flask_babel import force_locale, format_date, format_time, get_locale, gettext, lazy_gettext, ngettext

from coalition.core.i18n import PageLabels, date_text, datetime_text, time_text
from coalition.core.links import RowURL, row_link

ZONES = [None, "", "UTC", "America/New_York", "America/Chicago", "Europe/Madrid", "Asia/Kolkata",
         "Australia/Lord_Howe", "Pacific/Kiritimati", "America/St_Johns"]  # fmt: skip
VIEWER_ZONES = ["UTC", "America/New_York", "Europe/Madrid", "Australia/Lord_Howe"]


def _instants():
    """Instants around changes of summer time, midnights, a leap day and the turn of a year; aware and naive."""
    edges = [
        datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # New York springs forward
        datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # New York falls back (1:00–2:00 twice)
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Madrid
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
        datetime(2026, 4, 4, 15, 0, tzinfo=UTC),  # Lord Howe: a half-hour change
        datetime(2026, 10, 3, 15, 30, tzinfo=UTC),
        datetime(2027, 1, 1, 0, 0, tzinfo=UTC),
        datetime(2028, 2, 29, 23, 30, tzinfo=UTC),
    ]
    moments = []
    for edge in edges:
        moments += [edge + timedelta(minutes=m) for m in (-61, -31, -1, 0, 1, 29, 59, 60, 719, 721)]
    moments += [datetime(2026, 1, 5, 21, 4, 5), datetime(2026, 7, 1, 0, 0, 59, 999999)]  # naive: taken as UTC
    return moments


def _old_date(value, zone=None):
    """How date_text made its text before: Flask-Babel's format_date on each call."""
    if value is None:
        return ""
    value = value.astimezone(zoneinfo.ZoneInfo(zone)) if zone and isinstance(value, datetime) else value
    return format_date(value, "medium", rebase=zone is None)


def _old_time(value, zone=None):
    if value is None:
        return ""
    value = value.astimezone(zoneinfo.ZoneInfo(zone)) if zone and isinstance(value, datetime) else value
    return format_time(value, "short", rebase=zone is None)


def _old_datetime(value, zone=None):
    if value is None:
        return ""
    pattern = get_datetime_format("medium", locale=get_locale())
    return pattern.replace("{1}", _old_date(value, zone)).replace("{0}", _old_time(value, zone))


@pytest.mark.parametrize("viewer_zone", VIEWER_ZONES)
@pytest.mark.parametrize("language", ["en", "es"])
def test_dates_and_times_read_as_flask_babel_made_them(app, language, viewer_zone):
    with app.test_request_context(), force_locale(language):
        g.coalition = SimpleNamespace(timezone=viewer_zone)  # the viewer's zone, for the texts given no zone
        checked = 0
        for moment in _instants():
            for zone in ZONES:
                if zone and moment.tzinfo is None:
                    continue  # a naive instant is only ever shown in the viewer's zone
                assert date_text(moment, zone) == _old_date(moment, zone), (moment, zone)
                assert time_text(moment, zone) == _old_time(moment, zone), (moment, zone)
                assert datetime_text(moment, zone) == _old_datetime(moment, zone), (moment, zone)
                checked += 1
        assert checked > 500


def test_calendar_dates_read_as_flask_babel_made_them(app):
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 800, 7)] + [date(1999, 12, 31), date(2100, 3, 1)]
    with app.test_request_context():
        for language in ("en", "es"):
            with force_locale(language):
                assert [date_text(day) for day in days] == [_old_date(day) for day in days]
                assert date_text(None) == time_text(None) == datetime_text(None) == ""


def test_the_language_can_change_within_a_request_as_for_mail(app):
    moment = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)
    with app.test_request_context():
        with force_locale("en"):
            assert datetime_text(moment, "America/New_York") == "Mar 8, 2026, 1:30\u202fAM"
        with force_locale("es"):
            assert datetime_text(moment, "America/New_York") == "8 mar 2026, 1:30"
            assert datetime_text(moment + timedelta(hours=1), "America/New_York") == "8 mar 2026, 3:30"
        with force_locale("en"):
            assert date_text(date(2026, 12, 31)) == "Dec 31, 2026"


# --- Translations in templates ---------------------------------------------------------------------------------


def test_template_translations_match_flask_babel_and_escape_their_variables(app):
    template = (
        "{{ _('Mark done') }}|{{ _('Show all %(total)d', total=3) }}|{{ _('Power map: %(campaign)s', campaign=c) }}"
    )
    plural = "{{ ngettext('%(num)d place left', '%(num)d places left', 2) }}"
    with app.test_request_context():
        for language in ("en", "es"):
            with force_locale(language):
                title = gettext("Power map: %(campaign)s", campaign="Rent &lt;strike&gt; &amp; more")
                expected = f"{gettext('Mark done')}|{gettext('Show all %(total)d', total=3)}|{title}"
                assert render_template_string(template, c="Rent <strike> & more") == expected
                assert render_template_string(plural) == ngettext("%(num)d place left", "%(num)d places left", 2)
        with force_locale("es"):
            assert render_template_string("{{ _('Mark done') }}") != "Mark done"  # really translated


# --- Links of rows ---------------------------------------------------------------------------------------------


@pytest.fixture
def in_coalition(app, make_coalition):
    coalition = make_coalition()
    with app.test_request_context(f"/c/{coalition.slug}/stakeholders/"):
        app.preprocess_request()
        yield coalition


def test_row_links_are_url_for_links(in_coalition):
    slug = in_coalition.slug
    detail = RowURL("stakeholders.detail", "stakeholder_id", coalition_slug=slug)
    for stakeholder_id in (0, 1, 7, 42, 1234567, 2**31 - 1):
        assert detail(stakeholder_id) == url_for(
            "stakeholders.detail", stakeholder_id=stakeholder_id, coalition_slug=slug
        )
    anchored = RowURL("stakeholders.detail", "stakeholder_id", coalition_slug=slug, _anchor="outreach-3")
    assert anchored(5) == url_for("stakeholders.detail", stakeholder_id=5, coalition_slug=slug, _anchor="outreach-3")
    tags = RowURL("stakeholders.index", "tag", coalition_slug=slug)
    for tag in ("housing", "rent & repairs", "vivienda/alquiler", "ñandú", "housing"):
        assert tags(tag) == url_for("stakeholders.index", tag=tag, coalition_slug=slug)


def test_row_links_of_odd_values_are_url_for_links_too(in_coalition):
    slug = in_coalition.slug
    detail = RowURL("stakeholders.detail", "stakeholder_id", coalition_slug=slug)
    for odd in (-1, 2**31, True, "12"):
        assert detail(odd) == url_for("stakeholders.detail", stakeholder_id=odd, coalition_slug=slug)
    for refused in (url_for, lambda endpoint, stakeholder_id, **values: detail(stakeholder_id)):
        with pytest.raises(ValueError):
            refused("stakeholders.detail", stakeholder_id="twelve", coalition_slug=slug)


def test_row_links_made_in_python_are_url_for_links_of_the_requests_coalition(in_coalition):
    """A timeline's entries link their rows with row_link: the links url_for gives in this request, one RowURL each."""
    for endpoint, key in (("stakeholders.detail", "stakeholder_id"), ("meetings.show", "meeting_id")):
        for row_id in (1, 42, 1234567, 7):
            assert row_link(endpoint, key, row_id) == url_for(endpoint, **{key: row_id})
            assert f"/c/{in_coalition.slug}/" in row_link(endpoint, key, row_id)
    assert sorted(g._row_urls) == [("meetings.show", "meeting_id"), ("stakeholders.detail", "stakeholder_id")]


def test_row_links_are_right_when_the_stand_in_number_is_part_of_the_link(in_coalition):
    pages = RowURL("stakeholders.index", "page", coalition_slug=in_coalition.slug, q="2147483646")
    assert pages(3) == url_for("stakeholders.index", q="2147483646", page=3, coalition_slug=in_coalition.slug)
    assert pages(3).endswith("?q=2147483646&page=3")  # the varying argument comes last, as written


# --- Labels of choices -----------------------------------------------------------------------------------------


def test_page_labels_are_the_translated_names(app):
    stances = {"champion": lazy_gettext("Champion"), "hostile": lazy_gettext("Hostile")}
    with app.test_request_context(), force_locale("es"):
        labels = PageLabels(stances=stances)
        assert labels.stances == {"champion": gettext("Champion"), "hostile": gettext("Hostile")}
        assert labels.stances["champion"] != "Champion"
        with pytest.raises(AttributeError):
            labels.priorities  # noqa: B018
