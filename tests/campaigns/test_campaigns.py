"""Creating, editing, listing and archiving campaigns."""

from datetime import date

from sqlalchemy import func, select

from coalition.campaigns.errors import CampaignError
from coalition.campaigns.models import Campaign, CampaignStatus
from coalition.extensions import db

VALID = {
    "title": "Safe Homes Now",
    "slug": "",
    "summary": "Repairs for every tenant.",
    "goal": "Inspections every three years.",
    "decision_sought": "Pass the inspection ordinance.",
    "decision_maker": "City Council",
    "status": "active",
    "starts_on": "2026-03-01",
    "ends_on": "2026-09-30",
    "issue_tags": "Housing, repairs, housing",
    "story_goal": "50",
    "story_prompt": "Tell us about repairs.",
    "public_page": "y",
}


def campaign_count():
    return db.session.scalar(select(func.count(Campaign.id)))


def test_organizer_creates_campaign_with_slug_made_from_title(organizer_client):
    client, coalition, _ = organizer_client
    response = client.post(f"/c/{coalition.slug}/campaigns/new", data=VALID)
    campaign = db.session.scalar(select(Campaign))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/campaigns/{campaign.id}")
    assert campaign.slug == "safe-homes-now"
    assert campaign.issue_tags == ["housing", "repairs"]
    assert campaign.status == CampaignStatus.ACTIVE
    assert (campaign.starts_on, campaign.ends_on) == (date(2026, 3, 1), date(2026, 9, 30))
    assert campaign.story_goal == 50 and campaign.public_page is True


def test_campaign_page_shows_what_was_saved(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition, title="Heat in Winter", decision_maker="Housing Authority", story_goal=10)
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    assert "Heat in Winter" in page
    assert "Housing Authority" in page
    assert "0 of 10 stories collected" in page
    # The archive and follow buttons' forms carry a token, never the text of a Python object (CSRF off here).
    assert f'action="/c/{coalition.slug}/campaigns/{campaign.id}/archive"' in page and "object at 0x" not in page


def test_campaign_page_buttons_carry_the_csrf_token(organizer_client, make_campaign, csrf_enabled):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition, title="Heat in Winter")
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    archive = page[page.index(f"/campaigns/{campaign.id}/archive") :]
    assert 'name="csrf_token"' in archive[: archive.index("</form>")]


def test_organizer_edits_campaign(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition, title="Old title")
    response = client.post(
        f"/c/{coalition.slug}/campaigns/{campaign.id}/edit", data={**VALID, "title": "New title", "status": "won"}
    )
    assert response.status_code == 302
    db.session.refresh(campaign)
    assert campaign.title == "New title"
    assert campaign.status == CampaignStatus.WON
    assert campaign.slug == "new-title"


def test_edit_form_shows_tags_as_text(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition, issue_tags="housing, health")
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert 'value="housing, health"' in page


