"""The evidence report reads a bounded part of the answers: the newest short answers, numbers grouped by value."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from coalition.core.models import utcnow
from coalition.stories.evidence import evidence_report
from coalition.stories.numbers import summarise_counts
from tests.campaigns.test_evidence import evidence_setup, page_of  # noqa: F401 (the fixture)


def _consenting(make_story, campaign, question, value, days_ago, **fields):
    fields.setdefault("share_with_decision_makers", True)
    return make_story(campaign, {question: value}, approved_at=utcnow() - timedelta(days=days_ago), **fields)


def test_short_answers_are_the_most_recently_approved_and_say_when_there_are_more(
    evidence_setup,  # noqa: F811
    make_story,
    monkeypatch,
):
    client, coalition, campaign, questions = evidence_setup
    monkeypatch.setattr("coalition.stories.evidence.TEXT_LIMIT", 2)
    for days_ago, wish in [(3, "Oldest wish"), (1, "Newest wish"), (2, "Middle wish")]:
        _consenting(make_story, campaign, questions["wish"], wish, days_ago)
    _consenting(make_story, campaign, questions["wish"], "Not shared", 0, share_with_decision_makers=False)
    wish = evidence_report(campaign, None).questions[3]
    assert (wish.texts, wish.more_texts) == (["Newest wish", "Middle wish"], True)
    page = page_of(client, coalition, campaign)
    assert "The 2 most recently approved answers are shown." in page
    assert "Oldest wish" not in page and "Not shared" not in page


def test_all_short_answers_under_the_limit_are_shown_without_a_note(evidence_setup, make_story):  # noqa: F811
    client, coalition, campaign, questions = evidence_setup
    _consenting(make_story, campaign, questions["wish"], "Only wish", 1)
    wish = evidence_report(campaign, None).questions[3]
    assert (wish.texts, wish.more_texts) == (["Only wish"], False)
    assert "most recently approved answers" not in page_of(client, coalition, campaign)


def test_numbers_given_by_several_stories_are_summarised_like_the_list_of_them(evidence_setup, make_story):  # noqa: F811
    _, _, campaign, questions = evidence_setup
    for value in ["2", "2", "2.0", "7", "11"]:
        make_story(campaign, {questions["months"]: value})
    months = evidence_report(campaign, None).questions[0].numbers
    assert (months.count, months.minimum, months.median, months.mean, months.maximum) == (5, 2, 2, Decimal("4.8"), 11)


def test_numbers_given_as_how_many_times_each_are_summarised():
    counts = Counter({Decimal(10): 2, Decimal(1): 1, Decimal(4): 2, Decimal("2.5"): 1, Decimal(9): 1})
    summary = summarise_counts(counts)
    assert (summary.count, summary.minimum, summary.median, summary.mean, summary.maximum) == (
        7,
        1,
        4,
        Decimal("5.79"),
        10,
    )
    assert summarise_counts(Counter({Decimal(3): 1, Decimal(8): 1})).median == Decimal("5.5")
    assert summarise_counts(Counter()) is None
