"""Form errors are announced: an error summary at the top of the page (role=alert, focused, each error a link to its
field), 'Error:' before the page title, and each message next to its field as well."""

import re

from coalition.core.forms import error_summary
from coalition.meetings.forms import RsvpForm


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_failed_log_in_shows_a_focused_alert_summary_linking_to_each_field(client):
    html = client.post("/account/login", data={"email": "", "password": ""}).get_data(as_text=True)
    summary = _summary(html)
    opening = summary.split(">", 1)[0]
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening and "autofocus" in opening
    assert '<a href="#email">Please enter your email address.</a>' in summary
    assert '<a href="#password">Please enter your password.</a>' in summary
    assert 'id="email-error"' in html and 'id="password-error"' in html  # and next to the fields, as before


def test_failed_form_puts_error_before_the_page_title(client):
    html = client.post("/account/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert re.search(r"<title>Error: Log in · ", html)


def test_page_without_errors_has_no_summary_and_a_plain_title(client):
    html = client.get("/account/login").get_data(as_text=True)
    assert "error-summary" not in html
    assert "<title>Log in · Coalition</title>" in html


def test_summary_is_in_the_base_template_so_every_form_has_it(client, make_user, login):
    login(client, make_user())
    html = client.post("/account/profile", data={"display_name": "", "locale": "", "timezone": ""}).get_data(
        as_text=True
    )
    assert '<a href="#display_name">Please enter a name.</a>' in _summary(html)


def test_summary_links_a_group_of_radio_buttons_to_its_first_option(app):
    from coalition.accounts.forms import DeleteAccountForm

    with app.test_request_context(method="POST", data={}):
        form = DeleteAccountForm()
        form.validate()
        assert ("stories-0", "Please choose what happens to your stories.") in error_summary([form])


def test_summary_lists_errors_that_belong_to_no_field_without_a_link(app):
    with app.test_request_context(method="POST", data={"response": "yes"}):
        form = RsvpForm()
        form.validate()
        form.form_errors.append("The meeting was cancelled.")
        assert error_summary([form]) == [(None, "The meeting was cancelled.")]
