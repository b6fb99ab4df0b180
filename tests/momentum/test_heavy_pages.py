"""The heaviest pages (issue 13) run a fixed number of SQL statements, however much data they show: the dashboards
of each role and the organizer's meeting page with its needs summary and answers."""

from datetime import timedelta

from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings.attendance import ANSWERS_PER_PAGE
from coalition.meetings.models import AgendaItem, MeetingVisibility, WalkIn
from coalition.stories.models import Story, StoryExcerpt, StoryShare, StoryStatus
from tests.momentum.conftest import numbered_visitor_rsvp, statements_of

#: Statements of one request, the fixed ones (the coalition, the log-in session, the memberships) included.
DASHBOARD = {"lead": 18, "organizer": 14, "member": 8}  # counted stories come with the tallies; membership in one
MEETING_PAGE = 6  # the meeting, its campaign and the viewer's own answer in one statement

LANGUAGES = ("Spanish", "Vietnamese", "Arabic", "")


def _add(world, meeting, start: int, stop: int) -> None:
    """Stories of the member (with excerpts and shares), stories waiting for review, answers with needs."""
    campaign = world["campaign"]
    for n in range(start, stop):
        story = Story(
            coalition_id=campaign.coalition_id,
            campaign_id=campaign.id,
            storyteller_id=world["member"].id,
            title=f"Story {n}",
            body="What happened.",
            status=(StoryStatus.APPROVED, StoryStatus.SUBMITTED)[n % 2],
            submitted_at=utcnow() - timedelta(hours=n),
        )
        db.session.add(story)
        db.session.flush()
        db.session.add(StoryShare(coalition_id=story.coalition_id, story_id=story.id, recipient_name=f"Ruiz {n}"))
        db.session.add(StoryExcerpt(coalition_id=story.coalition_id, story_id=story.id, body="Short."))
        db.session.add(
            numbered_visitor_rsvp(
                meeting,
                n,
                waitlisted=n % 7 == 6,
                guests=n % 2,
                children=n % 3,
                interpretation_language=LANGUAGES[n % len(LANGUAGES)],
                access_needs="Step-free access" if n % 4 == 0 else "",
                dietary="Vegetarian" if n % 5 == 0 else "",
            )
        )
        db.session.add(AgendaItem(coalition_id=meeting.coalition_id, meeting_id=meeting.id, position=n, title="Item"))
        db.session.add(WalkIn(coalition_id=meeting.coalition_id, meeting_id=meeting.id, name=f"Walk-in {n}"))
    db.session.commit()


def test_dashboards_and_meeting_page_run_fixed_statements_with_5_and_60_stories_and_answers(
    world, app, login, count_queries, add_meeting
):
    coalition = world["coalition"]
    meeting = add_meeting(world["campaign"], utcnow() + timedelta(days=2), visibility=MeetingVisibility.PUBLIC)
    clients = {}
    for role in ("lead", "organizer", "member"):
        clients[role] = app.test_client()
        login(clients[role], world[role])
    meeting_url = f"/c/{coalition.slug}/meetings/{meeting.id}"

    for start, stop in ((0, 5), (5, 60)):
        _add(world, meeting, start, stop)
        counts = {role: statements_of(clients[role], f"/c/{coalition.slug}/", count_queries)[0] for role in DASHBOARD}
        counts["meeting page"], page = statements_of(clients["organizer"], meeting_url, count_queries)

        assert counts == {**DASHBOARD, "meeting page": MEETING_PAGE}, stop
        assert page.count("(visitor)") == min(stop, ANSWERS_PER_PAGE)  # a page of answers; the pager has the rest
        assert f"{stop} in all" in page or stop <= ANSWERS_PER_PAGE


def test_member_dashboard_lists_her_latest_stories_shares_and_excerpts_in_order(world, app, login, add_meeting):
    coalition = world["coalition"]
    meeting = add_meeting(world["campaign"], utcnow() + timedelta(days=2))
    _add(world, meeting, 0, 8)
    stories = {s.title: s for s in db.session.scalars(db.select(Story))}
    for n, title in enumerate(sorted(stories)):  # shares and excerpts of later stories made earlier
        share = db.session.scalar(db.select(StoryShare).where(StoryShare.story_id == stories[title].id))
        share.shared_at = utcnow() - timedelta(days=n)
        excerpt = db.session.scalar(db.select(StoryExcerpt).where(StoryExcerpt.story_id == stories[title].id))
        excerpt.created_at = utcnow() - timedelta(days=n)
        stories[title].created_at = utcnow() - timedelta(days=10 - n)
    db.session.commit()
    client = app.test_client()
    login(client, world["member"])

    page = client.get(f"/c/{coalition.slug}/").get_data(as_text=True)

    newest_stories = [f">Story {n}</a>" for n in (7, 6, 5, 4, 3)]
    oldest_excerpts = [f"An excerpt of “Story {n}” waits" for n in (7, 6, 5, 4, 3)]
    latest_shares = [f">Story {n}</a>:" for n in (0, 1, 2, 3, 4)]
    for expected in (newest_stories, oldest_excerpts, latest_shares):
        positions = [page.index(text) for text in expected]
        assert positions == sorted(positions), expected
    assert "Story 2</a> <span" not in page and "“Story 2”" not in page and ">Story 5</a>:" not in page
