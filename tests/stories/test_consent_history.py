"""The history of a storyteller's choices reads as sentences: "Made public by you on …"."""

import re

from coalition.extensions import db
from coalition.stories import services


def _history(html: str) -> list[str]:
    block = re.search(r'<ul class="consent-history">(.*?)</ul>', html, re.S).group(1)
    return [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", block, re.S)]  # any space as " "


def test_consent_history_reads_as_sentences(client_for, coalition, people, make_story):
    story = make_story(coalition, people["storyteller"])
    client = client_for(people["storyteller"])
    client.post(
        f"/c/{coalition.slug}/stories/{story.id}/consent",
        data={"visibility": "public", "attribution": "full", "share_with_decision_makers": "y"},
    )
    history = _history(client.get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True))
    assert re.fullmatch(r"Made public by you on \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M\.", history[-3])
    assert history[-2].startswith("Named with your full name by you on ")
    assert history[-1].startswith("Allowed to go to decision-makers by you on ")
    assert not any("→" in sentence for sentence in history)


def test_choices_recorded_by_an_organizer_name_them(client_for, coalition, people):
    story, _token = services.record_story(
        coalition,
        people["organizer"],
        {"title": "Told at the clinic", "body": "Mold everywhere.", "language": "en"},
        storyteller=people["storyteller"],
        consent_confirmed=True,
        consent={"visibility": "members", "attribution": "anonymous", "share_with_decision_makers": False},
    )
    db.session.commit()
    history = _history(
        client_for(people["storyteller"]).get(f"/c/{coalition.slug}/stories/{story.id}").get_data(as_text=True)
    )
    assert history[0].startswith("Shown to the coalition's members by Omar Organizer, with your consent, on ")
