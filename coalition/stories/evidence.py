"""The evidence report of a campaign: counts and breakdowns of its stories, answers and consented quotes.

Only approved stories that are neither withdrawn nor deleted count (the same rule as goal progress), so a
withdrawal takes a story out of the report and the CSV at once. Free-text answers and quotes come only from
stories whose storytellers allow sharing with decision-makers, and quotes go through `present_story(...,
purpose="packet")` (attribution and accepted excerpt applied). The report runs a fixed number of queries
whatever the number of stories: breakdowns are GROUP BY queries, numbers are summarised in Python (a median
is not portable SQL).
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from coalition.campaigns.models import Campaign, CampaignQuestion, QuestionKind
from coalition.core.audit import record_audit
from coalition.extensions import db
from coalition.stories import counts as kept
from coalition.stories.display import StoryDisplay, present_story
from coalition.stories.models import Story, StoryAnswer, StoryStatus
from coalition.stories.queries import decision_maker_stories, note_private_reads

#: Quotes shown in the report and the CSV, most recently approved first.
QUOTE_LIMIT = 25


@dataclass(frozen=True)
class Bar:
    """One row of a breakdown: a label, how many, its share of the base (0–100) and of the longest bar (0–1)."""

    label: str
    count: int
    percent: int
    length: float


@dataclass
class Breakdown:
    bars: list[Bar]
    #: What the percentages are of (stories counted, or stories that answered the question).
    base: int


@dataclass
class NumberSummary:
    count: int
    minimum: Decimal
    median: Decimal
    mean: Decimal
    maximum: Decimal


@dataclass
class QuestionEvidence:
    question: CampaignQuestion
    #: Counted stories that answered the question.
    answered: int
    breakdown: Breakdown | None = None
    numbers: NumberSummary | None = None
    #: Short-text answers of consenting stories only, without names.
    texts: list[str] = field(default_factory=list)


@dataclass
class EvidenceReport:
    campaign: Campaign
    total: int
    by_tag: Breakdown
    by_area: Breakdown
    questions: list[QuestionEvidence]
    quotes: list[StoryDisplay]
    #: How many consenting stories there are in all (quotes shows at most QUOTE_LIMIT of them).
    quote_total: int
    quote_stories: list[Story] = field(default_factory=list, repr=False)


# --- Which stories count ---------------------------------------------------------------------------------


def counted_story_ids(campaign: Campaign):
    """select(Story.id) of the stories the report counts: approved, neither withdrawn nor deleted.

    The same rule as `campaign_story_counts()` (goal progress); a test checks that both agree.
    """
    return select(Story.id).where(
        Story.coalition_id == campaign.coalition_id,
        Story.campaign_id == campaign.id,
        Story.status == StoryStatus.APPROVED,
        Story.withdrawn_at.is_(None),
        Story.deleted_at.is_(None),
    )


def _consenting_story_ids(campaign: Campaign):
    """select(id) of the campaign's stories that may go to decision-makers (the stories domain's rule)."""
    consenting = decision_maker_stories(campaign.coalition, campaign).subquery()
    return select(consenting.c.id)


# --- Breakdowns ------------------------------------------------------------------------------------------


def breakdown(counts: list[tuple[str, int]], base: int) -> Breakdown:
    """Bars for (label, count) pairs, in the order given."""
    longest = max((count for _label, count in counts), default=0)
    return Breakdown(
        bars=[
            Bar(label, count, round(100 * count / base) if base else 0, count / longest if longest else 0.0)
            for label, count in counts
        ],
        base=base,
    )


# --- Answers ---------------------------------------------------------------------------------------------


def _number_values(campaign: Campaign, question_ids: list[int]) -> dict[int, list[Decimal]]:
    values: dict[int, list[Decimal]] = {}
    if not question_ids:
        return values
    rows = db.session.execute(
        select(StoryAnswer.question_id, StoryAnswer.value).where(
            StoryAnswer.question_id.in_(question_ids), StoryAnswer.story_id.in_(counted_story_ids(campaign))
        )
    )
    for question_id, value in rows:
        try:
            number = Decimal(value)
        except InvalidOperation:  # stored before the question became a number question: not a number
            continue
        if number.is_finite():
            values.setdefault(question_id, []).append(number)
    return values


def _consented_texts(campaign: Campaign, question_ids: list[int]) -> dict[int, list[str]]:
    """{question id: short-text answers} of stories whose storytellers allow sharing with decision-makers."""
    texts: dict[int, list[str]] = {}
    if not question_ids:
        return texts
    rows = db.session.execute(
        select(StoryAnswer.question_id, StoryAnswer.value)
        .where(StoryAnswer.question_id.in_(question_ids), StoryAnswer.story_id.in_(_consenting_story_ids(campaign)))
        .order_by(StoryAnswer.question_id, StoryAnswer.value)
    )
    for question_id, value in rows:
        texts.setdefault(question_id, []).append(value)
    return texts


def rounded(number: Decimal) -> Decimal:
    """Round to two decimals and drop trailing zeros (12.50 -> 12.5, 3.00 -> 3)."""
    value = number.quantize(Decimal("0.01")).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def summarise_numbers(values: list[Decimal]) -> NumberSummary | None:
    """Count, minimum, median, mean and maximum of a list of numbers (None when empty)."""
    if not values:
        return None
    return NumberSummary(
        count=len(values),
        minimum=rounded(min(values)),
        median=rounded(Decimal(statistics.median(values))),
        mean=rounded(sum(values) / len(values)),
        maximum=rounded(max(values)),
    )


def _choice_counts(question: CampaignQuestion, counts: dict[str, int]) -> list[tuple[str, int]]:
    """Counts per choice in the question's order; yes/no as Yes and No; stray stored values last."""
    if question.kind == QuestionKind.YES_NO:
        return [(_("Yes"), counts.get("yes", 0)), (_("No"), counts.get("no", 0))]
    known = list(question.choices or [])
    return [(choice, counts.get(choice, 0)) for choice in known] + sorted(
        (value, count) for value, count in counts.items() if value not in known
    )


