"""The evidence report: what counts, consent for quotes and free-text answers, withdrawal, CSV, access, queries."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from coalition.campaigns.questions import save_question
from coalition.core.audit import AuditEntry
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stories.evidence import counted_story_ids, evidence_report, summarise_numbers
from coalition.stories.models import Attribution, ExcerptStatus, StoryExcerpt, StoryStatus, StoryVisibility
from coalition.stories.queries import campaign_story_counts
from coalition.stories.services import withdraw_story


@pytest.fixture
def evidence_setup(organizer_client, make_campaign):
    """(client logged in as organizer, coalition, campaign with one question of each kind, questions by kind)."""
    client, coalition, _ = organizer_client
    # These tests check the counting with a handful of stories; suppression is tested in test_evidence_suppression.
    coalition.suppression_threshold = 1
    campaign = make_campaign(coalition, title="Safe Homes Now")
    questions = {
        "months": save_question(campaign, None, kind="number", prompt="Months waiting for repairs?"),
        "complained": save_question(campaign, None, kind="yes_no", prompt="Did you complain to the landlord?"),
        "problem": save_question(
            campaign, None, kind="choice", prompt="Worst problem?", choices=["Mould", "Heating", "Pests"]
        ),
        "wish": save_question(campaign, None, kind="short_text", prompt="What should change?"),
    }
    db.session.commit()
    return client, coalition, campaign, questions


def page_of(client, coalition, campaign) -> str:
    response = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}/evidence")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def csv_of(client, coalition, campaign) -> list[list[str]]:
    response = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}/evidence.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def story_mix(campaign, questions, make_story):
    """Three counted stories (one kept to the team), and four that must not count."""
    q = questions
    make_story(
        campaign,
        {q["months"]: "3", q["complained"]: "yes", q["problem"]: "Mould", q["wish"]: "Fix the roof"},
        tags=["mould", "repairs"],
        location="Elm Street",
        share_with_decision_makers=True,
        visibility=StoryVisibility.MEMBERS,
    )
    make_story(
        campaign,
        {q["months"]: "8", q["complained"]: "no", q["problem"]: "Mould", q["wish"]: "Quiet private wish"},
        tags=["mould"],
        location=" elm street ",
        visibility=StoryVisibility.TEAM,
    )
    make_story(campaign, {q["months"]: "4.5", q["complained"]: "yes"}, tags=["heating"], location=None)
    for fields in (
        {"status": StoryStatus.SUBMITTED},
        {"status": StoryStatus.DRAFT},
        {"status": StoryStatus.APPROVED, "withdrawn_at": utcnow()},
        {"status": StoryStatus.APPROVED, "withdrawn_at": utcnow(), "deleted_at": utcnow()},
    ):
        make_story(
            campaign,
            {q["months"]: "100", q["complained"]: "no", q["problem"]: "Pests", q["wish"]: "Never counted"},
            tags=["uncounted"],
            location="Oak Avenue",
            share_with_decision_makers=True,
            **fields,
        )


# --- Counting ------------------------------------------------------------------------------------------------


def test_report_counts_only_approved_standing_stories_team_only_ones_included(evidence_setup, make_story):
    _, coalition, campaign, questions = evidence_setup
    story_mix(campaign, questions, make_story)
    report = evidence_report(campaign, None)
    assert report.total == 3
    assert [(b.label, b.count) for b in report.by_tag.bars] == [("mould", 2), ("heating", 1), ("repairs", 1)]
    assert [(b.label, b.count, b.percent) for b in report.by_area.bars] == [
        ("Elm Street", 2, 67),
        ("No area given", 1, 33),
    ]


def test_answers_are_summarised_per_kind_of_question(evidence_setup, make_story):
    _, coalition, campaign, questions = evidence_setup
    story_mix(campaign, questions, make_story)
    months, complained, problem, wish = evidence_report(campaign, None).questions
    assert months.answered == 3
    assert (months.numbers.count, months.numbers.minimum, months.numbers.median) == (3, 3, Decimal("4.5"))
    assert (months.numbers.mean, months.numbers.maximum) == (Decimal("5.17"), 8)
    assert [(b.label, b.count, b.percent) for b in complained.breakdown.bars] == [("Yes", 2, 67), ("No", 1, 33)]
    assert [(b.label, b.count, b.percent) for b in problem.breakdown.bars] == [
        ("Mould", 2, 100),
        ("Heating", 0, 0),
        ("Pests", 0, 0),
    ]
    assert wish.answered == 2


def test_number_summaries_come_from_the_kept_counts(evidence_setup, make_story, count_queries):
    """The report reads no story's answer to a number question: their counts per value are kept (stories.counts)."""
    _, _coalition, campaign, questions = evidence_setup
    story_mix(campaign, questions, make_story)
    with count_queries() as counter:
        months = evidence_report(campaign, None).questions[0]
    assert (months.numbers.count, months.numbers.median) == (3, Decimal("4.5"))
    assert not [s for s in counter.statements if "story_answers.value, count(" in s.replace('"', "")]


