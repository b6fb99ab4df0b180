"""Demo meetings for the Riverside Tenants Coalition: upcoming and past, with RSVPs, needs and follow-up."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from coalition.campaigns.services import campaign_choices
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings import after, rsvps, services
from coalition.meetings.models import Rsvp


def _local_day(coalition, days: int):
    return (utcnow().astimezone(ZoneInfo(coalition.timezone)) + timedelta(days=days)).date()


def _meeting(coalition, by, days: int, start: time, end: time, **fields):
    values = {
        "kind": "coalition_meeting",
        "description": "",
        "campaign_id": None,
        "timezone": coalition.timezone,
        "venue": "",
        "address": "",
        "access_notes": "",
        "online_url": "",
        "capacity": None,
        "visibility": "members",
        "languages": "en, es",
        "interpretation": "es",
        "childcare": False,
        "food": "",
    }
    values.update(fields)
    day = _local_day(coalition, days)
    return services.schedule_meeting(
        coalition, by, start_date=day, start_time=start, end_date=day, end_time=end, **values
    )


def _answer(meeting, user, response, **needs):
    """An RSVP without confirmation mail (demo accounts need no mail)."""
    rsvp = Rsvp(coalition_id=meeting.coalition_id, meeting_id=meeting.id, user_id=user.id, seats_held=0)
    db.session.add(rsvp)
    rsvps._apply(meeting, rsvp, response, needs)
    return rsvp


def _campaign_id(coalition):
    choices = campaign_choices(coalition)
    return choices[0][0] if choices else None


def seed_meetings(coalition, people):
    """Three upcoming meetings and two past ones with minutes, decisions, action items and feedback."""
    organizer, member = people["organizer"], people["member"]
    campaign_id = _campaign_id(coalition)
    _upcoming(coalition, people, campaign_id)
    _past(coalition, people, organizer, member, campaign_id)
    db.session.flush()


def _upcoming(coalition, people, campaign_id):
    organizer = people["organizer"]
    house = _meeting(
        coalition,
        organizer,
        4,
        time(18, 30),
        time(20, 0),
        kind="small_gathering",
        title="House meeting at Rosa's: repairs on Elm Street",
        description="A small gathering of neighbours from 410–430 Elm Street to share what needs fixing.",
        venue="Rosa's apartment, Elm Street",
        address="418 Elm Street, apartment 2B (buzz Delgado)",
        access_notes="Second floor, no elevator. Tell us if you need us to meet downstairs instead.",
        capacity=6,
        childcare=True,
        food="Tamales and coffee",
        campaign_id=campaign_id,
    )
    _answer(house, people["member"], "yes", interpretation_language="es", children=2)
    _answer(house, people["extra0"], "yes", guests=1)
    _answer(house, people["extra1"], "yes", access_needs="Needs to sit near the door")
    _answer(house, people["extra2"], "maybe", dietary="Vegetarian")
    _answer(house, organizer, "yes")
    for title, minutes, who in [
        ("Welcome and introductions", 15, "Rosa Delgado"),
        ("What needs fixing in our buildings", 40, "Omar Haddad"),
        ("Next steps and who calls the landlord", 20, "Maria Santos"),
    ]:
        services.save_agenda_item(house, None, title=title, duration_minutes=minutes, facilitator=who)

    hearing = _meeting(
        coalition,
        organizer,
        10,
        time(17, 0),
        time(19, 0),
        kind="public_action",
        title="City Council hearing: rental inspection ordinance",
        description="Come testify or sit with us in matching shirts. We meet outside 30 minutes before.",
        venue="Riverside City Hall, Council Chambers",
        address="100 Civic Center Plaza, 2nd floor",
        access_notes="Step-free entrance on Oak Street; hearing loop in the chamber.",
        visibility="public",
        interpretation="es, vi",
        campaign_id=campaign_id,
    )
    _answer(hearing, people["member"], "yes", interpretation_language="es")
    _answer(hearing, people["extra3"], "maybe", access_needs="Wheelchair user: step-free route please")
    visitor = Rsvp(
        coalition_id=coalition.id,
        meeting_id=hearing.id,
        visitor_name="Dana Whitfield",
        visitor_email="dana.visitor@example.org",
        seats_held=0,
    )
    db.session.add(visitor)
    rsvps._apply(hearing, visitor, "yes", {"guests": 2})

    monthly = _meeting(
        coalition,
        people["lead"],
        17,
        time(19, 0),
        time(20, 30),
        title="Monthly coalition meeting",
        description="Updates from each partner, the campaign plan, and the next actions.",
        venue="St. Brigid Parish hall, or online",
        address="55 River Road, parish hall (side door)",
        access_notes="Step-free side door; accessible restroom.",
        online_url="https://meet.example.org/riverside-monthly",
        childcare=True,
        food="Soup and bread",
    )
    for title, minutes, who in [
        ("Partner updates", 20, "Lena Ortiz"),
        ("Campaign: where we stand with the council", 30, "Omar Haddad"),
        ("Stories collected this month", 15, "Maria Santos"),
        ("Actions and owners", 15, "Lena Ortiz"),
    ]:
        services.save_agenda_item(monthly, None, title=title, duration_minutes=minutes, facilitator=who)
    _answer(monthly, people["lead"], "yes")
    _answer(monthly, people["extra0"], "yes", children=1)
    _answer(monthly, people["member"], "maybe")


def _past(coalition, people, organizer, member, campaign_id):
    past = _meeting(
        coalition,
        people["lead"],
        -14,
        time(19, 0),
        time(20, 30),
        title="Coalition meeting: planning the hearing",
        venue="St. Brigid Parish hall",
        address="55 River Road, parish hall (side door)",
        campaign_id=campaign_id,
    )
    for person in (organizer, member, people["lead"], people["extra1"]):
        after.set_attended(_answer(past, person, "yes"), True)
    _answer(past, people["extra2"], "yes")  # said yes, did not come
    after.add_walk_in(past, "Mr. Nguyen (from 412 Elm)")
    after.save_minutes(
        past,
        "**Present:** 5 members and one walk-in.\n\n"
        "- The council hearing is set; we want 30 tenants there.\n"
        "- Three tenants are ready to testify about mold and heating.\n",
        people["lead"],
    )
    after.add_decision(past, "We bring 30 tenants to the council hearing.")
    after.add_decision(past, "Spanish interpretation at every coalition meeting from now on.")
    due = _local_day(coalition, 7)
    for title, owner, due_on, status in (
        ("Prepare testimony with three tenants", member, due, "open"),
        ("Book the parish hall for the debrief", organizer, due, "open"),
        ("Print flyers in English and Spanish", organizer, None, "done"),
    ):
        after.save_action_item(past, None, people["lead"], title=title, owner_id=owner.id, due_on=due_on, status=status)
    after.give_feedback(
        past, member, rating=5, worked="Clear plan and good interpretation.", change="", anonymous=False
    )
    after.give_feedback(past, people["extra1"], rating=3, worked="", change="Start on time, please.", anonymous=True)
    after.give_feedback(
        past, organizer, rating=4, worked="Great turnout.", change="More time for questions.", anonymous=False
    )

    workshop = _meeting(
        coalition,
        organizer,
        -30,
        time(18, 0),
        time(20, 0),
        kind="workshop",
        title="Know your rights: repairs and retaliation",
        description="A workshop with the tenant union's legal clinic.",
        venue="Eastside Community Clinic, community room",
        childcare=True,
    )
    for person in (member, people["extra0"], people["extra3"]):
        after.set_attended(_answer(workshop, person, "yes"), True)
    after.save_minutes(workshop, "Slides and the rights handout are in the shared folder.", organizer)
