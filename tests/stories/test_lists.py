"""Lists run a bounded number of queries; the dashboard panel shows my stories and the review queue."""

import pytest


def _seed(make_story, coalition, storyteller, count, make_campaign):
    campaign = make_campaign(coalition, title=f"Campaign {count}", slug=f"campaign-{count}")
    for i in range(count):
        make_story(coalition, storyteller, title=f"Story {i}", visibility="members", campaign=campaign, tags=["mould"])


@pytest.mark.parametrize("path", ["/", "/?q=story", "/?mine=1", "/public", "/export.csv"])
def test_list_queries_do_not_grow_with_rows(
    client_for, coalition, people, make_story, make_campaign, count_queries, path
):
    client = client_for(people["storyteller"] if "mine" in path else people["organizer"])
    url = f"/c/{coalition.slug}/stories{path}"
    _seed(make_story, coalition, people["storyteller"], 3, make_campaign)
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _seed(make_story, coalition, people["storyteller"], 30, make_campaign)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    # Three stories fit a page, which is then the list's last and gives its size; 33 are counted, unless the list
    # knows its total from the kept counts (the unfiltered list) or counts nothing (the public page, the export).
    counted = 1 if path in ("/?q=story", "/?mine=1") else 0
    assert many.count == few.count + counted, "\n".join(s[:150] for s in many.statements)


def test_dashboard_panel_shows_my_stories_and_for_organizers_the_review_queue(
    client_for, coalition, people, make_story
):
    make_story(coalition, people["storyteller"], title="My roof story", status="submitted")
    mine = client_for(people["storyteller"]).get(f"/c/{coalition.slug}/").get_data(as_text=True)
    assert "My roof story" in mine and "Waiting for review" in mine
    organizer = client_for(people["organizer"]).get(f"/c/{coalition.slug}/").get_data(as_text=True)
    assert "1 story waits for review" in organizer
    member = client_for(people["member"]).get(f"/c/{coalition.slug}/").get_data(as_text=True)
    assert "waits for review" not in member and "My roof story" not in member
