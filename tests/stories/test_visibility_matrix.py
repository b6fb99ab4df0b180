"""The visibility matrix: viewer × consent and state × every place a story can appear.

Expectations are written out case by case (not derived from the code under test).
"""

import pytest

from coalition.stories.queries import campaign_story_counts

VIEWERS = ("visitor", "storyteller", "member", "organizer", "lead", "outsider")
TEAM = {"organizer", "lead"}

#: case -> (story settings, who sees it on member pages (page, list, search), visible on the public pages)
CASES = {
    "approved_team": (dict(status="approved", visibility="team"), {"storyteller", *TEAM}, False),
    "approved_members": (dict(status="approved", visibility="members"), {"storyteller", "member", *TEAM}, False),
    "approved_public": (dict(status="approved", visibility="public"), {"storyteller", "member", *TEAM}, True),
    "submitted_public": (dict(status="submitted", visibility="public"), {"storyteller", *TEAM}, False),
    "returned_members": (dict(status="returned", visibility="members"), {"storyteller", *TEAM}, False),
    "draft_public": (dict(status="draft", visibility="public"), {"storyteller"}, False),
    "withdrawn_public": (dict(status="approved", visibility="public", withdrawn=True), {"storyteller"}, False),
}
PLACES = ("page", "list", "search", "export", "public_list", "public_page")

TITLE = "Quokka testimony"


def _expected(viewer, case, place) -> bool:
    settings, member_viewers, public = CASES[case]
    if place in ("public_list",):
        return public
    if place == "public_page":
        # Visitors and people of other coalitions reach the story page as the public; members by the member rules.
        return public if viewer in ("visitor", "outsider") else viewer in member_viewers
    if place == "export":
        return viewer in TEAM and viewer in member_viewers
    if viewer in ("visitor", "outsider"):
        return place == "page" and public
    return viewer in member_viewers


def _seen(client, coalition, story, place) -> bool:
    base = f"/c/{coalition.slug}/stories"
    url = {
        "page": f"{base}/{story.id}",
        "public_page": f"{base}/{story.id}",
        "list": f"{base}/",
        "search": f"{base}/?q=quokka",
        "export": f"{base}/export.csv",
        "public_list": f"{base}/public?q=quokka",
    }[place]
    response = client.get(url)
    if response.status_code in (302, 403, 404):  # 302: visitors are sent to the log-in page
        assert response.status_code != 302 or "/account/login" in response.location
        return False
    assert response.status_code == 200, (place, response.status_code)
    return TITLE in response.get_data(as_text=True)


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_story_visibility(viewer, case, place, client_for, coalition, people, make_story):
    settings, _members, _public = CASES[case]
    story = make_story(coalition, people["storyteller"], title=TITLE, body="A quokka lives here.", **settings)
    client = client_for(None if viewer == "visitor" else people[viewer])
    assert _seen(client, coalition, story, place) is _expected(viewer, case, place)


@pytest.mark.parametrize("case", CASES)
def test_campaign_count_counts_only_approved_stories_still_shared(case, coalition, people, make_story, make_campaign):
    settings, _members, _public = CASES[case]
    campaign = make_campaign(coalition)
    make_story(coalition, people["storyteller"], campaign=campaign, **settings)
    counted = settings["status"] == "approved" and not settings.get("withdrawn")
    assert campaign_story_counts([campaign.id]).get(campaign.id, 0) == (1 if counted else 0)


def test_another_coalitions_story_id_answers_404(client_for, coalition, people, make_story, make_coalition):
    elsewhere = make_coalition("Elsewhere Two")
    story = make_story(elsewhere, None, visibility="public")
    client = client_for(people["lead"])
    assert client.get(f"/c/{coalition.slug}/stories/{story.id}").status_code == 404
    assert client.get(f"/c/{coalition.slug}/stories/{story.id}/edit").status_code == 404
    assert (
        client.post(f"/c/{coalition.slug}/stories/{story.id}/review", data={"decision": "approve"}).status_code == 404
    )
