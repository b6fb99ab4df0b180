"""Numbers kept up to date in the same transaction as the change, so that pages read them instead of recounting.

A domain registers a `Keeper` from its `register(app)` with `register_keeper(name, keeper)`:

- `touched(session) -> set`: what the coming (or just finished) flush touches, as hashable keys (ids of rows, or
  tagged ids such as ("meeting", 12)); objects not yet inserted have no id and are skipped;
- `contributions(touched) -> Counter`: what those things add to the kept numbers, read from the database as it
  stands ({number's key: n});
- `apply(session, delta)`: add a difference ({number's key: change}) to the kept numbers, in the session's
  transaction (typically `INSERT ... ON CONFLICT DO UPDATE count = count + change`, so that concurrent writers
  serialize on the row and nothing is lost);
- `rebuild(coalition_id)`: count a coalition from scratch (bulk loads that bypass the ORM, and tests that compare
  the kept numbers with a recount).

Before every flush each keeper reads the contributions of what the flush touches; after it, again (the touched set
now includes the new rows' ids); the difference is applied. Keepers read through `db.session`, the one session the
app flushes. Changes that bypass the ORM (bulk UPDATE or DELETE statements, ON DELETE CASCADE) are not seen: a
keeper must list the parent whose deletion cascades (a meeting, a stakeholder), and code that writes in bulk must not
change what a keeper counts, or must rebuild.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

#: name -> Keeper; keyed so that registering again (a second app in one process) changes nothing.
KEEPERS: dict[str, "Keeper"] = {}
_STATE = "kept_before"
#: Rows per INSERT statement of `add_to` (well under SQLite's limit of bound parameters).
CHUNK = 500


@dataclass(frozen=True)
class Keeper:
    touched: Callable[[Session], set]
    contributions: Callable[[set], Counter]
    apply: Callable[[Session, dict], None]
    rebuild: Callable[[int], None]


def register_keeper(name: str, keeper: Keeper) -> None:
    """Keep the numbers of `keeper` up to date on every flush (listening once per process)."""
    KEEPERS[name] = keeper
    for hook, listener in (("before_flush", _before_flush), ("after_flush", _after_flush)):
        if not event.contains(Session, hook, listener):
            event.listen(Session, hook, listener)


def _keepers() -> list[tuple[str, Keeper]]:
    return sorted(KEEPERS.items())


def _before_flush(session: Session, _context, _instances) -> None:
    state = {}
    with session.no_autoflush:
        for name, keeper in _keepers():
            touched = keeper.touched(session)
            state[name] = (touched, keeper.contributions(touched) if touched else Counter())
    session.info[_STATE] = state


def _after_flush(session: Session, _context) -> None:
    state = session.info.pop(_STATE, {})
    for name, keeper in _keepers():
        touched_before, before = state.get(name, (set(), Counter()))
        touched = touched_before | keeper.touched(session)
        if not touched:
            continue
        delta = Counter(keeper.contributions(touched))
        delta.subtract(before)
        changes = {key: change for key, change in delta.items() if change}
        if changes:
            keeper.apply(session, changes)


def rebuild_kept(coalition_id: int) -> None:
    """Count every kept number of a coalition from scratch (after a bulk load); the caller commits."""
    for _name, keeper in _keepers():
        keeper.rebuild(coalition_id)


def ids_of(session: Session, *models) -> set[int]:
    """The ids of the objects of `models` that the session is about to insert, update or delete (known ids only)."""
    return {
        obj.id
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, models) and obj.id is not None
    }


def add_to(
    session: Session, table: Table, rows: list[dict], keys: list[str], *, column="count", also=None, returning=()
):
    """Insert `rows` into `table`; where a row with the same `keys` exists, add to its `column` instead.

    One statement per CHUNK rows, in the order of the keys (concurrent writers lock rows in the same order, so they
    do not deadlock). `also(excluded)` gives more columns to set on a conflict; `returning` names columns to return
    (the rows as they are after the statement).
    """
    connection = session.connection()
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[connection.dialect.name]
    rows = sorted(rows, key=lambda row: tuple(row[k] for k in keys))
    returned = []
    for start in range(0, len(rows), CHUNK):
        statement = dialect.insert(table).values(rows[start : start + CHUNK])
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=keys, set_={column: table.c[column] + excluded[column], **(also(excluded) if also else {})}
        )
        if returning:
            returned += connection.execute(statement.returning(*[table.c[name] for name in returning])).all()
        else:
            connection.execute(statement)
    return returned
