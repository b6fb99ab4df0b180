"""The meetings of the benchmark dataset: RSVPs with seats and waitlists, agendas, action items (context:
`coalition.core.bulk`)."""

from datetime import timedelta

from coalition.core.bulk import NEIGHBOURHOODS, PLACES, TOPICS, insert_rows, scaled
from coalition.meetings.models import ActionItem, AgendaItem, Meeting, Rsvp

#: Meetings and RSVPs per unit of scale, and the fewest meetings at any scale.
MEETINGS, RSVPS, MINIMUM_MEETINGS = 2_000, 50_000, 12
MEETING_KINDS = ["coalition_meeting", "community_meeting", "small_gathering", "workshop", "public_action"]


def bench_rows(ctx) -> None:
    """Insert the meetings, the first a big upcoming one everybody answered, with RSVPs, agendas and actions."""
    rng, now, coalition_id = ctx["rng"], ctx["now"], ctx["coalition_id"]
    total = scaled(MEETINGS, ctx["scale"], MINIMUM_MEETINGS)
    meetings = []
    for i in range(total):
        start = now + timedelta(hours=rng.randint(-730 * 24, 180 * 24))
        if i == 0:  # the big upcoming meeting the benchmark opens: everybody answered
            start = now + timedelta(days=10)
        meetings.append(
            {
                "coalition_id": coalition_id,
                "campaign_id": rng.choice(ctx["campaigns"]) if rng.random() < 0.7 else None,
                "kind": "community_meeting" if i == 0 else rng.choice(MEETING_KINDS),
                "title": "Big assembly" if i == 0 else f"{rng.choice(TOPICS).capitalize()} meeting {i}",
                "description": ctx["text"].body(10, 40),
                "start_at": start,
                "end_at": start + timedelta(minutes=rng.choice([60, 90, 120])),
                "timezone": "America/Chicago",
                "venue": f"{rng.choice(NEIGHBOURHOODS)} community hall",
                "address": f"{rng.randint(1, 999)} {rng.choice(PLACES).capitalize()} Street",
                "capacity": None,
                "seats_taken": 0,
                "visibility": "members" if i == 0 else rng.choices(["public", "members", "invite_only"], [2, 7, 1])[0],
                "languages": "en, es",
                "interpretation": "es, vi" if rng.random() < 0.5 or i == 0 else "",
                "childcare": rng.random() < 0.4,
                "status": "cancelled" if rng.random() < 0.03 and i else "scheduled",
                "created_by_id": rng.choice(ctx["team"]),
            }
        )
    rsvps, seats, capacities = _rsvps(ctx, meetings)
    for meeting, taken, capacity in zip(meetings, seats, capacities, strict=True):
        meeting.update(seats_taken=taken, capacity=capacity)
    meeting_ids = insert_rows(Meeting, meetings, returning=True)
    _insert_rsvps(ctx, meeting_ids, rsvps)
    agenda = [
        {"coalition_id": coalition_id, "meeting_id": mid, "position": p, "title": t, "duration_minutes": 20}
        for mid in meeting_ids
        for p, t in enumerate(("Welcome", "Updates", "Next steps"), start=1)
    ]
    insert_rows(AgendaItem, agenda)
    actions = [
        {
            "coalition_id": coalition_id,
            "meeting_id": mid,
            "title": f"Follow up on {rng.choice(TOPICS)}",
            "owner_id": rng.choice(ctx["users"]),
            "due_on": (now + timedelta(days=rng.randint(-60, 30))).date(),
            "status": rng.choice(["open", "done"]),
        }
        for mid, meeting in zip(meeting_ids, meetings, strict=True)
        if meeting["start_at"] < now and rng.random() < 0.3
    ]
    insert_rows(ActionItem, actions)
    ctx["meetings"] = meeting_ids
    ctx["counts"].update(meetings=len(meeting_ids), rsvps=len(rsvps))


def _rsvps(ctx, meetings):
    """RSVP rows per meeting index, with seats and a waitlist that respect each meeting's capacity."""
    rng, now = ctx["rng"], ctx["now"]
    people = ctx["users"]
    budget = round(RSVPS * ctx["scale"])
    big = min(len(people), 1_000)
    average = max(1, (budget - big) // max(1, len(meetings) - 1))
    rows, seats, capacities = [], [], []
    for index, meeting in enumerate(meetings):
        count = big if index == 0 else min(len(people), rng.randint(max(1, average // 4), average * 7 // 4))
        capacity = big // 2 if index == 0 else (rng.randint(15, 60) if rng.random() < 0.2 else None)
        taken = 0
        for position, user_id in enumerate(rng.sample(people, count)):
            response = rng.choices(["yes", "maybe", "no"], [6, 2, 2])[0]
            guests = rng.choice([0, 0, 0, 0, 1, 2]) if response == "yes" else 0
            need = 1 + guests
            waitlisted = response == "yes" and capacity is not None and taken + need > capacity
            held = need if response == "yes" and not waitlisted else 0
            taken += held
            answered = meeting["start_at"] - timedelta(days=7, minutes=-position)
            rows.append(
                {
                    "meeting_index": index,
                    "user_id": user_id,
                    "response": response,
                    "waitlisted": waitlisted,
                    "waitlisted_at": answered if waitlisted else None,
                    "seats_held": held,
                    "guests": guests,
                    "interpretation_language": rng.choice(["es", "vi"])
                    if meeting["interpretation"] and rng.random() < 0.15
                    else "",
                    "children": rng.randint(1, 3) if rng.random() < 0.1 else 0,
                    "access_needs": "Step-free access" if rng.random() < 0.05 else "",
                    "dietary": "Vegetarian" if rng.random() < 0.1 else "",
                    "attended": held > 0 and meeting["start_at"] < now and rng.random() < 0.7,
                    "created_at": answered,
                    "updated_at": answered,
                }
            )
        seats.append(taken)
        capacities.append(capacity)
    return rows, seats, capacities


def _insert_rsvps(ctx, meeting_ids, rows) -> None:
    for row in rows:
        row["meeting_id"] = meeting_ids[row.pop("meeting_index")]
        row["coalition_id"] = ctx["coalition_id"]
    insert_rows(Rsvp, rows)
