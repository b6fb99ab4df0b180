"""Who may see and do what: visitor, member, organizer, lead, member of another coalition."""

import pytest

from coalition.extensions import db
from coalition.meetings import attendance, rsvps
from coalition.meetings.models import MeetingInvite
from tests.meetings.conftest import url

ROLES = ["visitor", "member", "organizer", "lead", "outsider"]


@pytest.fixture
def as_role(client, login, coalition, make_member, make_coalition):
    """Log the client in as someone with `role` ("visitor": nobody; "outsider": a lead of another coalition)."""

    def become(role):
        if role == "visitor":
            return None
        if role == "outsider":
            user = make_member(make_coalition(), "lead")
        else:
            user = make_member(coalition, role)
        login(client, user)
        return user

    return become


VIEW = {
    # visibility: expected status per role
    "public": {"visitor": 302, "member": 200, "organizer": 200, "lead": 200, "outsider": 404},
    "members": {"visitor": 302, "member": 200, "organizer": 200, "lead": 200, "outsider": 404},
    "invite_only": {"visitor": 302, "member": 404, "organizer": 200, "lead": 200, "outsider": 404},
}


@pytest.mark.parametrize("visibility", list(VIEW))
@pytest.mark.parametrize("role", ROLES)
def test_view_meeting_page(client, as_role, make_meeting, visibility, role):
    meeting = make_meeting(visibility=visibility)
    as_role(role)
    assert client.get(url(meeting)).status_code == VIEW[visibility][role]


@pytest.mark.parametrize("visibility", list(VIEW))
@pytest.mark.parametrize("role", ROLES)
def test_public_page_only_for_public_meetings(client, as_role, make_meeting, visibility, role):
    meeting = make_meeting(visibility=visibility)
    as_role(role)
    expected = 200 if visibility == "public" else 404
    assert client.get(url(meeting).replace("/meetings/", "/meetings/public/")).status_code == expected


def test_invited_member_sees_invite_only_meeting(client, login, coalition, organizer, member, make_meeting):
    meeting = make_meeting(visibility="invite_only")
    db.session.add(MeetingInvite(coalition_id=coalition.id, meeting_id=meeting.id, user_id=member.id))
    db.session.commit()
    login(client, member)
    assert client.get(url(meeting)).status_code == 200
    assert client.post(url(meeting, "/rsvp"), data={"response": "yes"}).status_code == 302


def test_organizer_invites_a_member_who_gets_a_mail(client, login, coalition, organizer, member, make_meeting, outbox):
    meeting = make_meeting(visibility="invite_only")
    login(client, organizer)
    assert client.post(url(meeting, "/invites"), data={"user_id": str(member.id)}).status_code == 302
    assert len(outbox(to=member.email, kind="meeting_invite")) == 1
    assert db.session.scalar(db.select(MeetingInvite.user_id)) == member.id


RSVP = {"visitor": 302, "member": 302, "organizer": 302, "lead": 302, "outsider": 404}


@pytest.mark.parametrize("role", ROLES)
def test_rsvp_to_members_meeting(client, as_role, make_meeting, role):
    meeting = make_meeting()
    user = as_role(role)
    response = client.post(url(meeting, "/rsvp"), data={"response": "yes"})
    assert response.status_code == RSVP[role]
    answered = user is not None and attendance.needs_summary(meeting)["counts"]["yes"] == 1
    assert answered == (role in ("member", "organizer", "lead"))
    if role == "visitor":
        assert "/account/login" in response.headers["Location"]


MANAGE = {"visitor": 302, "member": 403, "organizer": 200, "lead": 200, "outsider": 404}


@pytest.mark.parametrize("page", ["/edit", "/checkin", "/record", "/feedback/results", "/invites", "/attendees.csv"])
@pytest.mark.parametrize("role", ROLES)
def test_organizer_pages(client, as_role, make_meeting, role, page):
    meeting = make_meeting()
    as_role(role)
    assert client.get(url(meeting, page)).status_code == MANAGE[role]