def test_short_text_answers_are_listed_only_from_consenting_stories(evidence_setup, make_story):
    client, coalition, campaign, questions = evidence_setup
    story_mix(campaign, questions, make_story)
    assert evidence_report(campaign, None).questions[3].texts == ["Fix the roof"]
    page = page_of(client, coalition, campaign)
    assert "Fix the roof" in page
    assert "Quiet private wish" not in page and "Never counted" not in page


def test_report_total_agrees_with_goal_progress(evidence_setup, make_story):
    _, coalition, campaign, questions = evidence_setup
    story_mix(campaign, questions, make_story)
    counted = len(db.session.scalars(counted_story_ids(campaign)).all())
    assert counted == campaign_story_counts([campaign.id])[campaign.id] == 3


def test_stories_of_other_campaigns_do_not_count(evidence_setup, make_story, make_campaign):
    _, coalition, campaign, _ = evidence_setup
    make_story(make_campaign(coalition), tags=["elsewhere"])
    report = evidence_report(campaign, None)
    assert report.total == 0 and report.by_tag.bars == []


def test_page_shows_counts_charts_and_tables(evidence_setup, make_story):
    client, coalition, campaign, questions = evidence_setup
    story_mix(campaign, questions, make_story)
    page = page_of(client, coalition, campaign)
    assert "Based on 3 approved stories." in page
    assert 'role="img"' in page and '<title id="chart-tags-title">Stories by tag</title>' in page
    assert "<desc id=" in page and 'fill="#2346a0"' in page
    assert '<th scope="row">mould</th><td class="num">2</td><td class="num">67%</td>' in page
    assert "style=" not in page.split("<main", 1)[-1]
    assert "<script" not in page.split("<main", 1)[-1]
    assert "uncounted" not in page and "Oak Avenue" not in page


def test_number_summary_median_of_an_even_count_is_the_middle_pair_average():
    summary = summarise_numbers([Decimal(1), Decimal(2), Decimal(10), Decimal(3)])
    assert (summary.minimum, summary.median, summary.mean, summary.maximum) == (1, Decimal("2.5"), 4, 10)
    assert summarise_numbers([]) is None


# --- Withdrawal ----------------------------------------------------------------------------------------------


def test_withdrawn_story_vanishes_from_report_and_csv_at_once(evidence_setup, make_story, make_member):
    client, coalition, campaign, questions = evidence_setup
    storyteller = make_member(coalition, "member", name="Rosa Delgado")
    story = make_story(
        campaign,
        {questions["wish"]: "Inspect every flat"},
        storyteller_id=storyteller.id,
        tags=["inspections"],
        location="Riverside North",
        body="The ceiling fell in.",
        share_with_decision_makers=True,
        attribution=Attribution.FULL,
    )
    page = page_of(client, coalition, campaign)
    assert all(text in page for text in ("inspections", "Riverside North", "Inspect every flat", "ceiling fell"))
    withdraw_story(story, storyteller)
    db.session.commit()
    page = page_of(client, coalition, campaign)
    exported = str(csv_of(client, coalition, campaign))
    for text in ("inspections", "Riverside North", "Inspect every flat", "ceiling fell", "Rosa Delgado"):
        assert text not in page and text not in exported
    assert "Based on 0 approved stories." in page


