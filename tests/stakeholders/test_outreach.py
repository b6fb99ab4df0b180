"""Campaign targets with stance history, the outreach log, follow-ups, the digest and personal data."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import g

from coalition.extensions import db
from coalition.stakeholders import services
from coalition.stakeholders.followups import (
    awaiting_response,
    awaiting_statement,
    coalition_today,
    follow_up_panel,
    follow_up_statements,
    follow_ups,
    send_weekly_digest,
)
from coalition.stakeholders.models import CampaignTarget, Outreach, StanceChange
from tests.conftest import query_plan


@pytest.fixture
def setup(team, make_stakeholder, make_campaign, make_target):
    stakeholder = make_stakeholder(team["coalition"], name="Ana Reyes")
    campaign = make_campaign(team["coalition"], title="Safe Homes Now")
    target = make_target(stakeholder, campaign, by=team["organizer"], stance="neutral", influence=4)
    return dict(team, stakeholder=stakeholder, campaign=campaign, target=target)


def _dot(svg: str, target_id: int) -> tuple[str, float]:
    group = re.search(rf'<g class="target" id="target-{target_id}" data-stance="(\w+)".*?<circle cx="(\d+)"', svg, re.S)
    return group.group(1), float(group.group(2))


def test_adding_a_target_records_its_first_stance(setup):
    changes = db.session.scalars(db.select(StanceChange)).all()
    assert [(c.old_stance, c.new_stance, c.changed_by_id) for c in changes] == [
        (None, "neutral", setup["organizer"].id)
    ]


def test_stance_change_through_outreach_moves_the_dot_and_keeps_history(client, login, setup):
    login(client, setup["organizer"])
    base = f"/c/{setup['coalition'].slug}/stakeholders"
    map_url = f"{base}/campaigns/{setup['campaign'].id}/map"
    before = client.get(map_url).get_data(as_text=True)
    stance_before, x_before = _dot(before, setup["target"].id)
    response = client.post(
        f"{base}/{setup['stakeholder'].id}/outreach/new",
        data={
            "occurred_at": "2026-01-05T10:00",
            "channel": "meeting",
            "campaign_id": setup["campaign"].id,
            "participants": [setup["organizer"].id, setup["member"].id],
            "summary": "She listened to three tenants.",
            "response": "responded",
            "new_stance": "supportive",
            "follow_up_owner_id": 0,
        },
    )
    assert response.status_code == 302
    after = client.get(map_url).get_data(as_text=True)
    stance_after, x_after = _dot(after, setup["target"].id)
    assert (stance_before, stance_after) == ("neutral", "supportive")
    assert x_after > x_before
    assert 'marker-end="url(#arrow)"' in after
    outreach = db.session.scalar(db.select(Outreach))
    history = db.session.scalars(db.select(StanceChange).order_by(StanceChange.id)).all()
    assert [(h.old_stance, h.new_stance, h.outreach_id) for h in history] == [
        (None, "neutral", None),
        ("neutral", "supportive", outreach.id),
    ]
    detail = client.get(f"{base}/{setup['stakeholder'].id}").get_data(as_text=True)
    assert "Neutral → Supportive" in detail and "after an outreach" in detail


def test_new_stance_without_a_target_campaign_writes_nothing(client, login, setup, make_campaign):
    login(client, setup["organizer"])
    other_campaign = make_campaign(setup["coalition"])
    response = client.post(
        f"/c/{setup['coalition'].slug}/stakeholders/{setup['stakeholder'].id}/outreach/new",
        data={
            "occurred_at": "2026-01-05T10:00",
            "channel": "call",
            "campaign_id": other_campaign.id,
            "summary": "Call",
            "response": "none",
            "new_stance": "champion",
            "follow_up_owner_id": 0,
        },
    )
    assert response.status_code == 200
    assert b"choose a campaign in which this stakeholder is a target" in response.data
    assert db.session.scalar(db.select(db.func.count(Outreach.id))) == 0


def test_outreach_time_is_read_in_the_viewers_time_zone(client, login, setup):
    setup["organizer"].timezone = "America/Chicago"
    db.session.commit()
    login(client, setup["organizer"])
    client.post(
        f"/c/{setup['coalition'].slug}/stakeholders/{setup['stakeholder'].id}/outreach/new",
        data={
            "occurred_at": "2026-01-05T10:00",
            "channel": "call",
            "summary": "Call",
            "response": "none",
            "follow_up_owner_id": 0,
        },
    )
    assert db.session.scalar(db.select(Outreach.occurred_at)) == datetime(2026, 1, 5, 16, 0, tzinfo=UTC)


def test_target_owner_must_be_an_organizer_or_lead(setup, make_stakeholder):
    with pytest.raises(services.StakeholderError):
        services.add_target(
            make_stakeholder(setup["coalition"]),
            setup["organizer"],
            campaign_id=setup["campaign"].id,
            stance="neutral",
            influence=3,
            priority="high",
            owner=setup["member"],
        )


def test_a_stakeholder_is_a_target_of_a_campaign_only_once(setup):
    with pytest.raises(services.StakeholderError):
        services.add_target(
            setup["stakeholder"],
            setup["organizer"],
            campaign_id=setup["campaign"].id,
            stance="neutral",
            influence=3,
            priority="high",
        )
    assert db.session.scalar(db.select(db.func.count(CampaignTarget.id))) == 1


def test_another_coalitions_campaign_cannot_be_used(setup, make_campaign):
    foreign = make_campaign(setup["other"])
    with pytest.raises(services.StakeholderError):
        services.add_target(
            setup["stakeholder"],
            setup["organizer"],
            campaign_id=foreign.id,
            stance="neutral",
            influence=3,
            priority="high",
        )


def test_editing_a_target_adds_a_stance_change_only_when_it_changes(client, login, setup):
    login(client, setup["organizer"])
    url = f"/c/{setup['coalition'].slug}/stakeholders/targets/{setup['target'].id}/edit"
    data = {
        "campaign_id": setup["campaign"].id,
        "stance": "neutral",
        "influence": 5,
        "priority": "high",
        "owner_id": setup["lead"].id,
    }
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data={**data, "stance": "opposed"}).status_code == 302
    history = db.session.scalars(db.select(StanceChange.new_stance).order_by(StanceChange.id)).all()
    assert history == ["neutral", "opposed"]


def test_meeting_link_prefills_channel_and_date_and_links_the_outreach(client, login, setup, make_meeting):
    meeting = make_meeting(setup["coalition"])
    login(client, setup["organizer"])
    url = f"/c/{setup['coalition'].slug}/stakeholders/{setup['stakeholder'].id}/outreach/new?meeting_id={meeting.id}"
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'<option selected value="meeting">|<option value="meeting" selected>', page)
    assert 'value="2026-03-02T' in page
    client.post(
        url,
        data={
            "occurred_at": "2026-03-02T09:00",
            "channel": "meeting",
            "summary": "Met",
            "response": "none",
            "follow_up_owner_id": 0,
            "meeting_id": meeting.id,
        },
    )
    assert db.session.scalar(db.select(Outreach.meeting_id)) == meeting.id


def test_stakeholder_meeting_page_links_to_logging_and_lists_its_outreach(client, login, setup, make_meeting):
    meeting = make_meeting(setup["coalition"])
    login(client, setup["organizer"])
    meeting_page = f"/c/{setup['coalition'].slug}/meetings/{meeting.id}"
    page = client.get(meeting_page).get_data(as_text=True)
    assert f"/stakeholders/outreach/new?meeting_id={meeting.id}" in page
    assert "Nothing logged yet." in page
    url = f"/c/{setup['coalition'].slug}/stakeholders/{setup['stakeholder'].id}/outreach/new?meeting_id={meeting.id}"
    data = {"occurred_at": "2026-03-02T09:00", "channel": "meeting", "summary": "Met", "response": "none"}
    client.post(url, data={**data, "follow_up_owner_id": 0, "meeting_id": meeting.id})
    page = client.get(meeting_page).get_data(as_text=True)
    assert f"#outreach-{db.session.scalar(db.select(Outreach.id))}" in page
    assert setup["stakeholder"].name in page


def test_meeting_of_another_coalition_answers_404(client, login, setup, make_meeting):
    meeting = make_meeting(setup["other"])
    login(client, setup["organizer"])
    url = f"/c/{setup['coalition'].slug}/stakeholders/{setup['stakeholder'].id}/outreach/new?meeting_id={meeting.id}"
    assert client.get(url).status_code == 404


# --- Follow-ups -------------------------------------------------------------------------------------------------


@pytest.fixture
def queue(setup, make_outreach):
    c = setup["coalition"]
    today = coalition_today(c)
    mine, lead = setup["organizer"], setup["lead"]
    entries = {
        "overdue_mine": make_outreach(
            setup["stakeholder"], mine, follow_up_on=today - timedelta(days=2), follow_up_owner=mine
        ),
        "upcoming_mine": make_outreach(
            setup["stakeholder"], mine, follow_up_on=today + timedelta(days=3), follow_up_owner=mine
        ),
        "later_mine": make_outreach(
            setup["stakeholder"], mine, follow_up_on=today + timedelta(days=20), follow_up_owner=mine
        ),
        "overdue_lead": make_outreach(
            setup["stakeholder"], lead, follow_up_on=today - timedelta(days=1), follow_up_owner=lead
        ),
    }
    return dict(setup, entries=entries, today=today)


def test_follow_ups_split_into_overdue_and_upcoming_for_me_and_for_all(queue):
    c, e = queue["coalition"], queue["entries"]
    mine = follow_ups(c, owner=queue["organizer"])
    everyone = follow_ups(c)
    assert [o.id for o in mine["overdue"]] == [e["overdue_mine"].id]
    assert [o.id for o in mine["upcoming"]] == [e["upcoming_mine"].id]
    assert [o.id for o in everyone["overdue"]] == [e["overdue_mine"].id, e["overdue_lead"].id]


def test_done_follow_up_leaves_the_queue(client, login, queue):
    login(client, queue["organizer"])
    entry = queue["entries"]["overdue_mine"]
    client.post(f"/c/{queue['coalition'].slug}/stakeholders/outreach/{entry.id}/done", data={"next": "follow_ups"})
    assert follow_ups(queue["coalition"], owner=queue["organizer"])["overdue"] == []


def test_follow_up_page_shows_mine_or_the_whole_coalition(client, login, queue):
    login(client, queue["organizer"])
    base = f"/c/{queue['coalition'].slug}/stakeholders/follow-ups"
    mine = client.get(base).get_data(as_text=True)
    everyone = client.get(base + "?scope=all").get_data(as_text=True)
    assert queue["lead"].display_name not in mine
    assert queue["lead"].display_name in everyone


def test_stakeholders_with_no_response_after_the_coalition_setting(setup, make_outreach, make_stakeholder):
    c = setup["coalition"]
    c.no_response_days = 10
    silent = make_stakeholder(c, name="Silent Sam")
    answered = make_stakeholder(c, name="Answered Ann")
    old = datetime.now(UTC) - timedelta(days=11)
    make_outreach(silent, setup["organizer"], occurred_at=old, response="awaiting")
    make_outreach(answered, setup["organizer"], occurred_at=old, response="awaiting")
    make_outreach(answered, setup["organizer"], occurred_at=old + timedelta(days=2), response="responded")
    make_outreach(setup["stakeholder"], setup["organizer"], occurred_at=datetime.now(UTC), response="awaiting")
    assert [o.stakeholder.name for o in awaiting_response(c)] == ["Silent Sam"]


def test_the_no_response_list_reads_the_index_of_latest_entries(setup):
    """Its condition is written as the partial index's (`WHERE is_latest`), so that SQLite, too, uses the index."""
    index = "ix_outreach_entries_latest_response_occurred"
    plan = query_plan(
        awaiting_statement(setup["coalition"]).order_by(None),
        sqlite_indexed_by=("outreach_entries", index),
        bitmaps=True,
    )
    assert index in plan


