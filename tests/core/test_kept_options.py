"""The time-zone lists (~550 options) are rendered once per language and list, then only the chosen zone is marked:
the HTML must be exactly WTForms' own, for every choice and in every language."""

import pytest
from flask_babel import force_locale
from wtforms import Form, SelectField
from wtforms.widgets import Select

from coalition.core.forms import KeptOptionsSelect, grouped_timezone_choices, timezone_choices


class Plain(Form):
    zone = SelectField(widget=Select())


class Kept(Form):
    zone = SelectField(widget=KeptOptionsSelect())


def _both(choices, data, **render):
    plain, kept = Plain(data={"zone": data}), Kept(data={"zone": data})
    plain.zone.choices = kept.zone.choices = choices
    return str(plain.zone(**render)), str(kept.zone(**render))


@pytest.mark.parametrize("data", [None, "", "UTC", "America/New_York", "Europe/Paris", "Pacific/Auckland", "Nowhere"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_kept_time_zone_lists_are_exactly_what_wtforms_renders(app, data, language):
    with app.test_request_context(), force_locale(language):
        for choices in (
            timezone_choices(),
            grouped_timezone_choices(["Europe/Paris", "America/Chicago"], blank="The coalition's time zone"),
            grouped_timezone_choices(),
        ):
            plain, kept = _both(choices, data, **{"aria-describedby": "zone-hint", "class": "wide"})
            assert kept == plain
            values = {c[0] if isinstance(c, tuple) else c.value for c in choices}
            assert kept.count("<option selected ") == (1 if data in values else 0)


def test_each_language_has_its_own_group_names(app):
    choices = grouped_timezone_choices()
    with app.test_request_context():
        with force_locale("en"):
            english = _both(choices, "Europe/Paris")[1]
        with force_locale("es"):
            spanish = _both(choices, "Europe/Paris")[1]
    assert '<optgroup label="Americas">' in english and '<optgroup label="Americas">' not in spanish
    assert '<option selected value="Europe/Paris">' in spanish


def test_the_profile_and_meeting_forms_keep_their_options(client, login, make_coalition, make_member):
    coalition = make_coalition(timezone="America/Chicago")
    login(client, make_member(coalition, "organizer"))
    page = client.get(f"/c/{coalition.slug}/meetings/new").get_data(as_text=True)
    assert '<option selected value="America/Chicago">America/Chicago</option>' in page  # the coalition's zone
    profile = client.get("/account/profile").get_data(as_text=True)
    assert profile.count("<option ") > 400 and '<optgroup label="Your coalitions">' in profile
