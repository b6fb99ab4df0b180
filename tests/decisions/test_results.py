"""Results people can read: hidden until the close on the page, in the CSV and in mail; formula-safe CSV with totals
only for anonymous ballots; who answered what, in words."""

import csv
import io
import re
from datetime import timedelta

from coalition.decisions import answers, services
from coalition.extensions import db
from tests.decisions.conftest import url


def _client(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def _csv(client, decision):
    text = client.get(url(decision, "/result.csv")).get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_hidden_results_show_no_count_on_the_page_before_the_close(app, login, make_decision, members, organizer):
    decision = make_decision(kind="poll", privacy="open", results_hidden=True)
    answers.answer(decision, members[0], {"options": [decision.options[1].id]})
    db.session.commit()
    page = _client(app, login, organizer).get(url(decision)).get_data(as_text=True)
    assert "Results are hidden until the close" in page
    assert "Who answered what" not in page and "Result (CSV)" not in page
    services.close_decision(decision, organizer)
    db.session.commit()
    page = _client(app, login, members[1]).get(url(decision)).get_data(as_text=True)
    assert "Who answered what" in page and f"{members[0].display_name}: Bravo" in page


def test_hidden_results_csv_is_not_found_before_the_close(app, login, make_decision, members, organizer):
    decision = make_decision(kind="poll", privacy="open", results_hidden=True)
    answers.answer(decision, members[0], {"options": [decision.options[1].id]})
    db.session.commit()
    lead = _client(app, login, organizer)
    assert lead.get(url(decision, "/result.csv")).status_code == 404
    services.close_decision(decision, organizer)
    db.session.commit()
    assert ["Bravo", "1"] in _csv(lead, decision)


def test_hidden_results_reminder_mail_carries_no_count(app, make_decision, members, outbox):
    decision = make_decision(kind="poll", privacy="open", results_hidden=True, closes_in=timedelta(hours=5))
    for person in members[:3]:
        answers.answer(decision, person, {"options": [decision.options[0].id]})
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["decisions", "remind"]).exit_code == 0
    mails = outbox(kind="decision_reminder") + outbox(kind="decision_open")
    assert mails
    for mail in mails:
        assert not re.search(r"(Alpha|Bravo|Charlie)\W+\d|\b\d+ of \d+\b|\d+ (answer|vote)", mail.body_text)


def test_visible_results_show_counts_while_open(app, login, make_decision, members):
    decision = make_decision(kind="poll", privacy="organizers")
    answers.answer(decision, members[0], {"options": [decision.options[2].id]})
    db.session.commit()
    assert ["Charlie", "1"] in _csv(_client(app, login, members[1]), decision)


def test_csv_guards_a_choice_that_starts_like_a_formula(app, login, make_decision, members, organizer):
    decision = make_decision(kind="poll", privacy="open", options=['=HYPERLINK("http://evil.example")', "Plain"])
    answers.answer(decision, members[0], {"options": [decision.options[0].id]})
    db.session.commit()
    rows = _csv(_client(app, login, organizer), decision)
    assert ['\'=HYPERLINK("http://evil.example")', "1"] in rows
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_anonymous_csv_holds_totals_only(app, login, make_decision, members, organizer):
    decision = make_decision(privacy="anonymous")
    for person, position in zip(members, ["agree", "agree", "agree", "agree", "block"], strict=True):
        answers.answer(decision, person, {"position": position}, "my secret reason" if position == "block" else "")
    services.close_decision(decision, organizer)
    db.session.commit()
    text = _client(app, login, organizer).get(url(decision, "/result.csv")).get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Answer", "Count"] and len(rows) == 5
    assert "my secret reason" not in text
    assert not any(person.display_name in text or person.email in text for person in members)


def test_who_answered_what_shows_labels_not_raw_values(app, login, make_decision, members, organizer):
    poll = make_decision(kind="poll", privacy="organizers", max_choices=2)
    ranked = make_decision(kind="ranked", privacy="open")
    answers.answer(poll, members[0], {"options": [poll.options[0].id, poll.options[2].id]})
    answers.answer(ranked, members[0], {"ranking": [o.id for o in reversed(ranked.options)]})
    db.session.commit()
    lead = _client(app, login, organizer)
    assert f"{members[0].display_name}: Alpha, Charlie" in lead.get(url(poll)).get_data(as_text=True)
    page = lead.get(url(ranked)).get_data(as_text=True)
    assert f"{members[0].display_name}: 1. Charlie, 2. Bravo, 3. Alpha" in page
    assert "ranking" not in page.split("Who answered what", 1)[1]