# --- Quotes --------------------------------------------------------------------------------------------------


def test_quotes_come_only_from_stories_that_may_go_to_decision_makers(evidence_setup, make_story):
    client, coalition, campaign, _ = evidence_setup
    make_story(campaign, body="Please hear this.", share_with_decision_makers=True)
    make_story(campaign, body="Keep this among us.", share_with_decision_makers=False)
    make_story(campaign, body="Not approved yet.", share_with_decision_makers=True, status=StoryStatus.SUBMITTED)
    page = page_of(client, coalition, campaign)
    assert "Please hear this." in page
    assert "Keep this among us." not in page and "Not approved yet." not in page


@pytest.mark.parametrize(
    ("attribution", "shown", "hidden"),
    [
        (Attribution.FULL, "— Ana Maria Lopez", None),
        (Attribution.FIRST_INITIAL, "— Ana L.", "Lopez"),
        (Attribution.ANONYMOUS, "— Anonymous", "Ana"),
    ],
)
def test_quotes_credit_the_storyteller_as_they_chose(
    evidence_setup, make_story, make_member, attribution, shown, hidden
):
    client, coalition, campaign, _ = evidence_setup
    storyteller = make_member(coalition, "member", name="Ana Maria Lopez")
    make_story(
        campaign,
        body="We waited a year.",
        storyteller_id=storyteller.id,
        share_with_decision_makers=True,
        attribution=attribution,
    )
    page = page_of(client, coalition, campaign)
    assert shown in page
    if hidden:
        assert hidden not in page
    exported = csv_of(client, coalition, campaign)
    assert [row[1] for row in exported if row[0] == "Quote"] == [shown.removeprefix("— ")]


def test_quote_uses_the_excerpt_the_storyteller_accepted(evidence_setup, make_story):
    client, coalition, campaign, _ = evidence_setup
    story = make_story(campaign, body="Long original with my street name.", share_with_decision_makers=True)
    db.session.add(
        StoryExcerpt(
            coalition_id=story.coalition_id,
            story_id=story.id,
            body="The short version.",
            status=ExcerptStatus.ACCEPTED,
            decided_at=utcnow(),
        )
    )
    db.session.commit()
    page = page_of(client, coalition, campaign)
    assert "The short version." in page and "my street name" not in page


def test_quotes_are_capped_and_say_how_many_there_are(evidence_setup, make_story, monkeypatch):
    client, coalition, campaign, _ = evidence_setup
    monkeypatch.setattr("coalition.stories.evidence.QUOTE_LIMIT", 2)
    for n in range(3):
        make_story(
            campaign,
            body=f"Quote number {n}.",
            share_with_decision_makers=True,
            approved_at=utcnow() - timedelta(days=n),
        )
    page = page_of(client, coalition, campaign)
    assert "Quote number 0." in page and "Quote number 1." in page and "Quote number 2." not in page
    assert "The 2 most recently approved of 3 stories" in page


def test_reading_a_team_only_quote_is_audited(evidence_setup, make_story):
    client, coalition, campaign, _ = evidence_setup
    make_story(campaign, body="Only for the team.", share_with_decision_makers=True, visibility=StoryVisibility.TEAM)
    page_of(client, coalition, campaign)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "story.read_private")) is not None


# --- CSV -----------------------------------------------------------------------------------------------------


def test_csv_has_one_row_per_section_item_and_value(evidence_setup, make_story):
    client, coalition, campaign, questions = evidence_setup
    story_mix(campaign, questions, make_story)
    rows = csv_of(client, coalition, campaign)
    assert rows[0] == ["Section", "Item", "Count or value"]
    assert ["Stories", "Approved stories counted", "3"] in rows
    assert ["Tag", "mould", "2"] in rows
    assert ["2. Did you complain to the landlord?", "Yes", "2"] in rows
    assert ["1. Months waiting for repairs?", "Median", "4.5"] in rows
    assert ["4. What should change?", "Answer", "Fix the roof"] in rows
    assert all(len(row) == 3 for row in rows)