@pytest.mark.parametrize("section", ["overdue", "upcoming"])
def test_a_persons_own_follow_ups_read_the_owners_index(setup, section):
    """Each section of "my follow-ups" is one range of (coalition, owner, done, date, id): its count does not read
    every open follow-up of the coalition."""
    plan = query_plan(follow_up_statements(setup["coalition"], owner=setup["organizer"])[section])
    assert "ix_outreach_entries_owner_follow_up" in plan


def test_editing_or_deleting_the_latest_outreach_changes_who_is_silent(setup, make_outreach, make_stakeholder):
    from coalition.stakeholders.outreach import delete_outreach, update_outreach

    c = setup["coalition"]
    c.no_response_days = 10
    pat = make_stakeholder(c, name="Pat Silent")
    old = datetime.now(UTC) - timedelta(days=20)
    awaiting = make_outreach(pat, setup["organizer"], occurred_at=old, response="awaiting")
    answered = make_outreach(pat, setup["organizer"], occurred_at=old + timedelta(days=1), response="responded")
    assert awaiting_response(c) == []
    fields = {"channel": "call", "summary": "", "outcome": "", "response": "responded", "follow_up_on": None}
    update_outreach(
        answered,
        setup["organizer"],
        **fields,
        occurred_at=old - timedelta(days=1),
        follow_up_owner=None,
        participant_ids=[],
    )
    db.session.commit()
    assert [o.id for o in awaiting_response(c)] == [awaiting.id]
    delete_outreach(awaiting, setup["organizer"])
    db.session.commit()
    assert awaiting_response(c) == []
    assert db.session.get(Outreach, answered.id).is_latest