@pytest.mark.parametrize("role", ROLES)
def test_create_meeting(client, as_role, coalition, role):
    as_role(role)
    assert client.get(f"/c/{coalition.slug}/meetings/new").status_code == MANAGE[role]


@pytest.mark.parametrize("role", ROLES)
def test_cancel_meeting(client, as_role, make_meeting, role):
    meeting = make_meeting()
    as_role(role)
    client.post(url(meeting, "/cancel"))
    db.session.expire_all()
    assert meeting.is_cancelled == (role in ("organizer", "lead"))


ONLINE_LINK = {"member": False, "member_yes": True, "member_maybe": False, "organizer": True, "lead": True}


@pytest.mark.parametrize("who", list(ONLINE_LINK))
def test_online_link_and_exact_address_only_for_people_coming_and_organizers(
    client, login, coalition, make_member, make_meeting, who
):
    meeting = make_meeting()
    role = who.split("_")[0]
    user = make_member(coalition, role)
    if who.endswith(("_yes", "_maybe")):
        rsvps.rsvp_member(meeting, user, who.split("_")[1])
        db.session.commit()
    login(client, user)
    page = client.get(url(meeting)).get_data(as_text=True)
    assert ("secret-room" in page) == ONLINE_LINK[who]
    assert ("12 Main Street" in page) == ONLINE_LINK[who]
    assert "Community Hall" in page  # the venue is for everyone who can see the meeting


def test_waitlisted_member_does_not_see_the_online_link(client, login, coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=1)
    rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes")
    waiting = make_member(coalition, "member")
    rsvps.rsvp_member(meeting, waiting, "yes")
    db.session.commit()
    login(client, waiting)
    assert "secret-room" not in client.get(url(meeting)).get_data(as_text=True)


def test_members_never_see_other_attendees_contact_details(client, login, coalition, make_member, make_meeting):
    meeting = make_meeting()
    other = make_member(coalition, "member", email="neighbour@example.org", name="Nadia Neighbour")
    rsvps.rsvp_member(meeting, other, "yes", access_needs="Hearing loop")
    me = make_member(coalition, "member")
    rsvps.rsvp_member(meeting, me, "yes")
    db.session.commit()
    login(client, me)
    page = client.get(url(meeting)).get_data(as_text=True)
    assert "neighbour@example.org" not in page
    assert "Nadia Neighbour" not in page
    assert "Hearing loop" not in page


def test_organizers_see_attendees_contact_details(client, login, coalition, organizer, make_member, make_meeting):
    meeting = make_meeting()
    rsvps.rsvp_member(meeting, make_member(coalition, "member", email="neighbour@example.org"), "yes")
    db.session.commit()
    login(client, organizer)
    assert "neighbour@example.org" in client.get(url(meeting)).get_data(as_text=True)


def test_public_page_never_shows_the_exact_place(client, make_meeting):
    meeting = make_meeting(visibility="public")
    page = client.get(url(meeting).replace("/meetings/", "/meetings/public/")).get_data(as_text=True)
    assert "Community Hall" in page
    assert "secret-room" not in page and "12 Main Street" not in page


def test_ids_of_another_coalition_answer_404(client, login, organizer, make_coalition, make_member, make_meeting):
    other = make_coalition()
    other_meeting = make_meeting(in_coalition=other, by=make_member(other, "organizer"))
    mine = make_meeting()
    login(client, organizer)
    foreign = url(other_meeting).replace(other.slug, mine.coalition.slug)
    for suffix in ("", "/edit", "/meeting.ics", "/attendees.csv", "/checkin", "/record"):
        assert client.get(foreign + suffix).status_code == 404
    assert client.post(foreign + "/rsvp", data={"response": "yes"}).status_code == 404
    assert client.post(foreign + "/cancel").status_code == 404


def test_huge_meeting_id_is_404_not_500(client, login, coalition, organizer):
    login(client, organizer)
    assert client.get(f"/c/{coalition.slug}/meetings/99999999999").status_code == 404
