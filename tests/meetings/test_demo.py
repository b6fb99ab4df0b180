"""The demo seeder makes realistic meetings."""

from sqlalchemy import func, select

from coalition.core.demo import DEMO_ACCOUNTS, EXTRA_MEMBERS
from coalition.extensions import db
from coalition.meetings.demo import seed_meetings
from coalition.meetings.models import ActionItem, Feedback, Meeting, Rsvp, WalkIn


def test_demo_seeder_creates_upcoming_and_past_meetings_with_follow_up(make_coalition, make_member):
    coalition = make_coalition("Riverside Tenants Coalition", timezone="America/Chicago")
    people = {}
    for role, (email, name) in DEMO_ACCOUNTS.items():
        people[role] = make_member(coalition, role, email=email, name=name)
    for index, (email, name) in enumerate(EXTRA_MEMBERS):
        people[f"extra{index}"] = make_member(coalition, "member", email=email, name=name)
    seed_meetings(coalition, people)
    db.session.commit()
    meetings = db.session.scalars(select(Meeting)).all()
    assert len(meetings) == 5
    house = next(m for m in meetings if m.kind == "small_gathering")
    assert house.capacity == 6 and house.seats_taken == 5
    assert {m.visibility.value for m in meetings} >= {"public", "members"}
    assert db.session.scalar(select(func.count()).select_from(Rsvp).where(Rsvp.children > 0)) >= 1
    assert db.session.scalar(select(func.count()).select_from(WalkIn)) == 1
    owners = set(db.session.scalars(select(ActionItem.owner_id)))
    assert {people["member"].id, people["organizer"].id} <= owners
    assert db.session.scalar(select(func.count()).select_from(Feedback).where(Feedback.user_id.is_(None))) == 1


def test_demo_meeting_pages_render(client, login, make_coalition, make_member):
    coalition = make_coalition(timezone="America/Chicago")
    people = {role: make_member(coalition, role) for role in ("lead", "organizer", "member")}
    people.update({f"extra{i}": make_member(coalition, "member") for i in range(4)})
    seed_meetings(coalition, people)
    db.session.commit()
    login(client, people["organizer"])
    for meeting in db.session.scalars(select(Meeting)):
        base = f"/c/{coalition.slug}/meetings/{meeting.id}"
        for page in ("", "/checkin", "/record", "/feedback/results", "/invites", "/edit"):
            assert client.get(base + page).status_code == 200, base + page
    for page in ("/", "/?when=past", "/mine", "/calendar"):
        assert client.get(f"/c/{coalition.slug}/meetings{page}").status_code == 200
    assert client.get(f"/c/{coalition.slug}/").status_code == 200