def test_dashboard_panel_counts_my_overdue_and_upcoming(queue):
    panel = follow_up_panel(queue["coalition"], queue["organizer"])
    assert (panel["overdue_count"], panel["upcoming_count"], len(panel["first"])) == (1, 1, 2)


def test_dashboard_panel_counts_every_follow_up_beyond_the_five_it_lists(queue, make_outreach):
    mine, today = queue["organizer"], queue["today"]
    for days in (3, 4, 5, 6, 7, 8):
        make_outreach(queue["stakeholder"], mine, follow_up_on=today - timedelta(days=days), follow_up_owner=mine)
    make_outreach(queue["stakeholder"], mine, follow_up_on=today, follow_up_owner=mine)
    panel = follow_up_panel(queue["coalition"], queue["organizer"])
    assert (panel["overdue_count"], panel["upcoming_count"]) == (7, 2)
    assert [o.follow_up_on for o in panel["first"]] == [today - timedelta(days=d) for d in (8, 7, 6, 5, 4)]


def test_dashboard_panel_with_no_follow_up_due_counts_none(setup):
    panel = follow_up_panel(setup["coalition"], setup["organizer"])
    assert (panel["overdue_count"], panel["upcoming_count"], panel["first"]) == (0, 0, [])


def test_dashboard_shows_my_follow_up_counts_and_the_first_ones(client, login, queue):
    login(client, queue["organizer"])
    page = client.get(f"/c/{queue['coalition'].slug}/").get_data(as_text=True)
    panel = page[page.index("My follow-ups") :]
    assert "<strong>1</strong> overdue" in panel
    assert "<strong>1</strong> due in 7 days" in panel
    assert "Ana Reyes" in panel


