"""Per-campaign numbers kept up to date in the same transaction as the change (`core.kept`): people reached, and the
tallies other domains keep here (meetings and people checked in, targets by stance, outreach per month).

People reached: `campaign_reach` holds one row per campaign and person (members by user id, "u:12"; visitors by
lower-cased email, "e:ana@example.org") with `refs`, how many rows of the sources reach that person for that
campaign (a story told, an RSVP, a decision answered...). When `refs` rises from 0 the campaign's "people" tally
gains one; when it falls to 0 the row goes and the tally loses one. Reading people reached is one indexed row.

Sources register from their domain's `register(app)`, with `providers.register_source`:
- kind "reach": a `ReachSource(touched, contributions)` where `contributions(touched=None, coalition_id=None)`
  returns Counter{(coalition_id, campaign_id, person): n} for what was touched (or for a whole coalition);
- kind "tallies": a `TallySource(kinds, touched, contributions)` where `contributions(...)` returns
  Counter{(coalition_id, campaign_id, kind, key): n}.
`touched(session)` gives the ids of what a flush touches (see `core.kept`).
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    null,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from coalition.campaigns import providers
from coalition.core.kept import Keeper, add_to, register_keeper
from coalition.extensions import db

PEOPLE = "people"
PERSON_MAX = 330


class CampaignTally(db.Model):
    """A number of a campaign kept up to date: people reached, targets with a stance, outreach in a month."""

    __tablename__ = "campaign_tallies"
    __table_args__ = (Index("ix_campaign_tallies_coalition", "coalition_id"),)

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    #: "people", "meetings", "checked_in" (key ""), "stance" (key: the stance), "outreach" (key: the UTC month,
    #: "2026-11").
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    count: Mapped[int] = mapped_column(default=0)


class CampaignReach(db.Model):
    """A person a campaign reached, with how many source rows reach them."""

    __tablename__ = "campaign_reach"
    __table_args__ = (Index("ix_campaign_reach_coalition", "coalition_id"),)

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    #: "u:<user id>" for members, "e:<lower-cased, trimmed email>" for visitors.
    person: Mapped[str] = mapped_column(String(PERSON_MAX), primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalitions.id", ondelete="CASCADE"))
    refs: Mapped[int] = mapped_column(default=0)


@dataclass(frozen=True)
class ReachSource:
    touched: Callable[[Session], set]
    contributions: Callable[..., Counter]


@dataclass(frozen=True)
class TallySource:
    kinds: tuple[str, ...]
    touched: Callable[[Session], set]
    contributions: Callable[..., Counter]


def person_key(user_id, email):
    """SQL for the key of a person: "u:<user id>" when there is a user id, else "e:<email>" (NULL when neither)."""
    by_email = null() if email is None else literal("e:") + func.lower(func.trim(email))
    return case((user_id.is_not(None), literal("u:") + cast(user_id, String)), else_=by_email)


def counted(rows: Iterable[tuple]) -> Counter:
    """Counter of the rows (tuples), leaving out rows with a NULL in them (no person, no campaign)."""
    return Counter(tuple(row) for row in rows if None not in tuple(row))


# --- Keeping -------------------------------------------------------------------------------------------------


def _touched(kind: str) -> Callable[[Session], set]:
    def touched(session: Session) -> set:
        return {(name, key) for name, source in providers.named_sources(kind) for key in source.touched(session)}

    return touched


def _contributions(kind: str) -> Callable[[set], Counter]:
    def contributions(touched: set) -> Counter:
        total: Counter = Counter()
        for name, source in providers.named_sources(kind):
            keys = {key for source_name, key in touched if source_name == name}
            if keys:
                total.update(source.contributions(touched=keys))
        return total

    return contributions


def apply_tallies(session: Session, delta: dict) -> None:
    """Add `delta` ({(coalition, campaign, kind, key): n}) to the tallies."""
    rows = [
        {"coalition_id": coalition_id, "campaign_id": campaign_id, "kind": kind, "key": key, "count": change}
        for (coalition_id, campaign_id, kind, key), change in delta.items()
    ]
    add_to(session, CampaignTally.__table__, rows, ["campaign_id", "kind", "key"])


def apply_reach(session: Session, delta: dict) -> None:
    """Add `delta` ({(coalition, campaign, person): n}) to the reach rows; count the people who come and go."""
    table = CampaignReach.__table__
    rows = [
        {"coalition_id": coalition_id, "campaign_id": campaign_id, "person": person, "refs": change}
        for (coalition_id, campaign_id, person), change in delta.items()
    ]
    coalition_of = {(campaign_id, person): coalition_id for coalition_id, campaign_id, person in delta}
    returned = add_to(
        session, table, rows, ["campaign_id", "person"], column="refs", returning=("campaign_id", "person", "refs")
    )
    people: Counter = Counter()
    gone = []
    for campaign_id, person, refs in returned:
        before = refs - delta[(coalition_of[(campaign_id, person)], campaign_id, person)]
        people[(coalition_of[(campaign_id, person)], campaign_id, PEOPLE, "")] += (refs > 0) - (before > 0)
        if refs <= 0:
            gone.append((campaign_id, person))
    if gone:
        session.connection().execute(
            delete(table).where(tuple_(table.c.campaign_id, table.c.person).in_(gone), table.c.refs <= 0)
        )
    apply_tallies(session, {key: change for key, change in people.items() if change})


def _rebuild_reach(coalition_id: int) -> None:
    db.session.execute(delete(CampaignReach).where(CampaignReach.coalition_id == coalition_id))
    db.session.execute(
        delete(CampaignTally).where(CampaignTally.coalition_id == coalition_id, CampaignTally.kind == PEOPLE)
    )
    reach: Counter = Counter()
    for _name, source in providers.named_sources("reach"):
        reach.update(source.contributions(coalition_id=coalition_id))
    apply_reach(db.session, {key: n for key, n in reach.items() if n})


def _rebuild_tallies(coalition_id: int) -> None:
    sources = providers.named_sources("tallies")
    kinds = [kind for _name, source in sources for kind in source.kinds]
    db.session.execute(
        delete(CampaignTally).where(CampaignTally.coalition_id == coalition_id, CampaignTally.kind.in_(kinds))
    )
    tallies: Counter = Counter()
    for _name, source in sources:
        tallies.update(source.contributions(coalition_id=coalition_id))
    apply_tallies(db.session, {key: n for key, n in tallies.items() if n})


def keep_campaign_tallies() -> None:
    """Keep people reached and the other domains' tallies up to date (called from the campaigns' register())."""
    register_keeper("campaign_reach", Keeper(_touched("reach"), _contributions("reach"), apply_reach, _rebuild_reach))
    register_keeper(
        "campaign_tallies", Keeper(_touched("tallies"), _contributions("tallies"), apply_tallies, _rebuild_tallies)
    )


# --- Reading -------------------------------------------------------------------------------------------------


def tallies_of(campaign_ids: Iterable[int]) -> dict[int, dict[tuple[str, str], int]]:
    """{campaign id: {(kind, key): count}} of the given campaigns, with what the "kept" sources of other domains
    keep for them (the counted stories), one query (absent: zero)."""
    ids = [i for i in campaign_ids if i is not None]
    result: dict[int, dict[tuple[str, str], int]] = {i: {} for i in ids}
    if not ids:
        return result
    statement = _tallies_statement(tuple(providers.sources("kept")))
    for campaign_id, kind, key, count in db.session.execute(statement, {"campaign_ids": ids}):
        result[campaign_id][(kind, key)] = count
    return result


@cache
def _tallies_statement(kept: tuple[Callable, ...]):
    """Built once per set of sources (every campaign list and dashboard asks): the tallies of :campaign_ids, and the
    rows each "kept" source selects for them (a second statement for the counted stories took ~0.6 ms a page)."""
    ids = bindparam("campaign_ids", expanding=True)
    own = select(CampaignTally.campaign_id, CampaignTally.kind, CampaignTally.key, CampaignTally.count).where(
        CampaignTally.campaign_id.in_(ids), CampaignTally.count != 0
    )
    return union_all(own, *(source(ids) for source in kept)) if kept else own


def counted_stories(tallies: dict[int, dict[tuple[str, str], int]]) -> dict[int, int]:
    """{campaign id: counted stories} (goal progress) from `tallies_of()`: none without the stories domain."""
    return {campaign_id: numbers.get((providers.COUNTED_STORIES, ""), 0) for campaign_id, numbers in tallies.items()}
