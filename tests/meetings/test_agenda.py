"""The agenda: ordered items with duration and facilitator, reordering, total time."""

import re

from sqlalchemy import select

from coalition.extensions import db
from coalition.meetings.models import AgendaItem
from tests.meetings.conftest import url


def _titles(meeting):
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AgendaItem.title)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def _add(client, meeting, title, minutes):
    return client.post(
        url(meeting, "/agenda"), data={"title": title, "duration_minutes": str(minutes), "facilitator": "Ana"}
    )


def test_organizer_builds_agenda_and_sees_total_time(client, login, organizer, make_meeting):
    meeting = make_meeting()
    login(client, organizer)
    _add(client, meeting, "Welcome", 10)
    _add(client, meeting, "Campaign update", 35)
    assert _titles(meeting) == ["Welcome", "Campaign update"]
    page = client.get(url(meeting)).get_data(as_text=True)
    assert "45 minutes" in page


def test_agenda_items_move_up_and_down(client, login, organizer, make_meeting):
    meeting = make_meeting()
    login(client, organizer)
    for title in ("A", "B", "C"):
        _add(client, meeting, title, 5)
    c = db.session.scalar(select(AgendaItem).where(AgendaItem.title == "C"))
    client.post(url(meeting, f"/agenda/{c.id}/move/up"))
    assert _titles(meeting) == ["A", "C", "B"]
    client.post(url(meeting, f"/agenda/{c.id}/move/up"))
    client.post(url(meeting, f"/agenda/{c.id}/move/up"))  # already first: nothing changes
    assert _titles(meeting) == ["C", "A", "B"]
    client.post(url(meeting, f"/agenda/{c.id}/move/down"))
    assert _titles(meeting) == ["A", "C", "B"]


def test_agenda_item_edit_and_delete(client, login, organizer, make_meeting):
    meeting = make_meeting()
    login(client, organizer)
    _add(client, meeting, "Welcome", 10)
    item = db.session.scalar(select(AgendaItem))
    client.post(url(meeting, f"/agenda/{item.id}/edit"), data={"title": "Welcome and food", "duration_minutes": "20"})
    db.session.expire_all()
    assert (db.session.get(AgendaItem, item.id).title, db.session.get(AgendaItem, item.id).duration_minutes) == (
        "Welcome and food",
        20,
    )
    client.post(url(meeting, f"/agenda/{item.id}/delete"))
    assert _titles(meeting) == []


def test_agenda_item_needs_a_title_and_sane_duration(client, login, organizer, make_meeting):
    meeting = make_meeting()
    login(client, organizer)
    response = client.post(
        url(meeting, "/agenda"), data={"title": "", "duration_minutes": "9999"}, follow_redirects=True
    )
    text = response.get_data(as_text=True)
    assert "Please enter a title." in text and "0 to 600 minutes." in text
    assert _titles(meeting) == []


def test_members_cannot_change_the_agenda(client, login, member, make_meeting):
    meeting = make_meeting()
    login(client, member)
    assert _add(client, meeting, "Sneaky", 5).status_code == 403
    assert _titles(meeting) == []


def test_agenda_item_of_another_meeting_is_404(client, login, organizer, make_meeting):
    first, second = make_meeting(), make_meeting()
    login(client, organizer)
    _add(client, first, "Only here", 5)
    item = db.session.scalar(select(AgendaItem))
    assert client.post(url(second, f"/agenda/{item.id}/delete")).status_code == 404
    assert _titles(first) == ["Only here"]


def test_the_agenda_buttons_of_the_page_move_and_remove_items_with_csrf_on(client, login, organizer, make_meeting):
    """The buttons as a browser sends them: each row's form posts to its own item with the page's CSRF token."""
    meeting = make_meeting()
    login(client, organizer)
    for title in ("A", "B", "C"):
        _add(client, meeting, title, 5)
    client.application.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get(url(meeting)).get_data(as_text=True)
        forms = re.findall(r'<form method="post" action="([^"]+)" class="inline">\s*<input[^>]*value="([^"]+)"', page)
        actions = {action: token for action, token in forms}
        ids = {title: db.session.scalar(select(AgendaItem.id).where(AgendaItem.title == title)) for title in "ABC"}
        up_c = url(meeting, f"/agenda/{ids['C']}/move/up")
        remove_a = url(meeting, f"/agenda/{ids['A']}/delete")
        assert up_c in actions and remove_a in actions
        assert url(meeting, f"/agenda/{ids['A']}/move/up") not in actions  # the first cannot move up
        edit_b = url(meeting, f"/agenda/{ids['B']}/edit")
        assert f'href="{edit_b}"' in page

        client.post(up_c, data={"csrf_token": actions[up_c]})
        assert _titles(meeting) == ["A", "C", "B"]
        client.post(remove_a, data={"csrf_token": actions[remove_a]})
        assert _titles(meeting) == ["C", "B"]
    finally:
        client.application.config["WTF_CSRF_ENABLED"] = False