def test_csv_is_formula_safe(evidence_setup, make_story):
    client, coalition, campaign, questions = evidence_setup
    make_story(
        campaign,
        {questions["wish"]: '=HYPERLINK("http://evil.example")'},
        location="@SUM(A1:A9)",
        body="+cmd|' /C calc'!A0",
        share_with_decision_makers=True,
    )
    rows = csv_of(client, coalition, campaign)
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert "'@SUM(A1:A9)" in cells
    assert any(cell.startswith("'+cmd") for cell in cells)
    assert not any(cell.startswith(("=", "+", "@", "-")) for cell in cells)


def test_csv_export_is_written_to_the_audit_log(evidence_setup, make_story):
    client, coalition, campaign, _ = evidence_setup
    make_story(campaign)
    csv_of(client, coalition, campaign)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "campaign.evidence_export"))
    assert entry is not None and entry.object_id == campaign.id and entry.detail["stories"] == 1


# --- Queries -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/evidence", "/evidence.csv"])
def test_report_runs_the_same_number_of_queries_for_5_and_50_stories(
    evidence_setup, make_story, make_member, count_queries, path
):
    client, coalition, campaign, q = evidence_setup
    storyteller = make_member(coalition, "member")
    url = f"/c/{coalition.slug}/campaigns/{campaign.id}{path}"

    def add(n):
        for i in range(n):
            make_story(
                campaign,
                {q["months"]: str(i), q["complained"]: "yes", q["problem"]: "Pests", q["wish"]: f"wish {i}"},
                storyteller_id=storyteller.id,
                tags=[f"tag-{i % 7}", "common"],
                location=f"Area {i % 4}",
                share_with_decision_makers=True,
                visibility=StoryVisibility.TEAM if i % 2 else StoryVisibility.PUBLIC,
                attribution=Attribution.FIRST_INITIAL,
            )

    add(5)
    client.get(url)  # warm-up: caches that are not about the data
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add(45)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert small.count == large.count
    assert large.count <= 25, large.statements


# --- Who may see it ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/evidence", "/evidence.csv"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 403), ("organizer", 200), ("lead", 200), ("outsider", 404)],
)
def test_evidence_permission_grid(
    client, make_coalition, make_member, make_campaign, make_story, login, role, expected, path
):
    coalition = make_coalition()
    campaign = make_campaign(coalition)
    make_story(campaign, body="Secret words for the team.", share_with_decision_makers=True)
    if role == "outsider":
        login(client, make_member(make_coalition(), "lead"))
    elif role != "visitor":
        login(client, make_member(coalition, role))
    response = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}{path}")
    assert response.status_code == expected
    if role == "visitor":
        assert "/account/login" in response.headers["Location"]
    if expected != 200:
        assert "Secret words" not in response.get_data(as_text=True)
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "campaign.evidence_export")) is None


@pytest.mark.parametrize("path", ["/evidence", "/evidence.csv"])
def test_another_coalitions_campaign_evidence_is_404_even_for_its_lead(
    client, make_coalition, make_member, make_campaign, login, path
):
    mine, theirs = make_coalition(), make_coalition()
    login(client, make_member(mine, "lead"))
    campaign = make_campaign(theirs)
    assert client.get(f"/c/{mine.slug}/campaigns/{campaign.id}{path}").status_code == 404


@pytest.mark.parametrize(("role", "linked"), [("member", False), ("organizer", True), ("lead", True)])
def test_campaign_page_links_the_evidence_report_for_those_who_may(
    client, make_coalition, make_member, make_campaign, login, role, linked
):
    coalition = make_coalition()
    campaign = make_campaign(coalition)
    login(client, make_member(coalition, role))
    page = client.get(f"/c/{coalition.slug}/campaigns/{campaign.id}").get_data(as_text=True)
    assert (f"/campaigns/{campaign.id}/evidence" in page) is linked


def test_empty_campaign_report_says_it_fills_in_later(evidence_setup):
    client, coalition, campaign, _ = evidence_setup
    page = page_of(client, coalition, campaign)
    assert "No approved stories yet" in page and "Based on 0 approved stories." in page
