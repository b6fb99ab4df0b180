"""A visitor shares a story through a campaign's public form, keeps a private link, and withdraws it."""

import re

import pytest
from sqlalchemy import select

from coalition.extensions import db
from coalition.stories.models import Attribution, Story, StoryAnswer, StoryStatus, StoryVisibility

QUESTIONS = [
    ("number", "How many months did you wait for repairs?", [], True),
    ("yes_no", "Do you have children at home?", [], False),
    ("choice", "Who owns your building?", ["Private landlord", "Public housing"], False),
    ("short_text", "Your neighbourhood association?", [], False),
]


@pytest.fixture
def campaign(make_campaign, coalition):
    return make_campaign(coalition, questions=QUESTIONS)


def _form(campaign, **extra):
    q = {question.kind.value: f"q_{question.id}" for question in campaign.questions}
    data = {
        "name": "Rosa Delgado",
        "email": "rosa@example.org",
        "title": "Heater broken all winter",
        "body": "We slept in coats. The zebrafinch mural outside was the only warm colour.",
        "language": "en",
        "visibility": "public",
        "attribution": "first_initial",
    }
    answers = {"number": "5", "yes_no": "yes", "choice": "Private landlord"}
    data.update({field: answers[kind] for kind, field in q.items() if kind in answers})
    data.update(extra)
    return data


def _share(client, coalition, campaign, **extra):
    return client.post(f"/c/{coalition.slug}/stories/share/{campaign.slug}", data=_form(campaign, **extra))


def _manage_path(response):
    return response.location.split("?")[0]


def test_intake_form_shows_the_campaign_questions(client, coalition, campaign):
    page = client.get(f"/c/{coalition.slug}/stories/share/{campaign.slug}").get_data(as_text=True)
    for question in campaign.questions:
        assert question.prompt in page


def test_intake_form_of_a_campaign_without_public_page_is_not_found(client, coalition, make_campaign):
    private = make_campaign(coalition, title="Quiet campaign", public_page=False)
    assert client.get(f"/c/{coalition.slug}/stories/share/{private.slug}").status_code == 404
    assert _share(client, coalition, private).status_code == 404


def test_visitor_shares_a_story_and_sees_the_private_link_on_screen_and_by_mail(client, coalition, campaign, outbox):
    response = _share(client, coalition, campaign)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    link = _manage_path(response)
    assert link in page
    story = db.session.scalar(select(Story))
    assert story.status == StoryStatus.SUBMITTED and story.storyteller_id is None
    assert story.visibility == StoryVisibility.PUBLIC and story.attribution == Attribution.FIRST_INITIAL
    mails = outbox(to="rosa@example.org", kind="story_link")
    assert len(mails) == 1 and link in mails[0].body_text
    assert {a.value for a in db.session.scalars(select(StoryAnswer))} == {"5", "yes", "Private landlord"}


def test_a_visitor_writing_in_spanish_gets_the_private_link_mail_in_spanish(client, coalition, campaign, outbox):
    _share(client, coalition, campaign, language="es", body="Dormimos con abrigos todo el invierno.")
    [mail] = outbox(to="rosa@example.org", kind="story_link")
    assert mail.subject.startswith("Tu historia para")
    assert "your private link" not in mail.subject


def test_only_a_hash_of_the_private_link_is_stored(client, coalition, campaign):
    response = _share(client, coalition, campaign)
    token = _manage_path(response).rsplit("/", 1)[1]
    story = db.session.scalar(select(Story))
    assert token not in (story.manage_token_hash or "") and len(story.manage_token_hash) == 64


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("number", "many", "Please enter a number."),
        ("number", "", "Please answer this question."),
        ("yes_no", "perhaps", "Please answer yes or no."),
        ("choice", "The mayor", "Please choose one of the options."),
        ("short_text", "x" * 301, "Please keep this answer under 300 characters."),
    ],
)
def test_answers_are_checked_per_kind_of_question(client, coalition, campaign, kind, value, message):
    field = next(f"q_{q.id}" for q in campaign.questions if q.kind == kind)
    response = _share(client, coalition, campaign, **{field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Story)) is None


