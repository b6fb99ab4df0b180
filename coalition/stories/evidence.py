"""The evidence report of a campaign: counts and breakdowns of its stories, answers and consented quotes.

Only approved stories that are neither withdrawn nor deleted count (the same rule as goal progress), so a
withdrawal takes a story out of the report and the CSV at once. Free-text answers and quotes come only from
stories whose storytellers allow sharing with decision-makers, and quotes go through `present_story(...,
purpose="packet")` (attribution and accepted excerpt applied). The report runs a fixed number of queries
whatever the number of stories, and none of them reads every story: counts are kept (`stories.counts`), quotes and
short answers are the most recently approved ones (a LIMIT, walking an index), and numbers are read as how many
stories gave each value (one GROUP BY over the answers to the number questions) and summarised in Python (a median
is not portable SQL).

The report leaves the team (it goes to decision-makers), so every count under the coalition's suppression threshold
reads "fewer than N" for everyone, with complementary suppression (`coalition.core.suppression`): in the page, its
charts, its tables and its CSV.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from sqlalchemy import Integer, bindparam, select, union_all

from coalition.campaigns.models import Campaign, CampaignQuestion, QuestionKind
from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.plans import planned_for_its_values
from coalition.core.suppression import Count, suppress_count, suppress_row
from coalition.extensions import db
from coalition.stories import counts as kept
from coalition.stories.display import StoryDisplay, present_story
from coalition.stories.models import Story, StoryAnswer, StoryStatus
from coalition.stories.numbers import NumberSummary, summarise_counts
from coalition.stories.numbers import summarise_numbers as summarise_numbers
from coalition.stories.queries import CONSENTING_ORDER, consenting, display_options, note_private_reads

#: Quotes shown in the report and the CSV, most recently approved first.
QUOTE_LIMIT = 25
#: Short-text answers shown per question, most recently approved first.
TEXT_LIMIT = 50


@dataclass(frozen=True)
class Bar:
    """One row of a breakdown: a label, how many, its share of the base (0–100) and of the longest bar (0–1)."""

    label: str
    count: int
    percent: int
    length: float
    #: Under the threshold (or its complement): published as `shown`, with no percentage and no bar.
    suppressed: bool = False
    shown: str = ""


@dataclass
class Breakdown:
    bars: list[Bar]
    #: What the percentages are of (stories counted, or stories that answered the question).
    base: int
    base_shown: str = ""


@dataclass
class QuestionEvidence:
    question: CampaignQuestion
    #: Counted stories that answered the question.
    answered: int
    answered_shown: str = ""
    breakdown: Breakdown | None = None
    numbers: NumberSummary | None = None
    #: A number question answered by fewer stories than the threshold: no summary is published.
    numbers_hidden: bool = False
    #: Short-text answers of consenting stories only, without names, the most recently approved first.
    texts: list[str] = field(default_factory=list)
    #: There are more such answers than `texts` shows (at most TEXT_LIMIT).
    more_texts: bool = False


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
    total_shown: str = ""
    threshold: int = 0
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


# --- Breakdowns ------------------------------------------------------------------------------------------


def breakdown(counts: list[tuple[str, int]], base: int, threshold: int = 0) -> Breakdown:
    """Bars for (label, count) pairs, in the order given; counts under `threshold` suppressed (with complements)."""
    cells, total = suppress_row([count for _label, count in counts], base, threshold)
    longest = max((cell.value for cell in cells if not cell.suppressed), default=0)
    return Breakdown(
        bars=[_bar(label, cell, base, longest) for (label, _count), cell in zip(counts, cells, strict=True)],
        base=base,
        base_shown=total.text,
    )


def _bar(label: str, cell: Count, base: int, longest: int) -> Bar:
    if cell.suppressed:
        return Bar(label, cell.value, 0, 0.0, suppressed=True, shown=cell.text)
    count = cell.value
    return Bar(
        label, count, round(100 * count / base) if base else 0, count / longest if longest else 0.0, shown=cell.text
    )


# --- Answers ---------------------------------------------------------------------------------------------


def _number_counts(question_ids: list[int], answers: dict[str, int]) -> dict[int, Counter]:
    """{question id: {number: how many counted stories gave it}} for the number questions, from the kept counts per
    answer (`answers`: {"question id:value": n})."""
    numbers: dict[int, Counter] = {question_id: Counter() for question_id in question_ids}
    for key, count in answers.items():
        question_id, _colon, value = key.partition(":")
        if int(question_id) not in numbers:
            continue
        try:
            number = Decimal(value)
        except InvalidOperation:  # stored before the question became a number question: not a number
            continue
        if number.is_finite():
            numbers[int(question_id)][number] += count
    return numbers


def _consented_texts(campaign: Campaign, question_ids: list[int]) -> dict[int, list[str]]:
    """{question id: short-text answers} of stories whose storytellers allow sharing with decision-makers.

    At most TEXT_LIMIT + 1 per question (the extra one says there are more), the most recently approved first: each
    question's part walks the campaign's consenting stories in that order, looks up each one's answer (a correlated
    subquery, so that the walk stops at the limit instead of joining every answer) and stops there.
    """
    texts: dict[int, list[str]] = {}
    if not question_ids:
        return texts
    values = {"coalition_id": campaign.coalition_id, "campaign_id": campaign.id, "limit": TEXT_LIMIT + 1}
    values.update({f"question_{number}": question_id for number, question_id in enumerate(question_ids)})
    for question_id, value in db.session.execute(_texts_statement(len(question_ids)), values):
        texts.setdefault(question_id, []).append(value)
    return texts


@cache
def _texts_statement(questions: int):
    """Built once per number of questions: `_consented_texts` of :campaign_id in :coalition_id for the questions
    :question_0, :question_1, ..., at most :limit answers each. Planned for its values (a generic plan was 19×
    slower)."""
    parts = []
    for number in range(questions):
        question_id = bindparam(f"question_{number}", type_=Integer)
        own_answer = (StoryAnswer.story_id == Story.id, StoryAnswer.question_id == question_id)
        answer = select(StoryAnswer.value).where(*own_answer)
        walked = select(Story.approved_at, Story.id, answer.limit(1).scalar_subquery().label("value"))
        walked = planned_for_its_values(walked)
        walked = walked.where(*consenting(bindparam("coalition_id")), Story.campaign_id == bindparam("campaign_id"))
        walked = walked.subquery()
        parts.append(
            select(question_id.label("question_id"), walked.c.value)
            .where(walked.c.value.is_not(None))
            .order_by(walked.c.approved_at.desc(), walked.c.id.desc())
            .limit(bindparam("limit"))
            .subquery()
        )
    return union_all(*[select(*part.c) for part in parts])


def _choice_counts(question: CampaignQuestion, counts: dict[str, int]) -> list[tuple[str, int]]:
    """Counts per choice in the question's order; yes/no as Yes and No; stray stored values last."""
    if question.kind == QuestionKind.YES_NO:
        return [(_("Yes"), counts.get("yes", 0)), (_("No"), counts.get("no", 0))]
    known = list(question.choices or [])
    return [(choice, counts.get(choice, 0)) for choice in known] + sorted(
        (value, count) for value, count in counts.items() if value not in known
    )


