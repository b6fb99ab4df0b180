"""Importing a checked CSV: match each row with a stakeholder already here, then create, update or skip it.

A row matches the stakeholder with the same email (case-insensitively); a row without a known email matches the
one with the same name and organization (case-insensitively). Only the columns the file has are compared and
written, so a file with just names and emails never clears anyone's phone. By default a new row is created, a
matched row with changes updates its stakeholder and an unchanged row is skipped: re-importing an unchanged export
changes nothing. The organizer may choose otherwise per row. Everything is written, or nothing.
"""

import enum
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import selectinload

from coalition.core.audit import record_audit
from coalition.core.i18n import gettext as _
from coalition.core.i18n import lazy_gettext as _l
from coalition.core.models import utcnow
from coalition.extensions import db
from coalition.stakeholders.csvio import ParsedImport, parse_stakeholder_csv
from coalition.stakeholders.labels import CATEGORY_LABELS
from coalition.stakeholders.models import Stakeholder, StakeholderCategory, StakeholderImport, StakeholderTag
from coalition.stakeholders.services import StakeholderError, coalition_of

#: The stakeholder fields a CSV row can set, in the order changes are shown.
FIELDS = (
    "name",
    "title",
    "organization",
    "category",
    "jurisdiction",
    "email",
    "phone",
    "address",
    "website",
    "tags",
    "notes",
)
FIELD_LABELS = {
    "name": _l("Name"),
    "title": _l("Title"),
    "organization": _l("Organization"),
    "category": _l("Category"),
    "jurisdiction": _l("Jurisdiction"),
    "email": _l("Email"),
    "phone": _l("Phone"),
    "address": _l("Address"),
    "website": _l("Website"),
    "tags": _l("Tags"),
    "notes": _l("Notes"),
}
_CHUNK = 500