def _question_evidence(campaign: Campaign, questions: list[CampaignQuestion], found: dict) -> list[QuestionEvidence]:
    ids_of = {kind: [q.id for q in questions if q.kind == kind] for kind in QuestionKind}
    numbers = _number_values(campaign, ids_of[QuestionKind.NUMBER])
    texts = _consented_texts(campaign, ids_of[QuestionKind.SHORT_TEXT])
    result = []
    for question in questions:
        entry = QuestionEvidence(question, found[kept.ANSWERED].get(str(question.id), 0))
        if question.kind in (QuestionKind.YES_NO, QuestionKind.CHOICE):
            prefix = f"{question.id}:"
            values = {k[len(prefix) :]: n for k, n in found[kept.ANSWER].items() if k.startswith(prefix)}
            entry.breakdown = breakdown(_choice_counts(question, values), entry.answered)
        elif question.kind == QuestionKind.NUMBER:
            entry.numbers = summarise_numbers(numbers.get(question.id, []))
        else:
            entry.texts = texts.get(question.id, [])
        result.append(entry)
    return result


# --- The report ------------------------------------------------------------------------------------------


def _quotes(campaign: Campaign, viewer) -> tuple[list[Story], list[StoryDisplay]]:
    statement = decision_maker_stories(campaign.coalition, campaign)
    stories = list(db.session.scalars(statement.limit(QUOTE_LIMIT)))
    shown = [(story, present_story(story, viewer, purpose="packet")) for story in stories]
    shown = [(story, display) for story, display in shown if display is not None]
    return [story for story, _display in shown], [display for _story, display in shown]


def _kept_counts(campaign: Campaign) -> dict[str, dict[str, int]]:
    """{kind: {key: count}} of the campaign's kept counts, with the areas' labels under "area_label"."""
    found: dict[str, dict] = {kind: {} for kind in (kept.TOTAL, kept.CONSENTING, kept.TAG, kept.AREA, kept.ANSWERED)}
    found[kept.ANSWER], found["area_label"] = {}, {}
    for row in kept.campaign_counts(campaign.id):
        found[row.kind][row.key] = row.count
        if row.kind == kept.AREA:
            found["area_label"][row.key] = row.label
    return found


def _by_count(pairs) -> list[tuple[str, int]]:
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def evidence_report(campaign: Campaign, viewer) -> EvidenceReport:
    """Build the evidence report of a campaign as `viewer` may see it.

    Totals, tags, areas and answer breakdowns come from the counts kept by `stories.counts` (one query); number
    summaries, consented short answers and quotes are read from the stories (a fixed number of queries).
    """
    questions = list(campaign.questions)
    found = _kept_counts(campaign)
    total = found[kept.TOTAL].get("", 0)
    areas = _by_count((found["area_label"][key], n) for key, n in found[kept.AREA].items() if key)
    unnamed = found[kept.AREA].get("", 0)
    quote_stories, quotes = _quotes(campaign, viewer)
    return EvidenceReport(
        campaign=campaign,
        total=total,
        by_tag=breakdown(_by_count(found[kept.TAG].items()), total),
        by_area=breakdown(areas + ([(_("No area given"), unnamed)] if unnamed else []), total),
        questions=_question_evidence(campaign, questions, found),
        quotes=quotes,
        quote_total=found[kept.CONSENTING].get("", 0),
        quote_stories=quote_stories,
    )


def show_evidence(campaign: Campaign, viewer) -> tuple[EvidenceReport, bool]:
    """The report for the page, and whether reading team-only quotes was written to the audit log."""
    report = evidence_report(campaign, viewer)
    audited = note_private_reads(report.quote_stories, viewer, campaign.coalition, place="campaign evidence")
    return report, audited


def evidence_rows(report: EvidenceReport) -> list[tuple[str, str, object]]:
    """The report as (section, item, value) rows for the CSV."""
    rows: list[tuple[str, str, object]] = [(_("Stories"), _("Approved stories counted"), report.total)]
    rows += [(_("Tag"), bar.label, bar.count) for bar in report.by_tag.bars]
    rows += [(_("Area"), bar.label, bar.count) for bar in report.by_area.bars]
    for entry in report.questions:
        section = f"{entry.question.position}. {entry.question.prompt}"
        rows.append((section, _("Stories that answered"), entry.answered))
        if entry.breakdown is not None:
            rows += [(section, bar.label, bar.count) for bar in entry.breakdown.bars]
        if entry.numbers is not None:
            numbers = entry.numbers
            rows += [
                (section, _("Minimum"), numbers.minimum),
                (section, _("Median"), numbers.median),
                (section, _("Mean"), numbers.mean),
                (section, _("Maximum"), numbers.maximum),
            ]
        rows += [(section, _("Answer"), text) for text in entry.texts]
    rows += [(_("Quote"), display.author_label, display.body_text) for display in report.quotes]
    return rows


def export_evidence(campaign: Campaign, by) -> list[tuple[str, str, object]]:
    """The evidence report as CSV rows; the export is written to the audit log."""
    report = evidence_report(campaign, by)
    record_audit(
        "campaign.evidence_export",
        actor=by,
        coalition=campaign.coalition,
        obj=campaign,
        stories=report.total,
        quotes=len(report.quotes),
    )
    return evidence_rows(report)