def _question_evidence(
    campaign: Campaign, questions: list[CampaignQuestion], found: dict, threshold: int = 0
) -> list[QuestionEvidence]:
    ids_of = {kind: [q.id for q in questions if q.kind == kind] for kind in QuestionKind}
    numbers = _number_counts(ids_of[QuestionKind.NUMBER], found[kept.ANSWER])
    texts = _consented_texts(campaign, ids_of[QuestionKind.SHORT_TEXT])
    result = []
    for question in questions:
        entry = QuestionEvidence(question, found[kept.ANSWERED].get(str(question.id), 0))
        entry.answered_shown = suppress_count(entry.answered, threshold).text
        if question.kind in (QuestionKind.YES_NO, QuestionKind.CHOICE):
            prefix = f"{question.id}:"
            values = {k[len(prefix) :]: n for k, n in found[kept.ANSWER].items() if k.startswith(prefix)}
            entry.breakdown = breakdown(_choice_counts(question, values), entry.answered, threshold)
        elif question.kind == QuestionKind.NUMBER:
            entry.numbers = summarise_counts(numbers.get(question.id, Counter()))
            if entry.numbers is not None and entry.numbers.count < threshold:  # the lowest and highest are people
                entry.numbers, entry.numbers_hidden = None, True
        else:
            found_texts = texts.get(question.id, [])
            entry.texts, entry.more_texts = found_texts[:TEXT_LIMIT], len(found_texts) > TEXT_LIMIT
        result.append(entry)
    return result


