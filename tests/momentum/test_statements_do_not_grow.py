"""The dashboards and the campaign page run the same SQL statements with 10 stories and RSVPs as with 200: their
numbers come from kept counts and indexes, not from one more query per row."""

from datetime import timedelta

from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.meetings.models import MeetingVisibility
from coalition.stories.models import Story, StoryStatus
from tests.momentum.conftest import numbered_visitor_rsvp, statements_of

STATUSES = (StoryStatus.APPROVED, StoryStatus.SUBMITTED, StoryStatus.APPROVED, StoryStatus.DRAFT)


def _add(campaign, meetings, start: int, stop: int) -> None:
    """Stories (members' and visitors') and RSVPs numbered start..stop-1, in every state the numbers look at."""
    for n in range(start, stop):
        db.session.add(
            Story(
                coalition_id=campaign.coalition_id,
                campaign_id=campaign.id,
                title=f"Story {n}",
                body="What happened.",
                status=STATUSES[n % len(STATUSES)],
                submitted_at=utcnow() - timedelta(hours=n),
                intake_email=f"teller{n}@example.org",
            )
        )
        db.session.add(numbered_visitor_rsvp(meetings[n % len(meetings)], n))
    db.session.commit()


def _statements(pages, count_queries) -> dict[str, int]:
    return {name: statements_of(client, url, count_queries)[0] for name, (client, url) in pages.items()}


def test_dashboards_and_campaign_page_run_the_same_statements_with_10_and_200_stories_and_rsvps(
    world, app, login, count_queries, add_meeting
):
    coalition, campaign = world["coalition"], world["campaign"]
    now = utcnow()
    meetings = [
        add_meeting(campaign, now - timedelta(days=9), title="Held", visibility=MeetingVisibility.PUBLIC),
        add_meeting(campaign, now + timedelta(days=2), title="This week", visibility=MeetingVisibility.PUBLIC),
        add_meeting(campaign, now + timedelta(days=30), title="Later", visibility=MeetingVisibility.PUBLIC),
    ]
    pages = {}
    for role in ("lead", "organizer", "member"):
        client = app.test_client()
        login(client, world[role])
        pages[f"dashboard ({role})"] = (client, f"/c/{coalition.slug}/")
        pages[f"campaign page ({role})"] = (client, f"/c/{coalition.slug}/campaigns/{campaign.id}")
    pages["public campaign page"] = (app.test_client(), f"/c/{coalition.slug}/campaigns/public/{campaign.slug}")

    _add(campaign, meetings, 0, 10)
    small = _statements(pages, count_queries)
    _add(campaign, meetings, 10, 200)
    large = _statements(pages, count_queries)

    assert large == small
