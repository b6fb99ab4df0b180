"""Every table that holds a coalition's data carries `coalition_id`, so the schema can be distributed by coalition
(a sharded PostgreSQL such as Citus) without rewriting it; rows made by the services carry their parent's coalition."""

from datetime import timedelta

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, select

from coalition.api.models import WebhookDelivery
from coalition.api.webhooks import create_endpoint
from coalition.campaigns.models import Campaign, CampaignFollower, CampaignQuestion, CampaignStatus
from coalition.campaigns.questions import save_question
from coalition.campaigns.services import follow_campaign
from coalition.core.models import utcnow
from coalition.decisions.models import DecisionActionItem
from coalition.decisions.outcome import add_action_item
from coalition.decisions.services import close_decision, create_decision, open_decision
from coalition.extensions import db
from coalition.stakeholders.models import OutreachParticipant, PacketItem, Stakeholder
from coalition.stakeholders.packets import deliver_packet
from coalition.stakeholders.services import add_target
from coalition.stories.consent import change_consent
from coalition.stories.models import ConsentChange, StoryAnswer, StoryExcerpt
from coalition.stories.services import create_story, propose_excerpt, review_story

#: Tables that hold no coalition's data, each with the reason. Under Citus they would be reference or local tables.
GLOBAL_TABLES = {
    "coalitions": "the coalitions themselves: their id is the key every other table is distributed by",
    "users": "a person, who may belong to several coalitions",
    "login_sessions": "a person's signed-in devices, whatever coalitions they belong to",
    "account_tokens": "a person's e-mail verification and password-reset tokens",
    "outbox_messages": "the mail queue, shared by all coalitions and by account mail (password resets)",
    "form_submissions": "single-use form nonces, also of forms outside any coalition (sign-up, log-in)",
    "page_versions": "one version per table of the installation, read by the page cache (core/pagecache.py)",
}
#: Tables whose coalition_id may be NULL, with the reason: rows about a person rather than a coalition.
NULLABLE_TABLES = {
    "audit_entries": "account events (sign-up, password change, account deletion) belong to no coalition",
}


def coalition_id_problems(metadata: MetaData) -> dict[str, str]:
    """Table name -> what is wrong with its coalition_id, for every table not allow-listed above."""
    problems = {}
    for table in metadata.sorted_tables:
        if table.name in GLOBAL_TABLES:
            continue
        column = table.c.get("coalition_id")
        if column is None:
            problems[table.name] = "has no coalition_id column"
            continue
        references = [fk for fk in column.foreign_keys if fk.target_fullname == "coalitions.id"]
        if not references:
            problems[table.name] = "coalition_id is not a foreign key to coalitions.id"
        elif references[0].ondelete != "CASCADE":
            problems[table.name] = "coalition_id does not cascade when the coalition is deleted"
        elif column.nullable and table.name not in NULLABLE_TABLES:
            problems[table.name] = "coalition_id may be NULL"
    return problems


def test_every_table_of_coalition_data_carries_a_non_null_coalition_id():
    assert coalition_id_problems(db.metadata) == {}


def test_the_allow_lists_name_existing_tables_without_a_coalition():
    assert set(GLOBAL_TABLES) | set(NULLABLE_TABLES) <= set(db.metadata.tables)
    assert not [name for name in GLOBAL_TABLES if "coalition_id" in db.metadata.tables[name].c]


def test_a_new_table_without_coalition_id_is_named():
    metadata = MetaData()
    Table("coalitions", metadata, Column("id", Integer, primary_key=True))
    Table("widgets", metadata, Column("id", Integer, primary_key=True))
    Table("gadgets", metadata, Column("id", Integer, primary_key=True), Column("coalition_id", Integer))
    Table(
        "sprockets",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("coalition_id", ForeignKey("coalitions.id", ondelete="CASCADE"), nullable=False),
    )
    assert coalition_id_problems(metadata) == {
        "widgets": "has no coalition_id column",
        "gadgets": "coalition_id is not a foreign key to coalitions.id",
    }


def _story_with_packet(coalition, organizer, member):
    """A campaign with a question and a follower; a story answering it, consent changed, excerpt, in a packet."""
    campaign = Campaign(coalition_id=coalition.id, title="Safe Homes", slug="safe-homes", status=CampaignStatus.ACTIVE)
    db.session.add(campaign)
    db.session.flush()
    question = save_question(campaign, organizer, kind="yes_no", prompt="Did you report it?")
    follow_campaign(campaign, member)
    fields = {"title": "Mold", "body": "The landlord ignored us."}
    consent = {"share_with_decision_makers": True}
    story = create_story(
        coalition, member, fields, campaign_id=campaign.id, answers={question.id: "yes"}, consent=consent, submit=True
    )
    review_story(story, organizer, approve=True)
    change_consent(story, member, press_ok=True)
    propose_excerpt(story, organizer, "The landlord ignored us.")
    stakeholder = Stakeholder(coalition_id=coalition.id, name="Council member Ortiz")
    db.session.add(stakeholder)
    db.session.flush()
    add_target(stakeholder, organizer, campaign_id=campaign.id, stance="neutral", influence=3, priority="high")
    deliver_packet(campaign, stakeholder, [story.id], organizer)


def _decision_with_action_item(coalition, organizer):
    decision = create_decision(
        coalition,
        organizer,
        kind="proposal",
        privacy="organizers",
        options=[],
        title="Hold a rally?",
        opens_at=utcnow() - timedelta(minutes=5),
        closes_at=utcnow() + timedelta(days=1),
    )
    open_decision(decision, organizer)
    close_decision(decision, organizer)
    add_action_item(decision, organizer, title="Book the square", owner_id=None, due_on=None)


def test_rows_made_by_the_services_carry_the_coalition_of_their_parent(make_coalition, make_member):
    make_coalition("Another coalition")  # so that a row given the wrong coalition has one to be wrong with
    coalition = make_coalition("Riverside Tenants")
    organizer = make_member(coalition, "organizer")
    member = make_member(coalition, "member")
    create_endpoint(coalition, organizer, url="http://127.0.0.1:9/hook", events=["story.submitted", "outreach.logged"])
    _story_with_packet(coalition, organizer, member)
    _decision_with_action_item(coalition, organizer)
    db.session.commit()

    children = (
        CampaignQuestion,
        CampaignFollower,
        StoryAnswer,
        ConsentChange,
        StoryExcerpt,
        PacketItem,
        OutreachParticipant,
        DecisionActionItem,
        WebhookDelivery,
    )
    found = {model.__tablename__: set(db.session.scalars(select(model.coalition_id))) for model in children}
    assert found == {model.__tablename__: {coalition.id} for model in children}
