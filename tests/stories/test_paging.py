"""Large lists: the tag filter reads story_tags, pages load by id in list order, counts stop at a cap."""

import pytest
from sqlalchemy import select

from coalition.core import pagination
from coalition.extensions import db
from coalition.stories import services
from coalition.stories.models import StoryTag
from coalition.stories.queries import search_stories, stories_by_id, story_ids


def _tag_rows(story):
    return sorted(db.session.scalars(select(StoryTag.tag).where(StoryTag.story_id == story.id)))


def _tagged(viewer, coalition, tag):
    return [s.title for s in db.session.scalars(search_stories(viewer, coalition, tag=tag))]


def test_editing_tags_moves_the_story_between_tag_filters(make_story, coalition, people):
    story = make_story(coalition, people["storyteller"], visibility="members", tags=["mould", "heat"])
    services.update_story(story, people["storyteller"], {"tags": "heat, rats"})
    db.session.commit()
    assert _tag_rows(story) == ["heat", "rats"]
    assert _tagged(people["member"], coalition, "mould") == []
    assert _tagged(people["member"], coalition, "rats") == [story.title]


def test_tag_rows_belong_to_the_story_coalition(make_story, coalition, people):
    story = make_story(coalition, people["storyteller"], tags=["mould"])
    assert db.session.scalar(select(StoryTag.coalition_id).where(StoryTag.story_id == story.id)) == coalition.id


def test_tag_filter_does_not_find_stories_of_another_coalition(make_story, make_coalition, coalition, people):
    make_story(make_coalition("Elsewhere too"), None, tags=["mould"])
    assert _tagged(people["organizer"], coalition, "mould") == []


def test_deleting_a_story_erases_its_tags(make_story, coalition, people):
    story = make_story(coalition, people["storyteller"], tags=["mould"])
    services.delete_story(story, people["storyteller"])
    db.session.commit()
    assert _tag_rows(story) == []


def test_deep_page_shows_the_right_stories_newest_first(client_for, make_story, coalition, people):
    for i in range(30):
        make_story(coalition, people["storyteller"], title=f"Leak number {i:02d}", visibility="members")
    page = client_for(people["member"]).get(f"/c/{coalition.slug}/stories/?q=leak&page=2").get_data(as_text=True)
    titles = [f"Leak number {i:02d}" for i in range(5)]
    assert [t for t in titles if t in page] == titles
    assert page.index(titles[4]) < page.index(titles[0])
    assert "30 in all" in page


def test_a_filtered_count_over_the_cap_says_more_than(client_for, make_story, coalition, people, monkeypatch):
    monkeypatch.setattr("coalition.stories.views.COUNT_CAP", 26)
    for i in range(30):
        make_story(coalition, people["storyteller"], title=f"Leak number {i:02d}", visibility="members")
    client = client_for(people["member"])
    # A language is a filter the kept counts do not know: the list counts its rows, up to the cap.
    first = client.get(f"/c/{coalition.slug}/stories/?language=en").get_data(as_text=True)
    second = client.get(f"/c/{coalition.slug}/stories/?language=en&page=2").get_data(as_text=True)
    assert "More than 26" in first and "in all" not in first
    assert "Leak number 00" in second and 'rel="next"' not in second


def test_a_list_of_one_campaign_or_status_says_its_exact_total_past_the_cap(
    client_for, make_story, make_campaign, coalition, people, monkeypatch
):
    monkeypatch.setattr("coalition.stories.views.COUNT_CAP", 26)
    campaign = make_campaign(coalition)
    for i in range(30):
        make_story(
            coalition, people["storyteller"], title=f"Leak number {i:02d}", visibility="members", campaign=campaign
        )
    make_story(coalition, people["storyteller"], title="Kept to the team", campaign=campaign)  # not the member's
    make_story(coalition, people["storyteller"], title="Elsewhere", visibility="members")  # in no campaign
    make_story(coalition, people["member"], title="My own draft", status="draft", campaign=campaign)  # theirs alone
    client = client_for(people["member"])
    in_campaign = client.get(f"/c/{coalition.slug}/stories/?campaign={campaign.id}").get_data(as_text=True)
    assert "31 in all" in in_campaign and "More than" not in in_campaign
    approved = client.get(f"/c/{coalition.slug}/stories/?status=approved").get_data(as_text=True)
    assert "31 in all" in approved and "More than" not in approved
    drafts = client.get(f"/c/{coalition.slug}/stories/?status=draft&campaign={campaign.id}").get_data(as_text=True)
    assert "My own draft" in drafts and "Leak number" not in drafts


