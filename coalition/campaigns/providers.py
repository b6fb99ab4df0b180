"""Numbers a campaign shows but does not own, supplied by the domains that own them.

Campaigns sit below stories, meetings and the rest, so they cannot ask them directly. Instead each such domain
registers, from its `register(app)`, a provider (`register_provider(name, func)`, one per name) or a source
(`register_source(kind, name, func)`, any number per kind, combined here). Without one, campaigns show nothing.

Providers (one per name):
- "answer_counts": `func(question_ids) -> {question id: stories that answered}` (locking answered questions);
- "meetings_progress": `func(campaign_ids, now, tallies) -> {campaign id: MeetingsProgress}` (meetings held and
  upcoming, people checked in at the meetings held, walk-ins included);
- "stance_counts": `func(campaign_ids, since, tallies) -> {campaign id: StanceSummary}` (the power map's numbers;
  `tallies` are the campaigns' kept tallies, `campaigns.tallies.tallies_of`);
- "outreach_by_month": `func(campaign_ids, last_month_start, this_month_start, tallies) -> {campaign id: (last,
  this)}`.

Sources (several per kind):
- "reach" and "tallies": what a domain adds to the kept people reached and tallies (see `campaigns.tallies`);
- "kept": `func(campaign_ids) -> select()` of (campaign_id, kind, key, count) rows that a domain keeps in its own
  table, for the campaigns whose ids are in `campaign_ids` (an expanding bound parameter): they are read with the
  campaigns' tallies, in the same statement (`tallies.tallies_of`). Stories supply the counted stories per campaign
  (kind `COUNTED_STORIES`, key "": approved, neither withdrawn nor deleted; goal progress) this way;
- "timeline": `func(campaign, viewer) -> TimelineRows | None`: a select() of the dated rows `viewer` may see
  (columns: at, id, then up to three texts) and how to make an entry of one of them; None when the viewer sees none
  of that kind. Campaigns reads every source's newest rows in one statement (`momentum.timeline`).
- "last_activity": `func(campaign_id) -> scalar subquery`: the date of a domain's latest activity for the campaign
  whose id column is `campaign_id` (correlated; it should walk an index on (campaign_id, date) backwards and stop
  at the first row); campaigns asks every source in one query, built once (so a source's values that change are
  bound parameters: `bindparam("now")` is the current time, which campaigns supplies).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

PROVIDERS: dict[str, Callable] = {}
#: The kind of a "kept" source's rows giving a campaign's counted stories (goal progress), key "".
COUNTED_STORIES = "counted_stories"
#: kind -> {name: func}; keyed by name so that registering again (a second app in one process) changes nothing.
SOURCES: dict[str, dict[str, Callable]] = {}


@dataclass(frozen=True)
class MeetingsProgress:
    held: int = 0
    upcoming: int = 0
    #: People checked in at the meetings held: RSVPs marked attended plus walk-ins.
    attended: int = 0


@dataclass(frozen=True)
class StanceCount:
    key: str
    label: str
    now: int
    #: Targets with this stance at the chosen date (targets added since are not counted then).
    then: int


@dataclass
class StanceSummary:
    #: From the strongest support to the strongest opposition, unknown last.
    stances: list[StanceCount] = field(default_factory=list)
    #: Targets whose stance moved toward support / away from it since the chosen date.
    toward: int = 0
    away: int = 0

    @property
    def total(self) -> int:
        return sum(s.now for s in self.stances)

    @property
    def chart_rows(self) -> list[tuple[str, int, str]]:
        """(label, targets now, the same as text) for the chart."""
        return [(s.label, s.now, str(s.now)) for s in self.stances]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    #: "update", "meeting", "stance", "packet", "decision": the template picks the wording and the icon.
    kind: str
    title: str
    url: str | None = None
    detail: str = ""
    #: The campaign's own update (rendered in full on the timeline); None for other domains' entries.
    update: object = None


@dataclass(frozen=True)
class TimelineRows:
    """A timeline source: `rows` selects (at, id, text, text, text) with at most three texts, unordered (the
    timeline orders each source by (at, id), newest first, and reads a page of it); `entry(at, id, *texts)` makes
    the TimelineEntry of one row."""

    rows: object
    entry: Callable


def register_provider(name: str, func: Callable) -> None:
    """Register the domain function that supplies the numbers called `name`."""
    PROVIDERS[name] = func


def register_source(kind: str, name: str, func: Callable) -> None:
    """Register one of several sources of `kind` ("reach", "tallies", "timeline", "last_activity")."""
    SOURCES.setdefault(kind, {})[name] = func


def sources(kind: str) -> list[Callable]:
    """The registered sources of `kind`, in a stable order."""
    return [func for _name, func in named_sources(kind)]


def named_sources(kind: str) -> list[tuple[str, object]]:
    """(name, source) of the registered sources of `kind`, in a stable order."""
    return sorted(SOURCES.get(kind, {}).items())


def _ask(name: str, ids: Iterable, *args) -> dict:
    ids = [i for i in ids if i is not None]
    provider = PROVIDERS.get(name)
    return provider(ids, *args) if ids and provider is not None else {}


def answer_counts(question_ids: Iterable[int]) -> dict[int, int]:
    """{question id: how many stories answered it}, one query (absent: none)."""
    return _ask("answer_counts", question_ids)


def meetings_progress(campaign_ids: Iterable[int], now: datetime, tallies: dict) -> dict[int, MeetingsProgress]:
    """{campaign id: meetings held, upcoming and attendance} (absent: no meetings)."""
    return _ask("meetings_progress", campaign_ids, now, tallies)


def stance_counts(campaign_ids: Iterable[int], since: datetime, tallies: dict) -> dict[int, StanceSummary]:
    """{campaign id: targets by stance now and at `since`} (absent: no targets)."""
    return _ask("stance_counts", campaign_ids, since, tallies)


def outreach_by_month(campaign_ids: Iterable[int], last_month: datetime, this_month: datetime, tallies: dict) -> dict:
    """{campaign id: (outreach last month, outreach this month)} (absent: none)."""
    return _ask("outreach_by_month", campaign_ids, last_month, this_month, tallies)
