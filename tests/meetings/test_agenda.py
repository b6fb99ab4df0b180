"""The agenda: ordered items with duration and facilitator, reordering, total time."""

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
