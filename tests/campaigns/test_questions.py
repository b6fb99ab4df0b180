"""The questions storytellers answer: add, edit, delete, reorder, validation."""

from sqlalchemy import func, select

from coalition.campaigns.models import CampaignQuestion, QuestionKind
from coalition.campaigns.questions import save_question
from coalition.extensions import db


def add(campaign, prompt, kind="short_text", choices=None):
    question = save_question(campaign, None, kind=kind, prompt=prompt, choices=choices or [])
    db.session.commit()
    return question


def prompts(campaign):
    db.session.expire_all()
    return [q.prompt for q in db.session.get(type(campaign), campaign.id).questions]


def test_choice_question_is_saved_with_one_choice_per_line(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    response = client.post(
        f"/c/{coalition.slug}/campaigns/{campaign.id}/questions",
        data={
            "kind": "choice",
            "prompt": "Which problem is worst?",
            "choices": "Mould\r\n\r\nHeating\nmould\n Pests ",
            "required": "y",
        },
    )
    assert response.status_code == 302
    question = db.session.scalar(select(CampaignQuestion))
    assert question.kind == QuestionKind.CHOICE
    assert question.choices == ["Mould", "Heating", "Pests"]
    assert question.required is True and question.position == 1


def test_choice_question_with_one_choice_is_refused_and_nothing_saved(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    response = client.post(
        f"/c/{coalition.slug}/campaigns/{campaign.id}/questions",
        data={"kind": "choice", "prompt": "Which problem is worst?", "choices": "Mould"},
    )
    assert response.status_code == 200
    assert "A choice question needs at least two choices" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CampaignQuestion.id))) == 0


def test_editing_a_choice_question_down_to_one_choice_changes_nothing(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Which?", "choice", ["A", "B"])
    response = client.post(
        f"/c/{coalition.slug}/campaigns/{campaign.id}/questions/{question.id}/edit",
        data={"kind": "choice", "prompt": "Which now?", "choices": "A"},
    )
    assert "A choice question needs at least two choices" in response.get_data(as_text=True)
    db.session.expire_all()
    question = db.session.get(CampaignQuestion, question.id)
    assert (question.prompt, question.choices) == ("Which?", ["A", "B"])


def test_other_kinds_drop_choices(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    client.post(
        f"/c/{coalition.slug}/campaigns/{campaign.id}/questions",
        data={"kind": "number", "prompt": "How many months?", "choices": "1\n2"},
    )
    question = db.session.scalar(select(CampaignQuestion))
    assert question.kind == QuestionKind.NUMBER and question.choices == []


def test_edit_form_shows_choices_one_per_line(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    question = add(campaign, "Which?", "choice", ["Mould", "Leaks"])
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}/questions/{question.id}/edit")
    assert "Mould\nLeaks" in page.get_data(as_text=True)


def test_questions_are_reordered_and_deleted(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    first, second, third = (add(campaign, p) for p in ("First?", "Second?", "Third?"))
    base = f"/c/{coalition.slug}/campaigns/{campaign.id}/questions"
    client.post(f"{base}/{third.id}/move/up")
    assert prompts(campaign) == ["First?", "Third?", "Second?"]
    client.post(f"{base}/{first.id}/move/up")  # already first: nothing changes
    assert prompts(campaign) == ["First?", "Third?", "Second?"]
    client.post(f"{base}/{first.id}/delete")
    assert prompts(campaign) == ["Third?", "Second?"]
    positions = db.session.scalars(select(CampaignQuestion.position).order_by(CampaignQuestion.position)).all()
    assert positions == [1, 2]


def test_question_of_another_campaign_is_404(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign, other = make_campaign(coalition), make_campaign(coalition)
    question = add(other, "Elsewhere?")
    base = f"/c/{coalition.slug}/campaigns/{campaign.id}/questions/{question.id}"
    assert client.get(f"{base}/edit").status_code == 404
    assert client.post(f"{base}/delete").status_code == 404
    assert prompts(other) == ["Elsewhere?"]


def test_campaign_page_lists_questions_in_order(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition)
    add(campaign, "How many months have you waited?", "number")
    add(campaign, "Which problem is worst?", "choice", ["Mould", "Leaks"])
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    assert page.index("How many months") < page.index("Which problem is worst?")
    assert "Mould · Leaks" in page