def test_the_unfiltered_list_says_its_exact_total_past_the_cap(client_for, make_story, coalition, people, monkeypatch):
    monkeypatch.setattr("coalition.stories.views.COUNT_CAP", 26)
    for i in range(30):
        make_story(coalition, people["storyteller"], title=f"Leak number {i:02d}", visibility="members")
    make_story(coalition, people["storyteller"], title="Kept to the team")  # not the member's to see
    make_story(coalition, people["member"], title="My own draft", status="draft")  # theirs alone
    first = client_for(people["member"]).get(f"/c/{coalition.slug}/stories/").get_data(as_text=True)
    assert "31 in all" in first and "More than" not in first


@pytest.mark.parametrize(("page", "total", "capped"), [(1, 11, True), (3, 30, False)])
def test_capped_count_reaches_past_the_current_page(app, page, total, capped, make_story, coalition, people):
    for i in range(30):
        make_story(coalition, people["storyteller"], title=f"Story {i}")
    with app.test_request_context(f"/?page={page}"):
        found = search_stories(people["organizer"], coalition)
        result = pagination.paginate(stories_by_id(), 10, ids=story_ids(found), count_cap=10)
    assert (result.total, result.total_is_capped, len(result.items)) == (total, capped, 10)


@pytest.fixture
def shallow_search(app, monkeypatch):
    """Searches browsable 10 stories deep, 5 a page."""
    monkeypatch.setattr("coalition.stories.views.SEARCH_COUNT_CAP", 10)
    monkeypatch.setitem(app.config, "PER_PAGE", 5)


def test_search_results_stop_at_their_depth_and_say_how_to_find_the_others(
    shallow_search, client_for, make_story, coalition, people
):
    for i in range(30):
        make_story(coalition, people["storyteller"], title=f"Leak number {i:02d}", visibility="members")
    client = client_for(people["member"])
    url = f"/c/{coalition.slug}/stories/?q=leak"
    last = client.get(url + "&page=2").get_data(as_text=True)
    assert "Leak number 24" in last and "Leak number 20" in last and "Leak number 19" not in last
    assert 'rel="next"' not in last and "More than 10" in last
    assert "Search results stop after 10 stories. Add words or filters" in last
    beyond = client.get(url + "&page=40").get_data(as_text=True)
    assert "Leak number" not in beyond
    assert "Search results stop after 10 stories, so this page is empty." in beyond
    assert f'href="/c/{coalition.slug}/stories/?q=leak&amp;page=1"' in beyond


def test_a_short_search_is_not_told_to_narrow_down(shallow_search, client_for, make_story, coalition, people):
    for i in range(7):
        make_story(coalition, people["storyteller"], title=f"Leak number {i:02d}", visibility="members")
    client = client_for(people["member"])
    page = client.get(f"/c/{coalition.slug}/stories/?q=leak&page=2").get_data(as_text=True)
    assert "Leak number 00" in page and "7 in all" in page and "Search results stop" not in page


def test_a_deep_search_page_runs_the_same_statements_however_many_matches(
    shallow_search, client_for, make_story, coalition, people, count_queries
):
    client = client_for(people["member"])
    counts = []
    for batch in (12, 40):
        for i in range(batch):
            make_story(coalition, people["storyteller"], title=f"Leak {batch} {i}", visibility="members")
        for page in (2, 50):
            with count_queries() as counter:
                client.get(f"/c/{coalition.slug}/stories/?q=leak&page={page}")
            counts.append(counter.count)
    assert counts[:2] == counts[2:]
