"""Every form has a way back (Cancel or Back) that leaves without sending it."""

from sqlalchemy import select

from coalition.campaigns.models import Campaign
from coalition.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SLUG
from coalition.meetings.models import Meeting
from coalition.stakeholders.models import Stakeholder
from coalition.stories.models import Story


def test_every_form_page_has_a_way_back(app, db):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    c = f"/c/{DEMO_SLUG}"
    campaign = db.session.scalar(select(Campaign.id).order_by(Campaign.id))
    meeting = db.session.scalar(select(Meeting.id).order_by(Meeting.id))
    stakeholder = db.session.scalar(select(Stakeholder.id).order_by(Stakeholder.id))
    pages = {  # form page → where its way back leads
        f"{c}/meetings/new": f"{c}/meetings/",
        f"{c}/meetings/{meeting}/edit": f"{c}/meetings/{meeting}",
        f"{c}/meetings/calendar": f"{c}/meetings/",
        f"{c}/stakeholders/import": f"{c}/stakeholders/",
        f"{c}/stakeholders/campaigns/{campaign}/packet": f"{c}/stakeholders/campaigns/{campaign}/map",
        f"{c}/stakeholders/new": f"{c}/stakeholders/",
        f"{c}/stakeholders/{stakeholder}/edit": f"{c}/stakeholders/{stakeholder}",
        f"{c}/campaigns/new": f"{c}/campaigns/",
        f"{c}/campaigns/{campaign}/edit": f"{c}/campaigns/{campaign}",
        f"{c}/stories/new": f"{c}/stories/",
        f"{c}/stories/record": f"{c}/stories/",
        f"{c}/members/invite": f"{c}/members",
        f"{c}/partners/new": f"{c}/partners",
        f"{c}/settings": f"{c}/",
        "/account/password": "/account/profile",
        "/account/delete": "/account/profile",
    }
    client = app.test_client()
    client.post("/account/login", data={"email": DEMO_ACCOUNTS["lead"][0], "password": DEMO_PASSWORD})
    story = next(
        s for s in db.session.scalars(select(Story.id)) if client.get(f"{c}/stories/{s}/excerpt").status_code == 200
    )
    pages[f"{c}/stories/{story}/excerpt"] = f"{c}/stories/{story}"
    for page, back in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'class="cancel-link" href="{back}"' in response.get_data(as_text=True), page
