"""The dashboard's "An excerpt of your story waits for your answer" leads to the excerpt."""

from coalition.extensions import db
from coalition.stories import services


def test_waiting_excerpt_on_the_dashboard_links_to_it(client_for, make_story, coalition, people):
    story = make_story(coalition, people["storyteller"])
    services.propose_excerpt(story, people["organizer"], "A shorter version.")
    db.session.commit()
    client = client_for(people["storyteller"])
    html = client.get(f"/c/{coalition.slug}/").get_data(as_text=True)
    link = f'<a href="/c/{coalition.slug}/stories/{story.id}#excerpt">'
    assert f"{link}An excerpt of “{story.title}” waits for your answer</a>" in html
    assert 'id="excerpt"' in client.get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)


def test_several_waiting_excerpts_are_each_linked(client_for, make_story, coalition, people):
    stories = [make_story(coalition, people["storyteller"], title=f"Story {n}") for n in (1, 2)]
    for story in stories:
        services.propose_excerpt(story, people["organizer"], "A shorter version.")
    db.session.commit()
    html = client_for(people["storyteller"]).get(f"/c/{coalition.slug}/").get_data(as_text=True)
    for story in stories:
        link = f'<a href="/c/{coalition.slug}/stories/{story.id}#excerpt">'
        assert f"{link}An excerpt of “{story.title}” waits for your answer</a>" in html