def test_weekly_digest_queues_one_mail_per_organizer_per_week(queue, outbox):
    assert send_weekly_digest() == 2
    assert send_weekly_digest() == 0
    mails = outbox(kind="stakeholder_digest")
    assert sorted(m.to_address for m in mails) == sorted([queue["organizer"].email, queue["lead"].email])
    mine = next(m for m in mails if m.to_address == queue["organizer"].email)
    assert "Ana Reyes" in mine.body_text and "/stakeholders/follow-ups" in mine.body_text
    assert queue["member"].email not in [m.to_address for m in mails]


def test_digest_command_runs(app, queue, outbox):
    result = app.test_cli_runner().invoke(args=["stakeholders", "digest"])
    assert "Queued 2" in result.output
    assert len(outbox(kind="stakeholder_digest")) == 2


# --- Personal data ----------------------------------------------------------------------------------------------


def test_exporter_lists_outreach_the_person_took_part_in(setup, make_outreach):
    from coalition.stakeholders.personal import export_outreach

    make_outreach(
        setup["stakeholder"], setup["organizer"], summary="Knocked on doors", participant_ids=[setup["member"].id]
    )
    assert [(e["stakeholder"], e["summary"]) for e in export_outreach(setup["member"])] == [
        ("Ana Reyes", "Knocked on doors")
    ]


