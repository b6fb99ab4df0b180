"""Once a story has answered a question, its kind, its choices and the question itself are protected."""

from sqlalchemy import func, select

from coalition.campaigns.errors import CampaignError
from coalition.campaigns.models import CampaignQuestion, QuestionKind
from coalition.campaigns.providers import answer_counts
from coalition.campaigns.questions import delete_question, save_question
from coalition.extensions import db
from coalition.stories.models import StoryAnswer


def add(campaign, prompt, kind="short_text", choices=None):
    question = save_question(campaign, None, kind=kind, prompt=prompt, choices=choices or [])
    db.session.commit()
    return question


def reload(question):
    db.session.expire_all()
    return db.session.get(CampaignQuestion, question.id)


def edit_url(coalition, question):
    return f"/c/{coalition.slug}/campaigns/{question.campaign_id}/questions/{question.id}/edit"


def test_answer_counts_counts_stories_per_question_in_one_query(
    organizer_client, make_campaign, make_story, count_queries
):
    _, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    first, second, unanswered = add(campaign, "One?"), add(campaign, "Two?"), add(campaign, "Three?")
    make_story(campaign, {first: "a", second: "b"})
    make_story(campaign, {first: "c"})
    ids = [first.id, second.id, unanswered.id]
    with count_queries() as counter:
        counts = answer_counts(ids)
    assert counts == {ids[0]: 2, ids[1]: 1}
    assert counter.count == 1


def test_answered_question_cannot_be_deleted(organizer_client, make_campaign, make_story):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "How long have you lived there?")
    make_story(campaign, {question: "three years"})
    response = client.post(
        f"/c/{coalition.slug}/campaigns/{campaign.id}/questions/{question.id}/delete", follow_redirects=True
    )
    assert "1 story has answered this question, so it can no longer be deleted." in response.get_data(as_text=True)
    assert reload(question) is not None
    assert db.session.scalar(select(func.count(StoryAnswer.id))) == 1


def test_unanswered_question_can_still_be_deleted(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Anything else?")
    question_id = question.id
    client.post(f"/c/{coalition.slug}/campaigns/{campaign.id}/questions/{question_id}/delete")
    assert db.session.scalar(select(func.count(CampaignQuestion.id)).where(CampaignQuestion.id == question_id)) == 0


def test_delete_service_refuses_an_answered_question(organizer_client, make_campaign, make_story):
    _, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Anything else?")
    make_story(campaign, {question: "no"})
    make_story(campaign, {question: "yes"})
    try:
        delete_question(question, None)
    except CampaignError as error:
        assert "2 stories have answered" in str(error)
    else:
        raise AssertionError("an answered question was deleted")


def test_answered_question_kind_cannot_change(organizer_client, make_campaign, make_story):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Did you complain?", "yes_no")
    make_story(campaign, {question: "yes"})
    response = client.post(edit_url(coalition, question), data={"kind": "short_text", "prompt": "Did you complain?"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "so its kind can no longer change" in page
    assert 'id="kind-error"' in page  # shown next to the field
    assert reload(question).kind == QuestionKind.YES_NO


def test_answered_question_prompt_can_still_be_corrected(organizer_client, make_campaign, make_story):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Did you complian?", "yes_no")
    make_story(campaign, {question: "no"})
    response = client.post(edit_url(coalition, question), data={"kind": "yes_no", "prompt": "Did you complain?"})
    assert response.status_code == 302
    assert reload(question).prompt == "Did you complain?"


def test_answered_choice_question_may_gain_choices(organizer_client, make_campaign, make_story):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Worst problem?", "choice", ["Mould", "Heating"])
    make_story(campaign, {question: "Mould"})
    response = client.post(
        edit_url(coalition, question),
        data={"kind": "choice", "prompt": "Worst problem?", "choices": "Mould\nHeating\nPests"},
    )
    assert response.status_code == 302
    assert reload(question).choices == ["Mould", "Heating", "Pests"]


def test_answered_choice_question_cannot_lose_a_choice(organizer_client, make_campaign, make_story):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Worst problem?", "choice", ["Mould", "Heating", "Pests"])
    make_story(campaign, {question: "Mould"})
    response = client.post(
        edit_url(coalition, question), data={"kind": "choice", "prompt": "Worst problem?", "choices": "Mould\nPests"}
    )
    page = response.get_data(as_text=True)
    assert "can no longer be removed or renamed (missing: Heating)" in page
    assert 'id="choices-error"' in page
    assert reload(question).choices == ["Mould", "Heating", "Pests"]


def test_answered_choice_question_cannot_rename_a_choice(organizer_client, make_campaign, make_story):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Worst problem?", "choice", ["Mould", "Heating"])
    make_story(campaign, {question: "Heating"})
    response = client.post(
        edit_url(coalition, question),
        data={"kind": "choice", "prompt": "Worst problem? (pick one)", "choices": "Mould\nNo heating"},
    )
    assert "missing: Heating" in response.get_data(as_text=True)
    question = reload(question)
    assert (question.prompt, question.choices) == ("Worst problem?", ["Mould", "Heating"])


def test_unanswered_choice_question_may_still_lose_choices(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Worst problem?", "choice", ["Mould", "Heating", "Pests"])
    client.post(
        edit_url(coalition, question), data={"kind": "choice", "prompt": "Worst problem?", "choices": "Mould\nPests"}
    )
    assert reload(question).choices == ["Mould", "Pests"]


def test_unanswered_question_kind_may_still_change(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Months behind on rent?")
    client.post(edit_url(coalition, question), data={"kind": "number", "prompt": "Months behind on rent?"})
    assert reload(question).kind == QuestionKind.NUMBER


def test_questions_editor_shows_which_questions_are_locked(organizer_client, make_campaign, make_story):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    locked, free = add(campaign, "Locked one?"), add(campaign, "Free one?")
    make_story(campaign, {locked: "a"})
    make_story(campaign, {locked: "b"})
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}/questions").get_data(as_text=True)
    assert page.count("answered by 2 stories — locked") == 1
    assert f"/questions/{locked.id}/delete" not in page
    assert f"/questions/{free.id}/delete" in page


def test_edit_form_of_a_locked_question_says_what_can_still_change(organizer_client, make_campaign, make_story):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Locked one?")
    make_story(campaign, {question: "a"})
    page = client.get(edit_url(coalition, question)).get_data(as_text=True)
    assert "1 story has answered this question, so it is locked" in page
