"""Hostile input — script tags, HTML, huge bodies, right-to-left text, emoji — is stored and shown safely."""

import pytest
from sqlalchemy import select

from coalition.extensions import db
from coalition.stories.models import Story


def _post(client, coalition, **fields):
    data = {"title": "A story", "body": "Text", "language": "en", "campaign_id": 0, "submit": "y"}
    data.update(fields)
    return client.post(f"/c/{coalition.slug}/stories/new", data=data)


@pytest.fixture
def author(client_for, people):
    return client_for(people["storyteller"])


def test_script_in_title_and_body_is_stored_as_text_and_escaped(author, coalition):
    _post(
        author, coalition, title="<script>alert(1)</script>", body='<script>alert(2)</script><img src=x onerror="x()">'
    )
    story = db.session.scalar(select(Story))
    assert story.title == "<script>alert(1)</script>"
    page = author.get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_markdown_links_with_javascript_are_dropped(author, coalition):
    _post(author, coalition, body="[click](javascript:alert(1)) and [ok](https://example.org)")
    story = db.session.scalar(select(Story))
    page = author.get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    assert 'href="javascript' not in page.lower()
    assert 'href="https://example.org"' in page


def test_a_one_megabyte_body_gets_a_clear_message_and_nothing_is_stored(author, coalition):
    response = _post(author, coalition, body="a" * 1_000_000)
    assert response.status_code == 200
    assert "Please keep your story under 20,000 characters." in response.get_data(as_text=True)
    assert db.session.scalar(select(Story)) is None


def test_a_201_character_title_gets_a_message(author, coalition):
    response = _post(author, coalition, title="t" * 201)
    assert "Please keep the title under 200 characters." in response.get_data(as_text=True)
    assert db.session.scalar(select(Story)) is None


def test_right_to_left_text_and_emoji_are_kept_and_shown_with_auto_direction(author, coalition):
    title = "بيتي 🏠 فيه عفن"
    body = "الجدران مبللة منذ سنة 😢 — שלום"
    _post(author, coalition, title=title, body=body, language="ar")
    story = db.session.scalar(select(Story))
    assert (story.title, story.body) == (title, body)
    page = author.get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    assert title in page and body in page
    assert 'dir="auto"' in page and 'lang="ar"' in page


def test_nul_characters_are_refused_with_a_message(author, coalition):
    response = _post(author, coalition, body="bad\x00byte")
    assert response.status_code == 200
    assert db.session.scalar(select(Story)) is None


def test_formula_in_title_is_neutralised_in_the_export(client_for, people, coalition, make_story):
    make_story(coalition, people["storyteller"], title='=HYPERLINK("http://evil")', visibility="members")
    csv = client_for(people["organizer"]).get(f"/c/{coalition.slug}/stories/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv
