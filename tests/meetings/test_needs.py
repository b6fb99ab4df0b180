"""The needs summary and the attendee CSV for organizers."""

import csv
import io

from coalition.extensions import db
from coalition.meetings import attendance, rsvps
from tests.meetings.conftest import url


def test_needs_summary_matches_the_rsvps(coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=6)
    answers = [
        ("yes", {"guests": 1, "interpretation_language": "Spanish", "children": 2, "access_needs": "Step-free access"}),
        ("yes", {"interpretation_language": "Spanish", "dietary": "Halal"}),
        ("yes", {"interpretation_language": "Vietnamese", "children": 1}),
        ("maybe", {"interpretation_language": "Spanish"}),
        ("no", {}),
        ("yes", {"guests": 2}),  # 4 places taken + 3 > 6: waitlisted
    ]
    for response, needs in answers:
        rsvps.rsvp_member(meeting, make_member(coalition, "member"), response, **needs)
    db.session.commit()
    summary = attendance.needs_summary(meeting)
    assert summary["counts"] == {"yes": 3, "maybe": 1, "no": 1, "waitlist": 1}
    assert summary["answered"] == 6
    assert summary["coming"] == 4
    assert summary["interpretation"] == [("Spanish", 2), ("Vietnamese", 1)]
    assert summary["children"] == 3
    assert summary["access_needs"] == ["Step-free access"]
    assert summary["dietary"] == ["Halal"]


def test_organizer_sees_needs_summary_on_meeting_page(client, login, coalition, organizer, make_member, make_meeting):
    meeting = make_meeting()
    rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes", interpretation_language="Spanish", children=4)
    db.session.commit()
    login(client, organizer)
    page = client.get(url(meeting)).get_data(as_text=True)
    assert "1 needs Spanish" in page
    assert "children for childcare" in page


def test_attendee_csv_keeps_formula_looking_names_as_text(
    client, login, coalition, organizer, make_member, make_meeting
):
    meeting = make_meeting()
    person = make_member(coalition, "member", name="=cmd|' /C calc'!A0")
    rsvps.rsvp_member(meeting, person, "yes", access_needs="+1 ramp", dietary="@vegan")
    db.session.commit()
    login(client, organizer)
    response = client.get(url(meeting, "/attendees.csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Name"
    row = rows[1]
    assert row[0] == "'=cmd|' /C calc'!A0"
    assert row[1] == person.email
    assert row[7] == "'+1 ramp" and row[8] == "'@vegan"
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_needs_summary_counts_maybe_answers_needs_apart(coalition, make_member, make_meeting):
    meeting = make_meeting()
    answers = [
        ("yes", {"interpretation_language": "Spanish", "children": 1}),
        ("maybe", {"guests": 1, "interpretation_language": "Spanish", "children": 2, "access_needs": "Ramp"}),
        ("maybe", {"interpretation_language": "Vietnamese", "dietary": "Vegan"}),
        ("no", {"interpretation_language": "Spanish", "children": 5}),
    ]
    for response, needs in answers:
        rsvps.rsvp_member(meeting, make_member(coalition, "member"), response, **needs)
    db.session.commit()
    summary = attendance.needs_summary(meeting)
    assert summary["interpretation"] == [("Spanish", 1)]
    assert summary["children"] == 1
    assert summary["maybe"] == {
        "people": 3,
        "interpretation": [("Spanish", 1), ("Vietnamese", 1)],
        "children": 2,
        "access_needs": 1,
        "dietary": 1,
    }


def test_organizer_sees_maybe_answers_needs_on_meeting_page(
    client, login, coalition, organizer, make_member, make_meeting
):
    meeting = make_meeting()
    rsvps.rsvp_member(meeting, make_member(coalition, "member"), "maybe", interpretation_language="Spanish", children=2)
    db.session.commit()
    login(client, organizer)
    page = client.get(url(meeting)).get_data(as_text=True)
    assert "Maybe coming" in page
    assert "1 may need Spanish" in page
    assert "childcare for 2 more children" in page


def test_organizer_pages_through_every_answer_in_order(client, login, coalition, organizer, make_member, make_meeting):
    """A big meeting's answers are all reachable, a page at a time, yes first, then maybe, then no."""
    meeting = make_meeting()
    names = []
    for number, response in enumerate(["yes"] * 3 + ["maybe"] * 2 + ["no"] * 2):
        person = make_member(coalition, "member", display_name=f"Person {number}")
        rsvps.rsvp_member(meeting, person, response)
        names.append(person.display_name)
    db.session.commit()
    login(client, organizer)
    original, attendance.ANSWERS_PER_PAGE = attendance.ANSWERS_PER_PAGE, 3
    try:
        pages = [client.get(url(meeting, f"?page={n}")).get_data(as_text=True) for n in (1, 2, 3)]
    finally:
        attendance.ANSWERS_PER_PAGE = original
    shown = [[name for name in names if f"<td>{name}</td>" in page] for page in pages]
    assert shown == [names[0:3], names[3:6], names[6:7]]
    assert "7 in all" in pages[0]
    assert f'href="{url(meeting, "?page=2#answers")}"' in pages[0]  # the link lands on the answers
    assert 'id="answers"' in pages[1]