# --- The report ------------------------------------------------------------------------------------------


def _quotes(campaign: Campaign, viewer) -> tuple[list[Story], list[StoryDisplay]]:
    values = {"coalition_id": campaign.coalition_id, "campaign_id": campaign.id, "limit": QUOTE_LIMIT}
    stories = list(db.session.scalars(_quotes_statement(), values))
    shown = [(story, present_story(story, viewer, purpose="packet")) for story in stories]
    shown = [(story, display) for story, display in shown if display is not None]
    return [story for story, _display in shown], [display for _story, display in shown]


@cache
def _quotes_statement():
    """Built once: the first :limit of `decision_maker_stories()` of :campaign_id in :coalition_id. Planned for its
    values (a generic plan was 17× slower)."""
    return planned_for_its_values(
        select(Story)
        .where(*consenting(bindparam("coalition_id")), Story.campaign_id == bindparam("campaign_id"))
        .options(*display_options())
        .order_by(*CONSENTING_ORDER)
        .limit(bindparam("limit"))
    )


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
    """Build the evidence report of a campaign as `viewer` may see it; counts under the coalition's threshold are
    suppressed (it goes to decision-makers).

    Totals, tags, areas, answer breakdowns and number summaries come from the counts kept by `stories.counts` (one
    query); consented short answers and quotes are read from the stories (a fixed number of queries).
    """
    questions = list(campaign.questions)
    found = _kept_counts(campaign)
    total = found[kept.TOTAL].get("", 0)
    threshold = campaign.coalition.suppression_threshold
    areas = _by_count((found["area_label"][key], n) for key, n in found[kept.AREA].items() if key)
    unnamed = found[kept.AREA].get("", 0)
    quote_stories, quotes = _quotes(campaign, viewer)
    return EvidenceReport(
        campaign=campaign,
        total=total,
        by_tag=breakdown(_by_count(found[kept.TAG].items()), total, threshold),
        by_area=breakdown(areas + ([(_("No area given"), unnamed)] if unnamed else []), total, threshold),
        questions=_question_evidence(campaign, questions, found, threshold),
        quotes=quotes,
        quote_total=found[kept.CONSENTING].get("", 0),
        total_shown=suppress_count(total, threshold).text,
        threshold=threshold,
        quote_stories=quote_stories,
    )


def show_evidence(campaign: Campaign, viewer) -> tuple[EvidenceReport, bool]:
    """The report for the page, and whether reading team-only quotes was written to the audit log."""
    report = evidence_report(campaign, viewer)
    audited = note_private_reads(report.quote_stories, viewer, campaign.coalition, place="campaign evidence")
    return report, audited


def evidence_rows(report: EvidenceReport) -> list[tuple[str, str, object]]:
    """The report as (section, item, value) rows for the CSV."""
    rows: list[tuple[str, str, object]] = [(_("Stories"), _("Approved stories counted"), report.total_shown)]
    rows += [(_("Tag"), bar.label, bar.shown) for bar in report.by_tag.bars]
    rows += [(_("Area"), bar.label, bar.shown) for bar in report.by_area.bars]
    for entry in report.questions:
        section = f"{entry.question.position}. {entry.question.prompt}"
        rows.append((section, _("Stories that answered"), entry.answered_shown))
        if entry.breakdown is not None:
            rows += [(section, bar.label, bar.shown) for bar in entry.breakdown.bars]
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
