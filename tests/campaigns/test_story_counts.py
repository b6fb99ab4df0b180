"""The kept story counts (stories.counts) always equal a recount, whatever changes the stories go through."""

import pytest

from coalition.campaigns.questions import save_question
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stories.counts import campaign_counts, rebuild_story_counts
from coalition.stories.models import StoryAnswer, StoryStatus


@pytest.fixture
def coalition(make_coalition):
    """A coalition of its own."""
    return make_coalition()


@pytest.fixture
def setup(coalition, make_campaign):
    """Two campaigns of the coalition, the first with a yes/no, a choice and a number question."""
    first, second = make_campaign(coalition, title="First"), make_campaign(coalition, title="Second")
    questions = (
        save_question(first, None, kind="yes_no", prompt="Did you complain?"),
        save_question(first, None, kind="choice", prompt="Worst?", choices=["Mould", "Heat"]),
        save_question(first, None, kind="number", prompt="How many months?"),
    )
    db.session.commit()
    return first, second, questions


def _kept(*campaigns):
    return {(c.id, row.kind, row.key): row.count for c in campaigns for row in campaign_counts(c.id)}


def _recounted(coalition, *campaigns):
    rebuild_story_counts(coalition.id)
    db.session.flush()
    counts = _kept(*campaigns)
    db.session.rollback()
    return counts


def test_kept_counts_follow_every_change_of_stories_answers_and_tags(setup, coalition, make_story):
    first, second, (complained, worst, months) = setup
    stories = [
        make_story(
            first, {complained: "yes", worst: "Mould", months: "4"}, tags=["mould", "rent"], location=" Elm Street "
        ),
        make_story(first, {complained: "no"}, tags=["heat"], location="elm street", share_with_decision_makers=True),
        make_story(first, {worst: "Heat"}, status=StoryStatus.SUBMITTED, location=None),
    ]
    changes = [
        lambda: setattr(stories[2], "status", StoryStatus.APPROVED),
        lambda: setattr(stories[0], "withdrawn_at", utcnow()),
        lambda: setattr(stories[1].answers[0], "value", "yes"),
        lambda: stories[1].answers.append(StoryAnswer(coalition_id=coalition.id, question_id=months.id, value="4")),
        lambda: setattr(stories[1].answers[-1], "value", "12"),
        lambda: stories[1].answers.append(StoryAnswer(coalition_id=coalition.id, question_id=worst.id, value="Heat")),
        lambda: setattr(stories[1], "tags", ["heat", "mould"]),
        lambda: setattr(stories[2], "campaign_id", second.id),
        lambda: db.session.delete(stories[1]),
    ]
    assert _kept(first, second) == _recounted(coalition, first, second)
    for change in changes:
        change()
        db.session.commit()
        assert _kept(first, second) == _recounted(coalition, first, second)


def test_counts_of_a_campaign_start_from_its_counted_stories(setup, coalition, make_story):
    first, _second, (complained, _worst, months) = setup
    make_story(first, {complained: "yes", months: "3"}, tags=["mould"], location="Oak")
    make_story(first, {complained: "yes"}, status=StoryStatus.DRAFT)

    kept = _kept(first)

    assert kept[(first.id, "total", "")] == 1
    assert kept[(first.id, "answer", f"{complained.id}:yes")] == 1
    assert kept[(first.id, "answer", f"{months.id}:3")] == 1
    assert kept[(first.id, "tag", "mould")] == 1
    assert kept[(first.id, "area", "oak")] == 1
