"""Meeting lists: upcoming and past, filters, my meetings, bounded queries."""

from datetime import timedelta

import pytest

from coalition.campaigns.models import Campaign
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings import rsvps
from coalition.meetings.models import MeetingInvite
from tests.meetings.conftest import url


def _index(coalition, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/c/{coalition.slug}/meetings/?{query}"


def test_upcoming_and_past_tabs(client, login, coalition, member, make_meeting):
    make_meeting(title="Next week's meeting")
    make_meeting(title="Last month's meeting", start=utcnow() - timedelta(days=30))
    login(client, member)
    upcoming = client.get(_index(coalition)).get_data(as_text=True)
    past = client.get(_index(coalition, when="past")).get_data(as_text=True)
    assert "Next week&#39;s meeting" in upcoming and "Last month" not in upcoming
    assert "Last month&#39;s meeting" in past and "Next week" not in past


def test_filter_by_kind_and_campaign(client, login, coalition, member, make_meeting):
    from coalition.campaigns.models import Campaign

    campaign = Campaign(coalition_id=coalition.id, title="Repairs now", slug="repairs")
    db.session.add(campaign)
    db.session.commit()
    make_meeting(title="Workshop on rights", kind="workshop")
    make_meeting(title="Campaign planning", campaign_id=campaign.id)
    login(client, member)
    by_kind = client.get(_index(coalition, kind="workshop")).get_data(as_text=True)
    assert "Workshop on rights" in by_kind and "Campaign planning" not in by_kind
    by_campaign = client.get(_index(coalition, campaign=campaign.id)).get_data(as_text=True)
    assert "Campaign planning" in by_campaign and "Workshop on rights" not in by_campaign
    assert client.get(_index(coalition, kind="nonsense", campaign="abc")).status_code == 200


def test_invite_only_meetings_are_listed_only_for_invitees_and_organizers(
    client, login, coalition, organizer, member, make_member, make_meeting
):
    meeting = make_meeting(title="Secret strategy session", visibility="invite_only")
    invited = make_member(coalition, "member")
    db.session.add(MeetingInvite(coalition_id=coalition.id, meeting_id=meeting.id, user_id=invited.id))
    db.session.commit()
    for person, sees in [(member, False), (invited, True), (organizer, True)]:
        login(client, person)
        assert ("Secret strategy session" in client.get(_index(coalition)).get_data(as_text=True)) == sees
        client.post("/account/logout")


def test_my_meetings_lists_yes_and_maybe(client, login, coalition, member, make_meeting):
    going, maybe, declined = make_meeting(title="Going"), make_meeting(title="Perhaps"), make_meeting(title="Declined")
    make_meeting(title="Unanswered")
    rsvps.rsvp_member(going, member, "yes")
    rsvps.rsvp_member(maybe, member, "maybe")
    rsvps.rsvp_member(declined, member, "no")
    db.session.commit()
    login(client, member)
    page = client.get(f"/c/{coalition.slug}/meetings/mine").get_data(as_text=True)
    assert "Going" in page and "Perhaps" in page
    assert "Declined" not in page and "Unanswered" not in page


def test_list_is_paginated(client, login, coalition, member, make_meeting, app):
    for n in range(app.config["PER_PAGE"] + 2):
        make_meeting(title=f"Meeting number {n:02d}", start=utcnow() + timedelta(days=1, hours=n))
    login(client, member)
    first = client.get(_index(coalition)).get_data(as_text=True)
    second = client.get(_index(coalition, page=2)).get_data(as_text=True)
    assert "Meeting number 00" in first and "Meeting number 26" not in first
    assert "Meeting number 26" in second


def test_a_deep_page_of_past_meetings_lists_the_next_ones_newest_first_and_no_hidden_one(
    client, login, coalition, member, make_meeting, app, count_queries
):
    """Pages walk the meetings' ids first, then load the page's meetings: the order and what a member may see hold."""
    start = (utcnow() - timedelta(days=60)).replace(second=0, microsecond=0)
    for n in range(app.config["PER_PAGE"] + 5):
        make_meeting(title=f"Past meeting {n:02d}", start=start + timedelta(hours=n))
    make_meeting(
        title="Secret strategy session", start=start + timedelta(hours=3, minutes=30), visibility="invite_only"
    )
    login(client, member)
    with count_queries() as counter:
        second = client.get(_index(coalition, when="past", page=2)).get_data(as_text=True)
    shown = [f"Past meeting {n:02d}" for n in range(4, -1, -1)]  # the five oldest, newest first
    assert [second.index(title) for title in shown] == sorted(second.index(title) for title in shown)
    assert "Past meeting 05" not in second and "Secret strategy session" not in second
    assert "30 in all" in second
    full_rows = [sql for sql in counter.statements if "meetings.description" in sql]
    assert full_rows and not any("OFFSET" in sql for sql in full_rows)  # only ids are skipped past


def _fill(coalition, make_meeting, member, count, past=False):
    """`count` meetings of a campaign, each answered yes by `member`."""
    from coalition.campaigns.models import Campaign
    from coalition.meetings.models import Rsvp

    campaign = Campaign(coalition_id=coalition.id, title="C", slug=f"c{count}")
    db.session.add(campaign)
    db.session.commit()
    for n in range(count):
        start = utcnow() + timedelta(days=-10 if past else 3, hours=n)
        meeting = make_meeting(title=f"M{n}", campaign_id=campaign.id, capacity=5, start=start)
        rsvp = Rsvp(coalition_id=coalition.id, meeting_id=meeting.id, user_id=member.id, seats_held=0)
        db.session.add(rsvp)
        rsvps._apply(meeting, rsvp, "yes", {})
    db.session.commit()


@pytest.mark.parametrize("page", ["/", "/mine", "/?when=past", "/mine?when=past"])
def test_list_queries_do_not_grow_with_rows(client, login, app, coalition, member, make_meeting, count_queries, page):
    # One page holds everything, so the pager's count query (skipped for a short first page) does not differ.
    app.config["PER_PAGE"], saved = 50, app.config["PER_PAGE"]
    past = "past" in page
    try:
        login(client, member)
        _fill(coalition, make_meeting, member, 3, past)
        with count_queries() as few:
            assert client.get(f"/c/{coalition.slug}/meetings{page}").status_code == 200
        _fill(coalition, make_meeting, member, 27, past)
        with count_queries() as many:
            assert client.get(f"/c/{coalition.slug}/meetings{page}").get_data(as_text=True).count("M26") == 1
        assert many.count == few.count
    finally:
        app.config["PER_PAGE"] = saved


def test_dashboard_panel_queries_do_not_grow(client, login, coalition, member, make_meeting, count_queries):
    login(client, member)
    _fill(coalition, make_meeting, member, 3)
    with count_queries() as few:
        client.get(f"/c/{coalition.slug}/")
    _fill(coalition, make_meeting, member, 27)
    with count_queries() as many:
        client.get(f"/c/{coalition.slug}/")
    assert many.count == few.count


def test_meeting_page_queries_do_not_grow_with_attendees(
    client, login, coalition, organizer, make_member, make_meeting, count_queries
):
    meeting = make_meeting()
    for _ in range(3):
        rsvps.rsvp_member(meeting, make_member(coalition, "member"), "yes", access_needs="Ramp")
    db.session.commit()
    login(client, organizer)
    page = f"/c/{coalition.slug}/meetings/{meeting.id}"
    with count_queries() as few:
        client.get(page)
    for _ in range(20):
        rsvps.rsvp_member(meeting, make_member(coalition, "member"), "maybe", dietary="Vegan")
    db.session.commit()
    with count_queries() as many:
        client.get(page)
    assert many.count == few.count


def test_meeting_page_runs_the_same_statements_with_or_without_a_campaign(
    client, login, coalition, member, make_meeting, count_queries
):
    """The meeting's campaign comes with the meeting: a meeting of a campaign costs no extra statement."""
    campaign = Campaign(coalition_id=coalition.id, title="Repairs now", slug="repairs-now")
    db.session.add(campaign)
    db.session.commit()
    login(client, member)
    counts, pages = [], []
    for meeting in (make_meeting(), make_meeting(campaign_id=campaign.id)):
        client.get(url(meeting))  # the first page after logging in also notes the log-in session's use
        with count_queries() as seen:
            pages.append(client.get(url(meeting)).get_data(as_text=True))
        counts.append(seen.count)
    assert "Repairs now" not in pages[0] and "Repairs now" in pages[1]
    assert counts[0] == counts[1]
