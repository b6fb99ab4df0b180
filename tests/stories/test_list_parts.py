"""Lists walk the visibility rule in two parts (and tag lists read story_tags): they list exactly what the rule allows.

The expected stories come from `search_stories()`, the plain form of the rule (one WHERE clause with its OR), which
the visibility matrix checks case by case; here every viewer, filter and page of the split form must agree with it.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from coalition.core import pagination
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stories.models import Story
from coalition.stories.queries import search_stories, stories_by_id, visible_story_ids, visible_total
from coalition.stories.rules import visible_clause, visible_parts

VIEWERS = ("storyteller", "member", "organizer", "lead", "outsider", "visitor")
FILTERS = (
    {},
    {"tag": "mould"},
    {"tag": "mould", "campaign": True},
    {"tag": "mould", "status": "approved"},
    {"q": "quokka"},
    {"q": "quokka", "tag": "mould"},
    {"campaign": True},
    {"language": "es"},
)
#: (status, visibility, withdrawn, deleted) of the stories every viewer looks through, each with and without a tag.
STATES = [
    ("approved", "team", False, False),
    ("approved", "members", False, False),
    ("approved", "public", False, False),
    ("submitted", "public", False, False),
    ("returned", "members", False, False),
    ("draft", "public", False, False),
    ("approved", "public", True, False),
    ("approved", "members", True, True),
]


@pytest.fixture
def mixed_stories(coalition, people, make_story, make_campaign, make_coalition):
    """Stories in every state, from the storyteller and from others, tagged or not, in a campaign or not."""
    campaign = make_campaign(coalition)
    start = utcnow() - timedelta(days=30)
    n = 0
    for owner in (people["storyteller"], people["member"], None):
        for status, visibility, withdrawn, deleted in STATES:
            for tags in (["mould", "heat"], ["heat"]):
                n += 1
                story = make_story(
                    coalition,
                    owner,
                    status=status,
                    visibility=visibility,
                    withdrawn=withdrawn,
                    campaign=campaign if n % 2 else None,
                    tags=tags,
                    title=f"Quokka story {n}" if n % 3 else f"Story {n}",
                    language="es" if n % 4 == 0 else "en",
                    created_at=start + timedelta(hours=n % 7),  # ties in time: the id decides
                )
                if deleted:
                    story.deleted_at = utcnow()
                    db.session.commit()
    make_story(make_coalition("Elsewhere too"), None, visibility="public", tags=["mould"], title="Quokka far away")
    return campaign


def _filters(filters: dict, campaign) -> dict:
    filters = dict(filters)
    if filters.pop("campaign", False):
        filters["campaign_id"] = campaign.id
    return filters


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(sorted(f)) or "none")
@pytest.mark.parametrize("viewer", VIEWERS)
def test_listed_stories_are_exactly_what_the_rule_allows_in_list_order(
    viewer, filters, mixed_stories, coalition, people
):
    user = people.get(viewer)
    filters = _filters(filters, mixed_stories)
    expected = [story.id for story in db.session.scalars(search_stories(user, coalition, **filters))]
    listed = list(db.session.scalars(visible_story_ids(user, coalition, **filters)(None)))
    assert listed == expected
    assert sorted(db.session.scalars(visible_story_ids(user, coalition, **filters)(None, False))) == sorted(expected)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_two_parts_never_overlap_and_make_the_whole_rule(viewer, mixed_stories, coalition, people):
    user = people.get(viewer)
    shared, own = visible_parts(user, coalition)
    first = set(db.session.scalars(select(Story.id).where(shared)))
    second = set() if own is None else set(db.session.scalars(select(Story.id).where(own)))
    whole = set(db.session.scalars(select(Story.id).where(visible_clause(user, coalition))))
    assert not first & second
    assert first | second == whole


@pytest.mark.parametrize(("page", "per_page"), [(1, 4), (2, 4), (5, 3), (40, 4)])
def test_pages_of_the_merged_parts_follow_the_list_order(app, page, per_page, mixed_stories, coalition, people):
    user = people["storyteller"]
    expected = [story.id for story in db.session.scalars(search_stories(user, coalition, tag="mould"))]
    with app.test_request_context(f"/?page={page}"):
        result = pagination.paginate(
            stories_by_id(), per_page, ids=visible_story_ids(user, coalition, tag="mould"), count_cap=5
        )
    assert [story.id for story in result.items] == expected[(page - 1) * per_page : page * per_page]
    assert result.total == min(len(expected), max(5, page * per_page) + 1)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_totals_of_the_unfiltered_list_of_a_tag_and_of_a_campaign_are_read_from_the_kept_counts_and_exact(
    viewer, mixed_stories, coalition, people
):
    user = people.get(viewer)
    listed = db.session.scalars(search_stories(user, coalition)).all()
    assert visible_total(user, coalition) == len(listed)
    assert visible_total(user, coalition, q="", tag="", campaign_id=None) == len(listed)
    # A list of one tag reads the kept counts per tag (the tag as the list reads it: "Mould, heat" lists "mould").
    tagged = db.session.scalars(search_stories(user, coalition, tag="mould")).all()
    assert visible_total(user, coalition, tag="mould") == len(tagged) > 0
    assert visible_total(user, coalition, tag=" Mould, heat", q="", campaign_id=None) == len(tagged)
    assert visible_total(user, coalition, tag="no-such-tag") == 0
    # A list of one campaign reads the kept counts per campaign; a status narrows either.
    campaign = mixed_stories.id
    in_campaign = db.session.scalars(search_stories(user, coalition, campaign_id=campaign)).all()
    assert visible_total(user, coalition, campaign_id=campaign, q="", tag="") == len(in_campaign) > 0
    for status in ("approved", "submitted", "draft", "no-such-status"):
        for narrowed in ({}, {"tag": "mould"}, {"campaign_id": campaign}):
            expected = db.session.scalars(search_stories(user, coalition, status=status, **narrowed)).all()
            assert visible_total(user, coalition, status=status, **narrowed) == len(expected), (status, narrowed)
    # Another filter counts its rows: the kept counts know statuses, visibilities, tags and campaigns, not words,
    # languages, or a tag within a campaign.
    assert visible_total(user, coalition, tag="mould", campaign_id=campaign) is None
    assert visible_total(user, coalition, q="quokka") is None
    assert visible_total(user, coalition, language="es") is None


def test_a_campaign_list_of_another_coalitions_campaign_counts_nothing(
    mixed_stories, coalition, people, make_coalition
):
    elsewhere = make_coalition("Yet another")
    assert visible_total(people["organizer"], elsewhere, campaign_id=mixed_stories.id) == 0
    assert visible_total(people["organizer"], coalition, campaign_id=mixed_stories.id) > 0