def test_deleting_an_account_unlinks_it_but_keeps_the_records(setup, make_outreach):
    from coalition.accounts.services import delete_account

    organizer = setup["organizer"]
    setup["target"].owner_id = organizer.id
    make_outreach(
        setup["stakeholder"],
        organizer,
        follow_up_on=date(2026, 1, 1),
        follow_up_owner=organizer,
        participant_ids=[organizer.id],
    )
    delete_account(organizer, keep_stories_anonymised=True)
    db.session.commit()
    db.session.expire_all()
    outreach = db.session.scalar(db.select(Outreach))
    assert (outreach.follow_up_owner_id, outreach.logged_by_id, outreach.participants) == (None, None, [])
    assert db.session.get(CampaignTarget, setup["target"].id).owner_id is None
    assert db.session.scalars(db.select(StanceChange.changed_by_id)).all() == [None]
    assert g is not None


def test_latest_of_two_outreach_entries_at_the_same_moment_decides_whether_a_stakeholder_is_silent(
    setup, make_outreach, make_stakeholder
):
    c = setup["coalition"]
    c.no_response_days = 10
    tied = make_stakeholder(c, name="Tied Tia")
    old = datetime.now(UTC) - timedelta(days=11)
    make_outreach(tied, setup["organizer"], occurred_at=old, response="responded")
    latest = make_outreach(tied, setup["organizer"], occurred_at=old, response="awaiting")
    assert [o.id for o in awaiting_response(c)] == [latest.id]


def test_follow_up_page_shows_the_ten_oldest_overdue_and_links_to_all_of_them(client, login, setup, make_outreach):
    today = coalition_today(setup["coalition"])
    for days in range(1, 53):
        make_outreach(setup["stakeholder"], setup["organizer"], follow_up_on=today - timedelta(days=days))
    login(client, setup["organizer"])
    base = f"/c/{setup['coalition'].slug}/stakeholders/follow-ups"
    page = client.get(base + "?scope=all").get_data(as_text=True)
    overdue = page[page.index("Overdue") : page.index("Due in the next 7 days")]
    assert overdue.count("Mark done") == 10
    assert f'datetime="{(today - timedelta(days=52)).isoformat()}"' in overdue  # the oldest first
    assert f'datetime="{(today - timedelta(days=42)).isoformat()}"' not in overdue
    assert 'class="badge badge-danger">52<' in overdue
    assert "section=overdue" in overdue and "Show all 52" in overdue


def test_follow_up_page_runs_the_same_statements_however_long_the_queue(
    client, login, setup, make_outreach, count_queries
):
    today = coalition_today(setup["coalition"])
    login(client, setup["organizer"])
    url = f"/c/{setup['coalition'].slug}/stakeholders/follow-ups"
    counts = []
    for batch in (1, 30):
        for days in range(1, batch + 1):
            for due in (today - timedelta(days=days), today + timedelta(days=days % 7)):
                make_outreach(
                    setup["stakeholder"], setup["organizer"], follow_up_on=due, follow_up_owner=setup["organizer"]
                )
        for scope in ("", "?scope=all"):
            with count_queries() as counter:
                assert client.get(url + scope).status_code == 200
            counts.append(counter.count)
    assert counts[:2] == counts[2:]


def test_follow_up_section_pages_through_every_entry(client, login, setup, make_outreach):
    today = coalition_today(setup["coalition"])
    for days in range(1, 53):
        make_outreach(setup["stakeholder"], setup["organizer"], follow_up_on=today - timedelta(days=days))
    login(client, setup["organizer"])
    base = f"/c/{setup['coalition'].slug}/stakeholders/follow-ups?scope=all&section=overdue"
    first = client.get(base).get_data(as_text=True)
    third = client.get(base + "&page=3").get_data(as_text=True)
    assert first.count("Mark done") == 25
    assert third.count("Mark done") == 2
    assert "52 in all" in first
