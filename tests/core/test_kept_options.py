"""The time-zone lists (~550 options) are rendered once per language and list, then only the chosen zone is marked:
the HTML must be exactly WTForms' own, for every choice and in every language."""

import pytest
from flask_babel import force_locale
from wtforms import Form, SelectChoice, SelectField, SelectMultipleField
from wtforms.widgets import Select

from coalition.core.forms import BaseForm, KeptOptionsSelect, PlainSelect, grouped_timezone_choices, timezone_choices
from coalition.core.i18n import lazy_gettext


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


class Fast(Form):
    zone = SelectField(widget=PlainSelect())


TRICKY = [
    ("", "— any —"),
    (0, "Zero"),
    (7, 'Seven <b>"bold"</b> & co'),
    ("a&b", ""),  # no label: the value is shown
    ('"><script>alert(1)</script>', "Quoted 'value'"),
    (True, "Yes"),  # a bool value: WTForms' own path
    SelectChoice("x", "With attributes", render_kw={"disabled": True, "data-n": "<1>"}),
    SelectChoice("g1", "In a group", optgroup="Group <1>"),
    SelectChoice("g2", lazy_gettext("Public"), optgroup="Group <1>"),
]


@pytest.mark.parametrize("data", [None, "", 0, 7, "a&b", '"><script>alert(1)</script>', True, "x", "g2", "absent"])
def test_plain_selects_are_exactly_what_wtforms_renders(app, data):
    with app.test_request_context(), force_locale("es"):
        plain, fast = Plain(data={"zone": data}), Fast(data={"zone": data})
        plain.zone.choices = fast.zone.choices = TRICKY
        render = {"class": "wide", "aria-describedby": "h"}
        assert str(fast.zone(**render)) == str(plain.zone(**render))
        plain.zone.choices = fast.zone.choices = TRICKY[:6]  # without groups
        assert str(fast.zone()) == str(plain.zone())


def test_every_form_gives_its_plain_selects_the_faster_widget_and_keeps_any_other(app):
    class Filters(BaseForm):
        category = SelectField(choices=[("a", "A")])
        zone = SelectField(widget=KeptOptionsSelect())
        tags = SelectMultipleField(choices=[("a", "A")])

    with app.test_request_context():
        form = Filters(meta={"csrf": False})
    assert type(form.category.widget) is PlainSelect
    assert type(form.zone.widget) is KeptOptionsSelect
    assert type(form.tags.widget) is Select and form.tags.widget.multiple