def test_end_date_before_start_date_is_refused_and_nothing_saved(organizer_client):
    client, coalition, _ = organizer_client
    response = client.post(
        f"/c/{coalition.slug}/campaigns/new", data={**VALID, "starts_on": "2026-05-01", "ends_on": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.get_data(as_text=True)
    assert campaign_count() == 0


def test_editing_with_bad_dates_changes_nothing(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition, title="Keep me")
    response = client.post(
        f"/c/{coalition.slug}/campaigns/{campaign.id}/edit",
        data={**VALID, "title": "Changed", "starts_on": "2026-05-01", "ends_on": "2026-04-01"},
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).title == "Keep me"


def test_duplicate_slug_in_same_coalition_gets_clear_message(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    make_campaign(coalition, title="Safe Homes Now")
    response = client.post(f"/c/{coalition.slug}/campaigns/new", data=VALID)
    assert response.status_code == 200
    assert "Another campaign already uses the address safe-homes-now" in response.get_data(as_text=True)
    assert campaign_count() == 1


def test_same_slug_is_fine_in_another_coalition(organizer_client, make_coalition, make_campaign):
    client, coalition, _ = organizer_client
    make_campaign(make_coalition(), title="Safe Homes Now")
    response = client.post(f"/c/{coalition.slug}/campaigns/new", data=VALID)
    assert response.status_code == 302
    assert campaign_count() == 2


def test_missing_title_shows_message(organizer_client):
    client, coalition, _ = organizer_client
    response = client.post(f"/c/{coalition.slug}/campaigns/new", data={**VALID, "title": ""})
    assert "Please enter a title." in response.get_data(as_text=True)
    assert campaign_count() == 0


def test_story_goal_below_one_is_refused(organizer_client):
    client, coalition, _ = organizer_client
    response = client.post(f"/c/{coalition.slug}/campaigns/new", data={**VALID, "story_goal": "0"})
    assert "Enter a number from 1 up." in response.get_data(as_text=True)
    assert campaign_count() == 0


def test_title_of_only_symbols_gets_a_usable_slug(organizer_client):
    client, coalition, _ = organizer_client
    client.post(f"/c/{coalition.slug}/campaigns/new", data={**VALID, "title": "¡¿!"})
    assert db.session.scalar(select(Campaign.slug)) == "campaign"


def test_archiving_hides_campaign_from_list_and_choices(organizer_client, make_campaign):
    from coalition.campaigns.services import campaign_choices

    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition, title="Gone quiet")
    response = client.post(f"/c/{coalition.slug}/campaigns/{campaign.id}/archive")
    assert response.status_code == 302
    db.session.refresh(campaign)
    assert campaign.is_archived
    assert "Gone quiet" not in client.get(f"/c/{coalition.slug}/campaigns/").get_data(as_text=True)
    assert campaign_choices(coalition) == []


def test_archived_campaigns_are_listed_when_asked_for(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    make_campaign(coalition, title="Gone quiet", status="archived")
    make_campaign(coalition, title="Still going")
    page = client.get(f"/c/{coalition.slug}/campaigns/?status=archived").get_data(as_text=True)
    assert "Gone quiet" in page
    assert "Still going" not in page


def test_archive_records_audit_entry(organizer_client, make_campaign):
    from coalition.core.audit import AuditEntry

    client, coalition, organizer = organizer_client
    campaign = make_campaign(coalition)
    client.post(f"/c/{coalition.slug}/campaigns/{campaign.id}/archive")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "campaign.archive"))
    assert entry.actor_id == organizer.id and entry.object_id == campaign.id


def test_list_filters_by_status(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    make_campaign(coalition, title="Won one", status="won")
    make_campaign(coalition, title="Planned one", status="planning")
    page = client.get(f"/c/{coalition.slug}/campaigns/?status=won").get_data(as_text=True)
    assert "Won one" in page and "Planned one" not in page


def test_list_filters_by_tag_exactly(organizer_client, make_campaign):
    client, coalition, _ = organizer_client
    make_campaign(coalition, title="Housing one", issue_tags="housing")
    make_campaign(coalition, title="Public housing one", issue_tags="public-housing")
    page = client.get(f"/c/{coalition.slug}/campaigns/?tag=Housing").get_data(as_text=True)
    assert "Housing one" in page and "Public housing one" not in page


def test_list_shows_only_own_coalition(organizer_client, make_coalition, make_campaign):
    client, coalition, _ = organizer_client
    make_campaign(make_coalition(), title="Elsewhere")
    make_campaign(coalition, title="Ours")
    page = client.get(f"/c/{coalition.slug}/campaigns/").get_data(as_text=True)
    assert "Ours" in page and "Elsewhere" not in page


def test_list_query_count_does_not_grow_with_rows(organizer_client, make_campaign, count_queries):
    client, coalition, _ = organizer_client
    url = f"/c/{coalition.slug}/campaigns/"
    for _ in range(3):
        make_campaign(coalition, issue_tags="housing")
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for _ in range(27):
        make_campaign(coalition, issue_tags="housing")
    client.get(url)  # the same warm-up as above: the test's session reloads what the commits expired
    with count_queries() as many:
        assert client.get(url).status_code == 200
    # Three fit a page, which is then the list's last and gives its size; thirty are counted (one statement more).
    assert many.count == few.count + 1


def test_script_in_title_and_summary_is_escaped(organizer_client):
    client, coalition, _ = organizer_client
    hostile = '<script>alert("x")</script>'
    client.post(f"/c/{coalition.slug}/campaigns/new", data={**VALID, "title": hostile, "summary": hostile})
    campaign = db.session.scalar(select(Campaign))
    for url in (f"/c/{coalition.slug}/campaigns/", f"/c/{coalition.slug}/campaigns/{campaign.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page
        assert "&lt;script&gt;" in page


def test_unknown_campaign_id_is_404(organizer_client):
    client, coalition, _ = organizer_client
    assert client.get(f"/c/{coalition.slug}/campaigns/999").status_code == 404


def test_slug_clash_caught_only_by_the_database_gets_the_same_message(make_coalition, make_campaign, monkeypatch):
    import pytest

    from coalition.campaigns import services

    coalition = make_coalition()
    make_campaign(coalition, title="Safe Homes Now")
    monkeypatch.setattr(services, "_check_campaign", lambda *args: None)  # as if a twin request passed the check
    with pytest.raises(CampaignError, match="already uses the address safe-homes-now"):
        services.save_campaign(coalition, None, title="Safe Homes Now")
    db.session.commit()
    assert campaign_count() == 1


def test_posting_without_csrf_token_changes_nothing(organizer_client, make_campaign, csrf_enabled):
    client, coalition, _ = organizer_client
    campaign = make_campaign(coalition, title="Keep me")
    response = client.post(f"/c/{coalition.slug}/campaigns/{campaign.id}/archive")
    assert response.status_code in (302, 400)
    db.session.expire_all()
    assert not db.session.get(Campaign, campaign.id).is_archived


def test_new_campaign_form_renders_with_planning_preselected(organizer_client):
    client, coalition, _ = organizer_client
    page = client.get(f"/c/{coalition.slug}/campaigns/new").get_data(as_text=True)
    assert '<option selected value="planning">' in page
