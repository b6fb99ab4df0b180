"""Deleting a story for good asks first, on a page that says what cannot be undone; withdrawing and deleting look
different (secondary and danger buttons)."""

import re

from coalition.extensions import db
from coalition.stories.models import Story
from tests.stories.test_intake import _manage_path, _share


def _buttons(html: str) -> dict[str, str]:
    """Each button or button-styled link's text → its class."""
    found = re.findall(r'<(?:button|a) [^>]*class="(button[^"]*)"[^>]*>([^<]+)<', html)
    return {text.strip(): classes for classes, text in found}


def test_story_page_links_delete_to_a_confirmation_and_withdraw_is_secondary(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"])
    html = client_for(people["storyteller"]).get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    buttons = _buttons(html)
    assert buttons["Withdraw my story"] == "button secondary"
    assert buttons["Delete my story for good"] == "button danger"
    assert f'<a class="button danger" href="/c/{coalition.slug}/stories/{story.id}/delete">' in html


def test_delete_confirmation_says_what_cannot_be_undone_and_deletes_nothing(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"])
    response = client_for(people["storyteller"]).get(f"/c/{coalition.slug}/stories/{story.id}/delete")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This cannot be undone" in html
    assert "erased for good" in html
    assert f'<form method="post" action="/c/{coalition.slug}/stories/{story.id}/delete"' in html
    assert "Yes, delete my story for good" in _buttons(html)
    assert f'href="/c/{coalition.slug}/stories/{story.id}">No, go back</a>' in html
    db.session.expire_all()
    assert db.session.get(Story, story.id).body


def test_confirmed_delete_erases_the_story(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"])
    client_for(people["storyteller"]).post(f"/c/{coalition.slug}/stories/{story.id}/delete")
    db.session.expire_all()
    assert db.session.get(Story, story.id).is_deleted


def test_only_the_storyteller_gets_the_delete_confirmation(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"], visibility="members")
    for role in ("member", "organizer", "lead"):
        assert client_for(people[role]).get(f"/c/{coalition.slug}/stories/{story.id}/delete").status_code in (403, 404)


def test_private_link_delete_asks_first_too(client, coalition, make_campaign):
    campaign = make_campaign(coalition)
    manage = _manage_path(_share(client, coalition, campaign))
    html = client.get(manage).get_data(as_text=True)
    assert _buttons(html)["Withdraw my story"] == "button secondary"
    assert f'<a class="button danger" href="{manage}/delete">' in html
    confirm = client.get(f"{manage}/delete").get_data(as_text=True)
    assert "This cannot be undone" in confirm and f'action="{manage}/delete"' in confirm
    assert not db.session.query(Story).one().is_deleted
