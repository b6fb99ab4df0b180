"""Maker fixtures for the stories tests: campaigns with questions, stories with given consent and status."""

import pytest

from coalition.campaigns.models import Campaign, CampaignQuestion, CampaignStatus, QuestionKind
from coalition.core.models import utcnow
from coalition.extensions import db as _db
from coalition.stories.models import Attribution, ConsentChange, Story, StoryStatus, StoryVisibility


@pytest.fixture
def make_campaign():
    """Create (and commit) a campaign; `questions` is a list of (kind, prompt, choices, required)."""

    def make(coalition, title="Safe Homes Now", slug=None, public_page=True, questions=(), **fields):
        campaign = Campaign(
            coalition_id=coalition.id,
            title=title,
            slug=slug or title.lower().replace(" ", "-"),
            status=fields.pop("status", CampaignStatus.ACTIVE),
            public_page=public_page,
            **fields,
        )
        for position, (kind, prompt, choices, required) in enumerate(questions, start=1):
            campaign.questions.append(
                CampaignQuestion(
                    coalition_id=coalition.id,
                    position=position,
                    kind=QuestionKind(kind),
                    prompt=prompt,
                    choices=list(choices),
                    required=required,
                )
            )
        _db.session.add(campaign)
        _db.session.commit()
        return campaign

    return make


@pytest.fixture
def make_story():
    """Create (and commit) a story with the given consent and status (defaults: approved, team, anonymous)."""

    def make(
        coalition,
        storyteller=None,
        *,
        status=StoryStatus.APPROVED,
        visibility=StoryVisibility.TEAM,
        attribution=Attribution.ANONYMOUS,
        campaign=None,
        withdrawn=False,
        **fields,
    ):
        now = utcnow()
        story = Story(
            coalition_id=coalition.id,
            storyteller_id=storyteller.id if storyteller else None,
            campaign_id=campaign.id if campaign else None,
            title=fields.pop("title", "Mold in the bedroom"),
            body=fields.pop("body", "The landlord ignored our repair requests for a year."),
            status=StoryStatus(status),
            visibility=StoryVisibility(visibility),
            attribution=Attribution(attribution),
            submitted_at=now if status != StoryStatus.DRAFT else None,
            approved_at=now if status == StoryStatus.APPROVED else None,
            withdrawn_at=now if withdrawn else None,
            **fields,
        )
        story.consent_changes.append(
            ConsentChange(
                coalition_id=coalition.id,
                via="storyteller",
                field="visibility",
                old_value=None,
                new_value=str(visibility),
            )
        )
        _db.session.add(story)
        _db.session.commit()
        return story

    return make


@pytest.fixture
def coalition(make_coalition):
    return make_coalition("Riverside Tenants")


@pytest.fixture
def people(coalition, make_member, make_coalition):
    """Everyone the matrix needs: storyteller, another member, organizer, lead, a member of another coalition."""
    other = make_coalition("Elsewhere")
    return {
        "storyteller": make_member(coalition, "member", name="Ana Martinez"),
        "member": make_member(coalition, "member", name="Ben Other"),
        "organizer": make_member(coalition, "organizer", name="Omar Organizer"),
        "lead": make_member(coalition, "lead", name="Lena Lead"),
        "outsider": make_member(other, "lead", name="Olga Outsider"),
    }


@pytest.fixture
def client_for(app, login):
    """A fresh test client logged in as `user` (or anonymous for None): one browser per person."""

    def make(user=None):
        client = app.test_client()
        if user is not None:
            login(client, user)
        return client

    return make
