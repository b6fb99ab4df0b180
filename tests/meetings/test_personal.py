"""Personal data: export my meeting data; deleting an account erases it and frees places."""

from datetime import timedelta

from sqlalchemy import func, select

from coalition.accounts import services as accounts
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings import after, rsvps
from coalition.meetings.models import ActionItem, Feedback, Meeting, Rsvp


def test_export_contains_rsvps_with_needs_named_feedback_and_action_items(coalition, member, make_meeting):
    meeting = make_meeting()
    rsvps.rsvp_member(meeting, member, "yes", interpretation_language="Spanish", children=2)
    past = make_meeting(start=utcnow() - timedelta(days=3), title="Past one")
    after.give_feedback(past, member, rating=4, worked="Snacks", change="", anonymous=False)
    other_past = make_meeting(start=utcnow() - timedelta(days=5))
    after.give_feedback(other_past, member, rating=1, worked="", change="secret", anonymous=True)
    after.save_action_item(past, None, member, title="Call Tom", owner_id=member.id, due_on=None, status="open")
    db.session.commit()
    exported = accounts.export_personal_data(member)["meetings"]
    assert exported["rsvps"][0]["interpretation_language"] == "Spanish"
    assert exported["rsvps"][0]["children"] == 2
    assert [f["rating"] for f in exported["feedback"]] == [4]  # anonymous feedback is not theirs any more
    assert exported["action_items"][0]["title"] == "Call Tom"


def test_deleting_an_account_frees_places_and_promotes_the_waitlist(coalition, make_member, make_meeting, outbox):
    from coalition.meetings.personal import erase_meetings

    meeting = make_meeting(capacity=1)
    leaving, waiting = make_member(coalition, "member"), make_member(coalition, "member")
    rsvps.rsvp_member(meeting, leaving, "yes")
    rsvps.rsvp_member(meeting, waiting, "yes")
    past = make_meeting(start=utcnow() - timedelta(days=3))
    after.give_feedback(past, leaving, rating=5, worked="x", change="", anonymous=False)
    item = after.save_action_item(past, None, leaving, title="T", owner_id=leaving.id, due_on=None, status="open")
    db.session.commit()
    erase_meetings(leaving, False)
    db.session.delete(leaving)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Rsvp).where(Rsvp.user_id == leaving.id)) == 0
    promoted = db.session.scalar(select(Rsvp).where(Rsvp.user_id == waiting.id))
    assert promoted.is_going
    assert db.session.get(Meeting, meeting.id).seats_taken == 1
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0
    assert db.session.get(ActionItem, item.id).owner_id is None
    assert len(outbox(to=waiting.email, kind="meeting_promoted")) == 1


def test_account_deletion_through_accounts_runs_the_meetings_eraser(coalition, make_member, make_meeting):
    meeting = make_meeting(capacity=2)
    leaving = make_member(coalition, "member")
    rsvps.rsvp_member(meeting, leaving, "yes", guests=1)
    db.session.commit()
    accounts.delete_account(leaving, keep_stories_anonymised=False)
    db.session.commit()
    assert db.session.get(Meeting, meeting.id).seats_taken == 0
