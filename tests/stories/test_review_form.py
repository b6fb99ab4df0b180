"""A failed review is shown again on the story page, with its message at its field."""


def test_returning_a_story_without_a_note_is_shown_at_the_note(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"], status="submitted")
    response = client_for(people["organizer"]).post(
        f"/c/{coalition.slug}/stories/{story.id}/review", data={"decision": "return", "note": ""}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error" id="note-error">Please tell the storyteller why the story is returned.</p>' in html
    assert '<a href="#note">' in html and "flash-error" not in html
