"""The organizers' decision form renders with the coalition's campaigns and meetings to choose from."""

from coalition.campaigns.services import save_campaign
from coalition.extensions import db


def test_new_decision_form_lists_the_campaigns_to_choose_from(client, coalition, organizer, login):
    save_campaign(coalition, organizer, None, title="Safe homes now", status="active", issue_tags=[])
    db.session.commit()
    login(client, organizer)
    response = client.get(f"/c/{coalition.slug}/decisions/new")
    assert response.status_code == 200
    assert "Safe homes now" in response.get_data(as_text=True)


def test_editing_a_draft_shows_its_form(client, coalition, organizer, login, make_decision):
    decision = make_decision(draft=True, title="Which demand first?")
    login(client, organizer)
    response = client.get(f"/c/{coalition.slug}/decisions/{decision.id}/edit")
    assert response.status_code == 200
    assert "Which demand first?" in response.get_data(as_text=True)