class RowStatus(enum.StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


class RowAction(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    SKIP = "skip"


ACTION_LABELS = {
    RowAction.UPDATE: _l("Update it"),
    RowAction.SKIP: _l("Skip this row"),
    RowAction.CREATE: _l("Create a new stakeholder"),
}
DEFAULT_ACTION = {
    RowStatus.NEW: RowAction.CREATE,
    RowStatus.CHANGED: RowAction.UPDATE,
    RowStatus.UNCHANGED: RowAction.SKIP,
}


@dataclass
class PlannedRow:
    """One row of the file: what it matched, what would change, and what may be done with it."""

    number: int
    row: dict
    match: Stakeholder | None = None
    #: [(field, value here, value in the file)] for the columns the file has.
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def status(self) -> RowStatus:
        if self.match is None:
            return RowStatus.NEW
        return RowStatus.CHANGED if self.changes else RowStatus.UNCHANGED

    @property
    def actions(self) -> tuple[RowAction, ...]:
        """What may be done with this row, the default first."""
        if self.match is None:
            return (RowAction.CREATE, RowAction.SKIP)
        default = DEFAULT_ACTION[self.status]
        others = (action for action in (RowAction.UPDATE, RowAction.SKIP, RowAction.CREATE) if action != default)
        return (default, *others)


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    #: [(row number, message)]: rows that cannot be imported as they are (nothing is then written).
    errors: list[tuple[int, str]] = field(default_factory=list)

    def with_status(self, status: RowStatus) -> list[PlannedRow]:
        """The rows of one status, in file order."""
        return [planned for planned in self.rows if planned.status == status]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0


def _fold(text: str) -> str:
    return (text or "").strip().casefold()


def _comparable(name: str, value):
    if name == "tags":
        return list(value or [])
    if name == "category":
        return StakeholderCategory(value).value if value else ""
    return (value or "").replace("\r\n", "\n").strip()


def _shown(name: str, value) -> str:
    if name == "tags":
        return ", ".join(value)
    if name == "category":
        return str(CATEGORY_LABELS[StakeholderCategory(value)]) if value else ""
    return value


def _index(coalition_id: int) -> tuple[dict, dict]:
    """The coalition's stakeholders by email and by (name, organization), the oldest first when there are twins."""
    by_email, by_name = {}, {}
    rows = db.session.execute(
        select(Stakeholder.id, Stakeholder.email, Stakeholder.name, Stakeholder.organization)
        .where(Stakeholder.coalition_id == coalition_id)
        .order_by(Stakeholder.id)
    )
    for stakeholder_id, email, name, organization in rows:
        if email:
            by_email.setdefault(_fold(email), stakeholder_id)
        by_name.setdefault((_fold(name), _fold(organization)), stakeholder_id)
    return by_email, by_name


def _load(ids: list[int]) -> dict[int, Stakeholder]:
    found = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        statement = select(Stakeholder).where(Stakeholder.id.in_(chunk)).options(selectinload(Stakeholder.tag_rows))
        found.update({s.id: s for s in db.session.scalars(statement)})
    return found


def _changes(stakeholder: Stakeholder, row: dict, columns: set[str]) -> list[tuple[str, str, str]]:
    changes = []
    for name in FIELDS:
        if name not in columns:
            continue
        before, after = _comparable(name, getattr(stakeholder, name)), _comparable(name, row[name])
        if before != after:
            changes.append((name, _shown(name, before), _shown(name, after)))
    return changes


def plan_import(coalition_id: int, parsed: ParsedImport) -> ImportPlan:
    """Match every row of a checked file with the stakeholders already here; nothing is written."""
    plan = ImportPlan()
    columns = set(parsed.mapping.values())
    by_email, by_name = _index(coalition_id)
    numbered = [(number, row) for number, row in zip(parsed.numbers, parsed.rows, strict=True)]
    matched, seen = {}, {}
    for number, row in numbered:
        email = _fold(row["email"]) if "email" in columns else ""
        match_id = by_email.get(email) if email else None
        if match_id is None:
            match_id = by_name.get((_fold(row["name"]), _fold(row.get("organization", ""))))
        key = ("id", match_id) if match_id else ("email", email) if email else ("name", _fold(row["name"]))
        if key[0] == "name":
            key = (*key, _fold(row.get("organization", "")))
        if key in seen:
            plan.errors.append((number, _("this is the same stakeholder as row %(row)d.", row=seen[key])))
        seen.setdefault(key, number)
        matched[number] = match_id
    stakeholders = _load(sorted({i for i in matched.values() if i}))
    for number, row in numbered:
        match = stakeholders.get(matched[number]) if matched[number] else None
        planned = PlannedRow(number=number, row=row, match=match)
        if match is not None:
            planned.changes = _changes(match, row, columns)
        plan.rows.append(planned)
    return plan


def choose_action(planned: PlannedRow, choices: dict[int, str], defaults: dict[str, str]) -> RowAction:
    """The action for a row: the one chosen for it, else the one chosen for its status, else the default."""
    for wanted in (choices.get(planned.number), defaults.get(planned.status.value)):
        if wanted in planned.actions:
            return RowAction(wanted)
    return planned.actions[0]


def _create(coalition_id: int, by, rows: list[dict]) -> None:
    now = utcnow()
    values = [dict(row, coalition_id=coalition_id, created_by_id=by.id, created_at=now, updated_at=now) for row in rows]
    ids = db.session.scalars(insert(Stakeholder).returning(Stakeholder.id, sort_by_parameter_order=True), values)
    # A bulk INSERT skips the ORM, which fills stakeholder_tags when `Stakeholder.tags` is set: write them here.
    tags = [
        {"stakeholder_id": i, "coalition_id": coalition_id, "tag": tag}
        for i, row in zip(ids.all(), values, strict=True)
        for tag in row.get("tags") or []
    ]
    if tags:
        db.session.execute(insert(StakeholderTag), tags)


def _update(planned: PlannedRow, columns: set[str]) -> None:
    stakeholder = planned.match
    for name in FIELDS:
        if name in columns:
            setattr(stakeholder, name, planned.row[name])


def confirm_import(staged: StakeholderImport, by, choices=None, defaults=None) -> ImportResult:
    """Create, update or skip each row of a staged file as chosen, or write nothing if any row has a problem.

    `choices` maps a row number to an action, `defaults` a row status to the action for rows without a choice.
    The staged file is claimed first, so confirming it twice at once imports it once.
    """
    claimed = db.session.execute(
        delete(StakeholderImport).where(StakeholderImport.id == staged.id).execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise StakeholderError(_("This file was already imported."))
    parsed = parse_stakeholder_csv(staged.content)
    plan = plan_import(staged.coalition_id, parsed) if parsed.ok else None
    if plan is None or plan.errors:
        raise StakeholderError(_("The file has problems; nothing was imported. Fix them and upload it again."))
    columns, result, new_rows = set(parsed.mapping.values()), ImportResult(), []
    for planned in plan.rows:
        action = choose_action(planned, choices or {}, defaults or {})
        if action == RowAction.CREATE:
            new_rows.append(planned.row)
        elif action == RowAction.UPDATE and planned.changes:
            _update(planned, columns)
            result.updated += 1
        else:
            result.skipped += 1
    if new_rows:
        _create(staged.coalition_id, by, new_rows)
    result.created = len(new_rows)
    record_audit(
        "stakeholder.import",
        actor=by,
        coalition=coalition_of(staged),
        rows=len(plan.rows),
        created=result.created,
        updated=result.updated,
        skipped=result.skipped,
        filename=staged.filename,
    )
    db.session.flush()
    return result