def test_visitor_withdraws_through_the_link_and_the_story_is_gone_everywhere(
    client, client_for, coalition, campaign, people
):
    manage = _manage_path(_share(client, coalition, campaign))
    story = db.session.scalar(select(Story))
    organizer = client_for(people["organizer"])
    organizer.post(f"/c/{coalition.slug}/stories/{story.id}/review", data={"decision": "approve"})
    member = client_for(people["member"])
    base = f"/c/{coalition.slug}/stories"
    assert "Heater broken" in client.get(f"{base}/public?q=zebrafinch").get_data(as_text=True)
    assert "Heater broken" in member.get(f"{base}/?q=zebrafinch").get_data(as_text=True)

    assert client.post(f"{manage}/withdraw").status_code == 302

    assert "withdrawn" in client.get(manage).get_data(as_text=True)
    assert client.get(f"{base}/{story.id}").status_code == 404
    assert "Heater broken" not in client.get(f"{base}/public").get_data(as_text=True)
    assert "Heater broken" not in client.get(f"{base}/public?q=zebrafinch").get_data(as_text=True)
    for viewer in (member, organizer):
        assert viewer.get(f"{base}/{story.id}").status_code == 404
        assert "Heater broken" not in viewer.get(f"{base}/").get_data(as_text=True)
        assert "Heater broken" not in viewer.get(f"{base}/?q=zebrafinch").get_data(as_text=True)
    assert "Heater broken" not in organizer.get(f"{base}/export.csv").get_data(as_text=True)


def test_visitor_changes_consent_through_the_link_and_it_is_kept_in_history(client, coalition, campaign):
    manage = _manage_path(_share(client, coalition, campaign))
    client.post(f"{manage}/consent", data={"visibility": "team", "attribution": "anonymous"})
    story = db.session.scalar(select(Story))
    assert story.visibility == StoryVisibility.TEAM and story.attribution == Attribution.ANONYMOUS
    last = [(c.field, c.old_value, c.new_value, c.via) for c in story.consent_changes][-2:]
    assert ("visibility", "public", "team", "visitor_link") in last
    assert ("attribution", "first_initial", "anonymous", "visitor_link") in last


def test_visitor_edits_the_story_through_the_link(client, coalition, campaign):
    manage = _manage_path(_share(client, coalition, campaign))
    data = _form(campaign, title="Heater fixed at last")
    client.post(manage, data=data)
    assert db.session.scalar(select(Story)).title == "Heater fixed at last"


def test_visitor_deletes_through_the_link_and_the_link_says_so(client, coalition, campaign):
    manage = _manage_path(_share(client, coalition, campaign))
    client.post(f"{manage}/delete")
    story = db.session.scalar(select(Story))
    assert story.body == "" and story.answers == []
    assert "was deleted" in client.get(manage).get_data(as_text=True)


def test_a_wrong_link_is_not_found(client, coalition, campaign):
    _share(client, coalition, campaign)
    response = client.get(f"/c/{coalition.slug}/stories/manage/not-the-token")
    assert response.status_code == 404
    assert client.post(f"/c/{coalition.slug}/stories/manage/not-the-token/withdraw").status_code == 404
    assert db.session.scalar(select(Story)).withdrawn_at is None


def test_intake_is_rate_limited(client, coalition, campaign, rate_limits):
    rate_limits(RATELIMIT_PUBLIC_FORM="2 per minute")
    codes = [_share(client, coalition, campaign, title=f"Story {i}").status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert len(db.session.scalars(select(Story)).all()) == 2


def test_organizers_never_see_the_visitors_email(client, client_for, coalition, campaign, people):
    _share(client, coalition, campaign)
    story = db.session.scalar(select(Story))
    organizer = client_for(people["organizer"])
    for url in (f"/c/{coalition.slug}/stories/{story.id}", f"/c/{coalition.slug}/stories/export.csv"):
        assert "rosa@example.org" not in organizer.get(url).get_data(as_text=True)


def test_private_link_page_is_not_cached(client, coalition, campaign):
    manage = _manage_path(_share(client, coalition, campaign))
    assert client.get(manage).headers["Cache-Control"] == "no-store"
    assert re.search(r"/stories/manage/[\w-]{40,}", client.get(manage).get_data(as_text=True))


def test_members_opening_the_intake_form_write_from_their_account(client_for, coalition, campaign, people):
    response = client_for(people["member"]).get(f"/c/{coalition.slug}/stories/share/{campaign.slug}")
    assert response.status_code == 302
    assert f"/stories/new?campaign={campaign.id}" in response.location
